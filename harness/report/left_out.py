"""Claims a partial run checked only in part: scenarios of theirs that the selection left out.

In a partial run (``-k``, ``-m``, ``--claim``, ``--feature``, ``--deselect``, ``--last-failed``) a
claim no selected scenario checks is "not in this run". A claim with three scenarios of which the
selection kept one read "holds" on that one's account, as if the two left out had been asked too.
So every process counts, per claim, the scenarios deselected at collection (pytest calls
``pytest_deselected`` for each filter); an xdist worker ships the counts to the controller in
``config.workeroutput`` (every worker collects and deselects the same items). The report then
says how many of the claim's scenarios the selection left out.

Files a run was not given at all (``pytest features/x.feature`` collects that file only) are not
collected, so their scenarios cannot be counted: the run is partial and says so, but a claim's
scenarios in other files are not counted as left out.

When every worker crashed before its end, none shipped its counts: the controller then derives
them from the node ids the workers collected (:mod:`harness.report.derived_left_out`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from harness.report.recorder import item_claims

__all__ = ["LEFT_OUT_KEY", "count_left_out", "left_out_from", "shipped_left_out"]

#: The ``config.workeroutput`` key under which an xdist worker ships its counts.
LEFT_OUT_KEY = "harness.report.left_out"


def count_left_out(items: Iterable[pytest.Item], into: Counter[str]) -> None:
    """Add one per claim for each deselected scenario that checks it."""
    for item in items:
        into.update(item_claims(item))


def shipped_left_out(workeroutput: Mapping[str, Any] | None) -> bool:
    """True when an xdist worker shipped its counts (none may be above zero): it reached its end."""
    return isinstance((workeroutput or {}).get(LEFT_OUT_KEY), str)


def left_out_from(workeroutput: Mapping[str, Any] | None) -> dict[str, int]:
    """The counts an xdist worker shipped (nothing when it crashed before its end)."""
    raw = (workeroutput or {}).get(LEFT_OUT_KEY)
    if not isinstance(raw, str):
        return {}
    data = json.loads(raw)
    if not isinstance(data, dict):
        return {}
    return {str(k): int(v) for k, v in data.items() if isinstance(v, int) and v > 0}
