"""Gherkin tags the report understands, and the check that claim tags name real claims.

``@claim:MS-01`` becomes ``pytest.mark.claim("MS-01")``; ``@deviation``, ``@simulation-only`` and
``@slow`` become ``deviation``, ``simulation_only`` and ``slow`` markers. They are registered so
``--strict-markers`` accepts them. Any other tag a QA author writes in a feature file under
``features/`` (say ``@smoke``) becomes a marker of that name and is registered too, so it needs no
pyproject edit and ``-m smoke`` selects it. A claim ID that is not in the catalogue is a typo that would
silently leave a claim uncovered, so the scenario carrying it errors at setup with the feature file
and line of the tag (and ``dkp-harness steps --lint`` finds it before any run); the other
scenarios of the same file still run.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from harness.report.recorder import scenario_template

__all__ = [
    "CLAIM_PREFIX",
    "FLAG_TAGS",
    "MARKERS",
    "apply_tag",
    "claim_tag_problems",
    "feature_tags",
    "item_claim_problems",
    "register_feature_tags",
    "register_markers",
]

CLAIM_PREFIX = "claim:"
FLAG_TAGS = {"deviation": "deviation", "simulation-only": "simulation_only", "slow": "slow"}

MARKERS = (
    "claim(id): the scenario checks the documented claim with this ID (from @claim:<ID>)",
    "deviation: the scenario checks a known page-vs-DKP difference (from @deviation)",
    "simulation_only: needs simulation powers; skipped against a real cluster (from @simulation-only)",
    "slow: takes more than a second of wall time",
)


def register_markers(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)


def feature_tags(features_dir: Path) -> set[str]:
    """Every tag (without ``@``) written in the feature files under ``features_dir``."""
    tags: set[str] = set()
    for path in sorted(features_dir.rglob("*.feature")) if features_dir.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # pytest-bdd reports the unreadable file with its own error
        for line in text.splitlines():
            stripped = line.split("#", 1)[0].strip()
            if stripped.startswith("@"):
                tags.update(t[1:] for t in stripped.split() if t.startswith("@") and len(t) > 1)
    return tags


def register_feature_tags(config: pytest.Config, features_dir: Path) -> None:
    """Register the feature files' own tags as markers, so ``--strict-markers`` accepts them."""
    for tag in sorted(feature_tags(features_dir)):
        if tag.startswith(CLAIM_PREFIX) or tag in FLAG_TAGS:
            continue
        config.addinivalue_line("markers", f"{tag}: tag @{tag} from a feature file")


def apply_tag(tag: str, function: Callable[..., object]) -> bool | None:
    """Turn a report tag into a marker; None lets pytest-bdd handle every other tag."""
    if tag.startswith(CLAIM_PREFIX):
        pytest.mark.claim(tag.removeprefix(CLAIM_PREFIX))(function)
        return True
    marker = FLAG_TAGS.get(tag)
    if marker is None:
        return None
    getattr(pytest.mark, marker)(function)
    return True


def claim_tag_problems(
    items: Iterable[pytest.Item], known: frozenset[str] | None, catalogue_path: Path
) -> list[str]:
    """One message per unknown claim ID, with the feature file and line of its tag."""
    return sorted({p for item in items for p in item_claim_problems(item, known, catalogue_path)})


def item_claim_problems(item: pytest.Item, known: frozenset[str] | None, catalogue_path: Path) -> list[str]:
    """The unknown claim IDs of one scenario, each with the feature file and line of its tag."""
    template = scenario_template(item)
    if template is None:
        return []
    problems = []
    for marker in item.iter_markers("claim"):
        claim_id = str(marker.args[0]) if marker.args else ""
        if known is not None and claim_id in known:
            continue
        problems.append(
            _message(claim_id, template.feature.filename, template.line_number, item, known, catalogue_path)
        )
    return sorted(set(problems))


def _message(
    claim_id: str,
    filename: str,
    scenario_line: int,
    item: pytest.Item,
    known: frozenset[str] | None,
    catalogue_path: Path,
) -> str:
    where = f"{_display_path(filename, item.config.rootpath)}:{_tag_line(filename, claim_id, scenario_line)}"
    shown = _display_path(str(catalogue_path), item.config.rootpath)
    if known is None:
        return (
            f"claim tag @claim:{claim_id} in {where} cannot be checked: no claims catalogue at {shown}; "
            "create it or pass --claims FILE"
        )
    hint = difflib.get_close_matches(claim_id, sorted(known), n=1)
    suggestion = f" (did you mean {hint[0]}?)" if hint else ""
    return f"unknown claim ID '{claim_id}' in {where}{suggestion}; known IDs are in {shown}"


def _tag_line(filename: str, claim_id: str, scenario_line: int) -> int:
    """The line of the ``@claim:<id>`` tag nearest above the scenario (feature tags included)."""
    token = f"@{CLAIM_PREFIX}{claim_id}"
    try:
        lines = Path(filename).read_text(encoding="utf-8").splitlines()
    except OSError:
        return scenario_line
    hits = [n for n, text in enumerate(lines, start=1) if token in text.split()]
    above = [n for n in hits if n <= scenario_line]
    if above:
        return above[-1]
    return hits[0] if hits else scenario_line


def _display_path(filename: str, root: Path) -> str:
    path = Path(filename)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
