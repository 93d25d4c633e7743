"""Where two conformance runs differ, claim by claim and scenario by scenario.

The same scenarios run against the simulator and a real cluster, or against DKP v1.67 and v1.70;
``dkp-harness report compare A.json B.json`` says where the answers differ. Only a claim *checked*
on both sides (it held, was not met, or is a known deviation) can disagree in a way that matters:
that is what makes the exit code non-zero. A claim checked on one side only (skipped because it
needs virtual time, unselected, uncovered, could not be checked), or checked by other scenarios on
each side (a partial run that left some of the claim's scenarios out), is listed apart: the runs
did not answer the same question.
"""

from __future__ import annotations

import html
import json
import os
import stat
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

    @property
    def checked_on_both(self) -> bool:
        return self.left in CHECKED and self.right in CHECKED and self.same_evidence


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
        return [d for d in self.claims if d.checked_on_both]

    @property
    def claims_checked_once(self) -> list[Difference]:
        return [d for d in self.claims if not d.checked_on_both]

    @property
    def exit_code(self) -> int:
        return 1 if self.claims_in_conflict else 0


def load_run(path: Path) -> dict[str, Any]:
    """A conformance.json as a dict; a clear error for a missing, unreadable or foreign file."""
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
    result.claims, result.same_claims = _differences(_claims(left), _claims(right))
    evidence = (_claim_evidence(left), _claim_evidence(right))
    result.claims = [
        replace(d, same_evidence=evidence[0].get(d.key) == evidence[1].get(d.key)) for d in result.claims
    ]
    result.scenarios, result.same_scenarios = _differences(_scenarios(left), _scenarios(right))
    return result


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


def _claims(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {str(c["id"]): (str(c.get("claim", "")), str(c.get("status"))) for c in data.get("claims", [])}


def _scenarios(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Scenarios by ``feature: name [example row]``, not by line, so an edit above one keeps its key.

    Two scenarios of one file may share a name: the second (in file order, as the report lists
    them) is keyed ``… #2``, so neither hides the other.
    """
    found: dict[str, tuple[str, str]] = {}
    for feature in data.get("features", []):
        for scenario in feature.get("scenarios", []):
            example = scenario.get("example") or {}
            row = ", ".join(f"{k}={v}" for k, v in sorted(example.items()))
            base = f"{scenario.get('feature_uri')}: {scenario.get('name')}" + (f" [{row}]" if row else "")
            key, count = base, 1
            while key in found:
                count += 1
                key = f"{base} #{count}"
            found[key] = (str(scenario.get("name", "")), str(scenario.get("status")))
    return found


def _differences(
    left: dict[str, tuple[str, str]], right: dict[str, tuple[str, str]]
) -> tuple[list[Difference], int]:
    keys = list(left) + [k for k in right if k not in left]
    differences, same = [], 0
    for key in keys:
        a, b = left.get(key), right.get(key)
        if a is not None and b is not None and a[1] == b[1]:
            same += 1
            continue
        title = (a or b or ("", ""))[0]
        differences.append(Difference(key, title, None if a is None else a[1], None if b is None else b[1]))
    return differences, same


def _evidence_note(difference: Difference) -> str:
    checked_both = difference.left in CHECKED and difference.right in CHECKED
    return "  (checked by different scenarios)" if checked_both and not difference.same_evidence else ""


def render_text(result: RunComparison) -> str:
    """The comparison for a terminal or a CI log."""
    lines = [f"left:  {result.left}", f"right: {result.right}", ""]
    conflict, once = result.claims_in_conflict, result.claims_checked_once
    lines.append(f"claims checked on both sides that differ: {len(conflict)}")
    lines += [f"  {d.key}: {d.left} -> {d.right}  {d.title}" for d in conflict]
    lines.append(f"claims checked on one side only, or by other scenarios (not a conflict): {len(once)}")
    lines += [f"  {d.key}: {_shown(d.left)} -> {_shown(d.right)}{_evidence_note(d)}" for d in once]
    lines.append(f"scenarios that differ: {len(result.scenarios)}")
    lines += [f"  {d.key}: {_shown(d.left)} -> {_shown(d.right)}" for d in result.scenarios]
    lines.append(
        f"same: {result.same_claims} claims, {result.same_scenarios} scenarios; "
        + ("the runs disagree on a checked claim" if conflict else "no checked claim differs")
    )
    return "\n".join(lines) + "\n"


def render_html(result: RunComparison) -> str:
    """A self-contained HTML page of the same comparison."""

    def table(title: str, rows: list[Difference], anchor: str) -> str:
        body = (
            "".join(
                f"<tr><td>{_e(d.key)}</td><td class='s-{_e(_shown(d.left))}'>{_e(_shown(d.left))}</td>"
                f"<td class='s-{_e(_shown(d.right))}'>{_e(_shown(d.right))}</td><td>{_e(d.title)}</td></tr>"
                for d in rows
            )
            or "<tr><td colspan='4' class='muted'>none</td></tr>"
        )
        return (
            f"<h2 id='{anchor}'>{_e(title)} ({len(rows)})</h2><table><thead><tr><th>Claim / scenario</th>"
            f"<th>Left</th><th>Right</th><th></th></tr></thead><tbody>{body}</tbody></table>"
        )

    verdict = (
        f"{len(result.claims_in_conflict)} claim(s) checked on both sides differ"
        if result.claims_in_conflict
        else "No claim checked on both sides differs"
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Conformance runs compared</title>"
        f"<style>{_CSS}</style></head><body><main><h1>Conformance runs compared</h1>"
        f"<p>Left: <strong>{_e(result.left)}</strong><br>Right: <strong>{_e(result.right)}</strong></p>"
        f"<p class='verdict {'bad' if result.claims_in_conflict else 'good'}' id='verdict'>{_e(verdict)}; "
        f"{result.same_claims} claims and {result.same_scenarios} scenarios are the same.</p>"
        + table("Claims checked on both sides that differ", result.claims_in_conflict, "conflicts")
        + table(
            "Claims checked on one side only, or by other scenarios",
            result.claims_checked_once,
            "checked-once",
        )
        + table("Scenarios that differ", result.scenarios, "scenarios")
        + "</main></body></html>\n"
    )


_CSS = (
    "body{font:14px/1.5 -apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1f2328}"
    "main{max-width:1100px;margin:0 auto;padding:24px}table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #d1d9e0;vertical-align:top}"
    ".verdict{padding:10px 14px;border-radius:8px}.bad{background:#ffebe9}.good{background:#dafbe1}"
    ".s-failed{color:#cf222e}.s-passed{color:#1a7f37}.s-deviation{color:#9a6700}.muted{color:#59636e}"
)


def _shown(status: str | None) -> str:
    return "absent" if status is None else status


def _e(text: str) -> str:
    return html.escape(text, quote=True)
