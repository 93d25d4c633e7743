"""Where two conformance runs differ, claim by claim and scenario by scenario.

The same scenarios run against the simulator and a real cluster, or against DKP v1.67 and v1.70;
``dkp-harness report compare A B`` (two conformance.json files, or the report directories holding
them) says where the answers differ. The exit code is non-zero when a claim *checked* on both sides
(it held, was not met, or is a known deviation) is answered differently, or a scenario run on both
sides changed its answer or got worse (passed, then failed or could not be checked): a skipped
sibling scenario must not hide a failure. A claim checked on one side only (skipped because it needs
virtual time, unselected, uncovered, could not be checked), or found "holds" on one side and "known
deviation" on the other by other scenarios (a partial run that left the ``@deviation`` scenario out),
is listed apart, with the skip reason the report gives. Claims neither run checked are only counted.
"""

from __future__ import annotations

import html
import json
import os
import stat
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

__all__ = [
    "CHECKED",
    "CompareError",
    "Difference",
    "RunComparison",
    "compare_runs",
    "label_of",
    "load_run",
    "render_html",
    "render_text",
]

#: Claim and scenario statuses that answer whether the claim holds.
CHECKED = frozenset({"passed", "failed", "deviation"})
#: Statuses of a scenario (or claim) that was run: checked, or could not be checked.
RUN = CHECKED | {"error"}
FAILED = "failed"
#: How bad a run scenario's status is (the report's order: failed > error > deviation, passed).
_SEVERITY = {"passed": 0, "deviation": 0, "error": 1, "failed": 2}


class CompareError(ValueError):
    """A file that is not a readable conformance.json; the message names it and says why."""


@dataclass(frozen=True)
class Difference:
    """One claim or scenario whose status differs between the runs (``None`` = absent there)."""

    key: str
    title: str
    left: str | None
    right: str | None
    same_evidence: bool = True
    """For a claim: whether both runs checked it with the same scenarios. A partial run that left
    out the claim's ``@deviation`` scenario says "holds" where the whole run says "known
    deviation": different questions, not a disagreement."""
    left_reason: str | None = None
    right_reason: str | None = None
    """Why a side skipped (``needs virtual time: …``), as its report says, so a skip is read with
    its cause instead of looking like a regression."""

    @property
    def checked_on_both(self) -> bool:
        return self.left in CHECKED and self.right in CHECKED

    @property
    def claim_conflict(self) -> bool:
        """For a claim: both runs answered whether it holds, and differently.

        "Holds" against "not met" is a disagreement even when other scenarios checked it on each
        side (a skipped sibling must not hide a scenario that went from passed to failed); only a
        "holds" against "known deviation" by other scenarios is the partial-run case above.
        """
        return self.checked_on_both and (self.same_evidence or FAILED in (self.left, self.right))

    @property
    def scenario_conflict(self) -> bool:
        """For a scenario: run on both sides, and its answer changed or it got worse (now errors
        where it passed, fails where it errored)."""
        if self.left not in RUN or self.right not in RUN:
            return False
        return self.checked_on_both or _SEVERITY[str(self.right)] > _SEVERITY[str(self.left)]

    @property
    def checked_by_neither(self) -> bool:
        """Neither side ran or checked it (not applicable, not in the run, uncovered, absent)."""
        return self.left not in RUN and self.right not in RUN


@dataclass
class RunComparison:
    """The differences between a left and a right run."""

    left: str
    right: str
    claims: list[Difference] = field(default_factory=list)
    scenarios: list[Difference] = field(default_factory=list)
    same_claims: int = 0
    same_scenarios: int = 0

    @property
    def claims_in_conflict(self) -> list[Difference]:
        """Claims both runs checked and answered differently: what fails the comparison."""
        return [d for d in self.claims if d.claim_conflict]

    @property
    def claims_checked_once(self) -> list[Difference]:
        """Claims one side checked (or both, by other scenarios, without a failure between them)."""
        return [d for d in self.claims if not d.claim_conflict and not d.checked_by_neither]

    @property
    def claims_checked_by_neither(self) -> list[Difference]:
        """Claims that differ only in why neither run checked them: counted, not listed."""
        return [d for d in self.claims if d.checked_by_neither]

    @property
    def scenarios_worse(self) -> list[Difference]:
        """Scenarios run on both sides whose answer changed or got worse: these fail it too."""
        return [d for d in self.scenarios if d.scenario_conflict]

    @property
    def scenarios_other(self) -> list[Difference]:
        """Scenarios that differ because one side did not run them, or that got better."""
        return [d for d in self.scenarios if not d.scenario_conflict and not d.checked_by_neither]

    @property
    def scenarios_run_by_neither(self) -> list[Difference]:
        return [d for d in self.scenarios if d.checked_by_neither]

    @property
    def differs(self) -> bool:
        return bool(self.claims_in_conflict or self.scenarios_worse)

    @property
    def exit_code(self) -> int:
        return 1 if self.differs else 0


REPORT_FILE = "conformance.json"


def load_run(path: Path) -> dict[str, Any]:
    """A conformance.json as a dict; a clear error for a missing, unreadable or foreign file.

    A report directory (what ``--report-dir`` names) stands for the conformance.json in it: that is
    the path a user has at hand after a run.
    """
    if path.is_dir():
        path = path / REPORT_FILE
        if not path.exists():
            raise CompareError(f"{path.parent}: a folder without {REPORT_FILE} (not a report directory)")
    try:
        data = json.loads(_read_report(path).decode("utf-8"))
    except FileNotFoundError:
        raise CompareError(
            f"{path}: no such file (a conformance.json written by `dkp-harness run`)"
        ) from None
    except RecursionError:
        raise CompareError(f"{path}: not a conformance report (JSON nested too deeply)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CompareError(f"{path}: not readable JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list) or "features" not in data:
        raise CompareError(f"{path}: not a conformance report (no 'claims' and 'features')")
    return data


MAX_REPORT_BYTES = 256 * 1024 * 1024
"""Largest conformance.json compare reads: a real report is a few MB."""


def _read_report(path: Path) -> bytes:
    """The file's bytes; a device, pipe or folder, or a file above :data:`MAX_REPORT_BYTES`, is refused.

    Opened without blocking (a FIFO with no writer would wait for ever) and checked on the open
    descriptor, so what is read is what was checked.
    """
    limit = f"{MAX_REPORT_BYTES // (1024 * 1024)} MB"
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise CompareError(
                f"{path}: not a regular file: give the conformance.json written by `dkp-harness run`"
            )
        if info.st_size > MAX_REPORT_BYTES:
            raise CompareError(
                f"{path}: {info.st_size} bytes, more than a conformance report can be ({limit}):"
                " give the conformance.json written by `dkp-harness run`"
            )
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_REPORT_BYTES and (chunk := os.read(fd, 1024 * 1024)):
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > MAX_REPORT_BYTES:
        raise CompareError(f"{path}: more than {limit}, too large for a conformance report")
    return b"".join(chunks)


def compare_runs(left: dict[str, Any], right: dict[str, Any], labels: tuple[str, str]) -> RunComparison:
    """Every claim and scenario whose status differs, in the left run's order."""
    result = RunComparison(left=labels[0], right=labels[1])
    claims, result.same_claims = _differences(_claims(left), _claims(right))
    evidence = (_claim_evidence(left), _claim_evidence(right))
    reasons = (_claim_skip_reasons(left), _claim_skip_reasons(right))
    result.claims = [
        replace(
            d,
            same_evidence=evidence[0].get(d.key) == evidence[1].get(d.key),
            left_reason=reasons[0].get(d.key) if d.left == "skipped" else None,
            right_reason=reasons[1].get(d.key) if d.right == "skipped" else None,
        )
        for d in claims
    ]
    result.scenarios, result.same_scenarios = _differences(_scenarios(left), _scenarios(right))
    return result


def _skip_reasons(data: dict[str, Any]) -> dict[str, str]:
    """Per scenario node id, the reason it was skipped (as the report recorded it)."""
    return {
        str(s.get("nodeid")): _first_line(str(s["skip_reason"]))
        for feature in data.get("features", [])
        for s in feature.get("scenarios", [])
        if s.get("skip_reason")
    }


def _claim_skip_reasons(data: dict[str, Any]) -> dict[str, str]:
    """Per claim, the distinct skip reasons of its scenarios, joined with ``; ``."""
    by_scenario = _skip_reasons(data)
    found = {}
    for claim in data.get("claims", []):
        reasons = dict.fromkeys(by_scenario[n] for n in claim.get("scenarios") or [] if n in by_scenario)
        if reasons:
            found[str(claim["id"])] = "; ".join(reasons)
    return found


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 160 else line[:159] + "…"


def _claim_evidence(data: dict[str, Any]) -> dict[str, frozenset[str]]:
    """Per claim, the scenarios that checked it (held, not met or a known deviation)."""
    checked = {
        str(s.get("nodeid"))
        for feature in data.get("features", [])
        for s in feature.get("scenarios", [])
        if str(s.get("status")) in CHECKED
    }
    return {
        str(c["id"]): frozenset(str(n) for n in c.get("scenarios") or [] if str(n) in checked)
        for c in data.get("claims", [])
    }


def label_of(data: dict[str, Any], path: Path) -> str:
    """``path (simulator, virtual time)`` or ``path (https://…, Deckhouse v1.70, real time)``."""
    target = data.get("target") or {"kind": "simulator", "time_mode": "virtual"}
    parts = [str(target.get("server") or target.get("kind", "simulator"))]
    parts += [f"Deckhouse {target['deckhouse_version']}"] if target.get("deckhouse_version") else []
    parts.append(f"{target.get('time_mode', 'virtual')} time")
    if data.get("partial"):
        parts.append("partial run")
    return f"{path} ({', '.join(parts)})"


_Entry = tuple[str, str, str | None]
"""Title, status and skip reason of a claim or scenario."""


def _claims(data: dict[str, Any]) -> dict[str, _Entry]:
    return {
        str(c["id"]): (str(c.get("claim", "")), str(c.get("status")), None) for c in data.get("claims", [])
    }


def _scenarios(data: dict[str, Any]) -> dict[str, _Entry]:
    """Scenarios by ``feature: name [example row]``, not by line, so an edit above one keeps its key.

    Two scenarios of one file may share a name: the second (in file order, as the report lists
    them) is keyed ``… #2``, so neither hides the other.
    """
    found: dict[str, _Entry] = {}
    for feature in data.get("features", []):
        for scenario in feature.get("scenarios", []):
            example = scenario.get("example") or {}
            row = ", ".join(f"{k}={v}" for k, v in sorted(example.items()))
            base = f"{scenario.get('feature_uri')}: {scenario.get('name')}" + (f" [{row}]" if row else "")
            key, count = base, 1
            while key in found:
                count += 1
                key = f"{base} #{count}"
            reason = scenario.get("skip_reason")
            found[key] = (
                str(scenario.get("name", "")),
                str(scenario.get("status")),
                _first_line(str(reason)) if reason else None,
            )
    return found


def _differences(left: dict[str, _Entry], right: dict[str, _Entry]) -> tuple[list[Difference], int]:
    keys = list(left) + [k for k in right if k not in left]
    differences, same = [], 0
    for key in keys:
        a, b = left.get(key), right.get(key)
        if a is not None and b is not None and a[1] == b[1]:
            same += 1
            continue
        title = (a or b or ("", "", None))[0]
        differences.append(
            Difference(
                key,
                title,
                None if a is None else a[1],
                None if b is None else b[1],
                left_reason=None if a is None else a[2],
                right_reason=None if b is None else b[2],
            )
        )
    return differences, same


def _evidence_note(difference: Difference) -> str:
    checked_both = difference.left in CHECKED and difference.right in CHECKED
    return "  (checked by different scenarios)" if checked_both and not difference.same_evidence else ""


def _line(difference: Difference, title: bool = False) -> str:
    """``  KEY: left -> right`` with each side's skip reason, the claim text, the evidence note."""
    text = (
        f"  {difference.key}: {_shown(difference.left, difference.left_reason)}"
        f" -> {_shown(difference.right, difference.right_reason)}"
    )
    return text + (f"  {difference.title}" if title else "") + _evidence_note(difference)


def _neither_summary(rows: list[Difference], what: str) -> list[str]:
    """One line for the differences of things neither run checked: e.g. a partial run's
    ``not_applicable -> unselected`` claims are not a difference worth a line each."""
    if not rows:
        return []
    moves = Counter(f"{_shown(d.left)} -> {_shown(d.right)}" for d in rows)
    detail = ", ".join(f"{move}: {count}" for move, count in sorted(moves.items()))
    return [f"{what} neither run checked (not listed): {len(rows)} ({detail})"]


def render_text(result: RunComparison) -> str:
    """The comparison for a terminal or a CI log."""
    lines = [f"left:  {result.left}", f"right: {result.right}", ""]
    conflict, once = result.claims_in_conflict, result.claims_checked_once
    lines.append(f"claims checked on both sides that differ: {len(conflict)}")
    lines += [_line(d, title=True) for d in conflict]
    lines.append(f"claims checked on one side only, or by other scenarios (not a conflict): {len(once)}")
    lines += [_line(d) for d in once]
    lines += _neither_summary(result.claims_checked_by_neither, "claims")
    worse, other = result.scenarios_worse, result.scenarios_other
    lines.append(f"scenarios run on both sides that differ or got worse: {len(worse)}")
    lines += [_line(d) for d in worse]
    lines.append(f"scenarios run on one side only, or that got better (not a conflict): {len(other)}")
    lines += [_line(d) for d in other]
    lines += _neither_summary(result.scenarios_run_by_neither, "scenarios")
    lines.append(f"same: {result.same_claims} claims, {result.same_scenarios} scenarios; {_verdict(result)}")
    return "\n".join(lines) + "\n"


def _verdict(result: RunComparison) -> str:
    if not result.differs:
        return "no claim or scenario checked on both sides differs"
    parts = [f"{len(result.claims_in_conflict)} claim(s)"] if result.claims_in_conflict else []
    parts += [f"{len(result.scenarios_worse)} scenario(s)"] if result.scenarios_worse else []
    return f"the runs disagree: {' and '.join(parts)} checked on both sides differ"


def render_html(result: RunComparison) -> str:
    """A self-contained HTML page of the same comparison."""

    def cell(status: str | None, reason: str | None) -> str:
        return f"<td class='s-{_e(_shown(status))}'>{_e(_shown(status, reason))}</td>"

    def table(title: str, rows: list[Difference], anchor: str) -> str:
        body = (
            "".join(
                f"<tr><td>{_e(d.key)}</td>{cell(d.left, d.left_reason)}{cell(d.right, d.right_reason)}"
                f"<td>{_e(d.title + _evidence_note(d))}</td></tr>"
                for d in rows
            )
            or "<tr><td colspan='4' class='muted'>none</td></tr>"
        )
        return (
            f"<h2 id='{anchor}'>{_e(title)} ({len(rows)})</h2><table><thead><tr><th>Claim / scenario</th>"
            f"<th>Left</th><th>Right</th><th></th></tr></thead><tbody>{body}</tbody></table>"
        )

    neither = _neither_summary(result.claims_checked_by_neither, "Claims") + _neither_summary(
        result.scenarios_run_by_neither, "Scenarios"
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Conformance runs compared</title>"
        f"<style>{_CSS}</style></head><body><main><h1>Conformance runs compared</h1>"
        f"<p>Left: <strong>{_e(result.left)}</strong><br>Right: <strong>{_e(result.right)}</strong></p>"
        f"<p class='verdict {'bad' if result.differs else 'good'}' id='verdict'>{_e(_verdict(result))}; "
        f"{result.same_claims} claims and {result.same_scenarios} scenarios are the same.</p>"
        + table("Claims checked on both sides that differ", result.claims_in_conflict, "conflicts")
        + table(
            "Claims checked on one side only, or by other scenarios",
            result.claims_checked_once,
            "checked-once",
        )
        + table("Scenarios run on both sides that differ or got worse", result.scenarios_worse, "scenarios")
        + table(
            "Scenarios run on one side only, or that got better", result.scenarios_other, "scenarios-once"
        )
        + "".join(f"<p class='muted' id='neither'>{_e(line)}</p>" for line in neither)
        + "</main></body></html>\n"
    )


_CSS = (
    "body{font:14px/1.5 -apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1f2328}"
    "main{max-width:1100px;margin:0 auto;padding:24px}table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #d1d9e0;vertical-align:top}"
    ".verdict{padding:10px 14px;border-radius:8px}.bad{background:#ffebe9}.good{background:#dafbe1}"
    ".s-failed{color:#cf222e}.s-passed{color:#1a7f37}.s-deviation{color:#9a6700}.muted{color:#59636e}"
)


def _shown(status: str | None, reason: str | None = None) -> str:
    shown = "absent" if status is None else status
    return f"{shown} ({reason})" if reason else shown


def _e(text: str) -> str:
    return html.escape(text, quote=True)
