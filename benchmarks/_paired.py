"""Paired, interleaved measurement and the one-line result every benchmark prints.

This machine is shared and noisy, so a subject figure is only ever compared with a baseline taken
right next to it: each round runs the baseline and the subject back to back (alternating which
goes first, so neither always gets the warmer cache), the round's ratio is subject / baseline,
and the verdict uses the **median of the paired ratios**, printed with their spread (min-max).
Before each side the process collects its garbage (:func:`gc.collect`, outside the timing): what
the previous side left in reference cycles (a stopped API server, its threads and watchers) is
otherwise collected inside whichever timed region next reaches the collector's threshold, most
often the side that allocates more.
Comparing the best subject round with the best baseline round instead, as these scripts once
did, pairs figures taken under different load.

Each script ends by printing ``BENCH {json}`` lines (see :func:`emit`); ``benchmarks/run_all.py``
(``make bench``) collects them into one table.
"""

from __future__ import annotations

import gc
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

__all__ = ["Paired", "Row", "emit", "measure", "paired"]


@dataclass(frozen=True)
class Paired:
    """Seconds per round for both sides, in round order, and the per-round ratios."""

    bare: list[float]
    subject: list[float]

    @property
    def ratios(self) -> list[float]:
        return [s / b for s, b in zip(self.subject, self.bare, strict=True)]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def spread(self) -> tuple[float, float]:
        return min(self.ratios), max(self.ratios)

    def describe(self) -> str:
        low, high = self.spread
        return (
            f"median of {len(self.ratios)} paired ratios {self.ratio:.2f} (spread {low:.2f}-{high:.2f}); "
            f"bare median {statistics.median(self.bare) * 1e3:.1f} ms, "
            f"subject median {statistics.median(self.subject) * 1e3:.1f} ms"
        )


def measure(fn: Callable[[], object]) -> float:
    """Wall seconds of one call."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def paired(
    bare: Callable[[], float], subject: Callable[[], float], rounds: int, *, report: bool = True
) -> Paired:
    """``rounds`` interleaved pairs; each callable returns the seconds it measured itself."""
    bare_times: list[float] = []
    subject_times: list[float] = []
    for index in range(rounds):
        if index % 2 == 0:
            b = _collected(bare)
            s = _collected(subject)
        else:
            s = _collected(subject)
            b = _collected(bare)
        bare_times.append(b)
        subject_times.append(s)
        if report:
            print(f"  round {index + 1}: bare {b * 1e3:.1f} ms, subject {s * 1e3:.1f} ms, ratio {s / b:.2f}")
    return Paired(bare_times, subject_times)


def _collected(side: Callable[[], float]) -> float:
    gc.collect()
    return side()


@dataclass(frozen=True)
class Row:
    """One line of the ``make bench`` table.

    ``figure`` and ``baseline`` are display strings; ``value`` is what the budget is checked on
    (a ratio, seconds, or a rate), ``budget`` its limit, ``higher_is_better`` its direction.
    """

    name: str
    figure: str
    baseline: str
    value: float
    budget: float | None
    unit: str = "x"
    spread: str = ""
    higher_is_better: bool = False

    @property
    def met(self) -> bool | None:
        if self.budget is None:
            return None
        return self.value >= self.budget if self.higher_is_better else self.value <= self.budget


def emit(row: Row) -> None:
    """Print the row for ``run_all.py`` (and a human reading this script's own output)."""
    print("BENCH " + json.dumps(asdict(row), ensure_ascii=False), flush=True)
