"""Gherkin tags: the markers they become, the mistaken ones, and claim tags that name no real claim.

``@claim:MS-01`` becomes ``pytest.mark.claim("MS-01")``; ``@deviation``, ``@simulation-only``,
``@slow`` and ``@beyond-page`` become ``deviation``, ``simulation_only``, ``slow`` and
``beyond_page`` markers. They are registered so ``--strict-markers`` accepts them.
``@deckhouse-since:<VERSION>`` and ``@deckhouse-before:<VERSION>`` are the step plugin's
(``harness.steps.eras_plugin``), which turns them into ``deckhouse_since`` and
``deckhouse_before`` markers. Any other tag a QA author writes in a feature file under
``features/`` (say ``@smoke``) becomes a marker of that name and is registered too, so it needs no
pyproject edit and ``-m smoke`` selects it.

Every feature file under ``features/`` is collected in every run, so no tag may fail the
collection: one bad tag would stop the runs of all the other files. A tag pytest cannot take as a
marker name (``@jira:ABC-1``, ``@a(b)``, ``@_x``: pytest cuts a registered name at ``:`` and ``(``
and refuses a leading ``_``) becomes no marker; the scenario runs, ``-m`` cannot select it and
``dkp-harness steps --lint`` says so. A tag that cannot mean what its author wrote
(:func:`tag_mistake`: ``@claims:REL-04``, ``@since:v1.75.0``, an era tag whose version does not
parse) and a claim ID that is not in the catalogue would silently leave a claim unchecked or
check it against the wrong Deckhouse version, so the scenario carrying it (only) errors at setup
with the feature file and line of the tag and the fix (and the lint finds it before any run).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from pytest_bdd.parser import ScenarioTemplate

from harness import eras
from harness.feature_text import read_feature, real_path
from harness.report.model import BEYOND_PAGE_TAG
from harness.report.page_expectation import misplaced_page_steps
from harness.report.recorder import item_claims, scenario_template

__all__ = [
    "BEYOND_PAGE_TAG",
    "CLAIM_PREFIX",
    "ERA_PREFIXES",
    "FLAG_TAGS",
    "MARKERS",
    "SINCE_TAG",
    "UNTIL_TAG",
    "apply_tag",
    "claim_hint",
    "claim_tag_problems",
    "examples_tag_problems",
    "feature_tags",
    "item_claim_problems",
    "marker_name",
    "register_feature_tags",
    "register_markers",
    "tag_mistake",
    "unexplained_deviation",
]

CLAIM_PREFIX = "claim:"
SINCE_TAG = "deckhouse-since:"
UNTIL_TAG = "deckhouse-before:"
ERA_PREFIXES = (SINCE_TAG, UNTIL_TAG)
FLAG_TAGS = {
    "deviation": "deviation",
    "simulation-only": "simulation_only",
    "slow": "slow",
    BEYOND_PAGE_TAG: "beyond_page",
}

MARKERS = (
    "claim(id): the scenario checks the documented claim with this ID (from @claim:<ID>)",
    "deviation: the scenario checks a known page-vs-DKP difference (from @deviation)",
    "simulation_only: needs simulation powers; skipped against a real cluster (from @simulation-only)",
    "slow: takes more than a second of wall time",
    "beyond_page: checks DKP behaviour the page does not describe; counts for no claim (from @beyond-page)",
)

_PYTEST_OWN = ("parametrize",)
"""pytest's markers that fail the collection when given no arguments, as a tag gives none."""
_ERA_WORDS = ("since", "before", "after", "until", "deckhouse")
"""Words that, before a ``:``, can only mean an era tag (``@since:v1.75.0``)."""
_CLOSE = 0.8
"""How alike a tag's prefix must be to a known one to count as its typo (``cliam``, ``deckhouse-snce``)."""


def register_markers(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)


def feature_tags(features_dir: Path) -> set[str]:
    """Every tag (without ``@``) written in the feature files under ``features_dir``."""
    tags: set[str] = set()
    for path in sorted(features_dir.rglob("*.feature")) if features_dir.is_dir() else []:
        try:
            text = read_feature(path)
        except (OSError, UnicodeDecodeError):
            continue  # pytest-bdd reports the unreadable file with its own error
        for line in text.splitlines():
            stripped = line.split("#", 1)[0].strip()
            if stripped.startswith("@"):
                tags.update(t[1:] for t in stripped.split() if t.startswith("@") and len(t) > 1)
    return tags


def register_feature_tags(config: pytest.Config, features_dir: Path) -> None:
    """Register the feature files' own tags as markers, so ``--strict-markers`` accepts them.

    Only the tags that become a marker of their own name (:func:`marker_name`): pytest reads a
    ``markers`` line up to its first ``:``, so ``claims:REL-04: …`` registered ``claims`` and left
    the tag itself unknown to ``--strict-markers``.
    """
    for tag in sorted(feature_tags(features_dir)):
        if marker_name(tag) is not None:
            config.addinivalue_line("markers", f"{tag}: tag @{tag} from a feature file")


def marker_name(tag: str) -> str | None:
    """The marker an author's own tag becomes (the tag itself), or None when it becomes none.

    None for the harness's tags (claims, eras and flags have markers of other names), for the
    tags of :func:`tag_mistake`, and for names pytest cannot register: it cuts a ``markers`` line
    at the first ``:`` or ``(`` and refuses a marker name that starts with ``_``.
    """
    if tag.startswith((CLAIM_PREFIX, *ERA_PREFIXES)) or tag in FLAG_TAGS:
        return None
    if not tag or tag.startswith("_") or ":" in tag or "(" in tag or tag_mistake(tag) is not None:
        return None
    return tag


def apply_tag(tag: str, function: Callable[..., object]) -> bool | None:
    """Turn a tag into its marker; None hands it on (era tags to the step plugin, own tags to pytest-bdd).

    A tag that is no marker (:func:`marker_name`) is taken here, with True and no marker: pytest-bdd
    would do ``getattr(pytest.mark, tag)``, which under ``--strict-markers`` fails the collection
    of every scenario of the run. Its problem, if it is one, errors its own scenario at setup
    (:func:`item_claim_problems`).
    """
    if tag.startswith(CLAIM_PREFIX):
        pytest.mark.claim(tag.removeprefix(CLAIM_PREFIX))(function)
        return True
    marker = FLAG_TAGS.get(tag)
    if marker is not None:
        getattr(pytest.mark, marker)(function)
        return True
    if tag.startswith(ERA_PREFIXES) or marker_name(tag) is not None:
        return None
    return True


def tag_mistake(tag: str) -> str | None:
    """What is wrong with a tag that cannot mean what its author wrote, with the fix; None otherwise.

    A mistyped claim tag leaves its claim unchecked, a mistyped era tag runs the scenario against
    every Deckhouse version, and both would pass for an author's own tag: only their likeness to
    the real ones (``@claims:REL-04``, ``@Claim:REL-04``, ``@since:v1.75.0``,
    ``@deckhouse_since:v1.75.0``) gives them away. ``dkp-harness steps --lint`` and the run say
    the same.
    """
    prefix, colon, value = tag.partition(":")
    word = prefix.lower().replace("_", "-")
    if tag.startswith(ERA_PREFIXES):
        return _era_version_problem(tag, value)
    if tag.startswith(CLAIM_PREFIX):
        return None
    if word.startswith("claim") or (colon and _close(word, "claim")):
        example = value or "MS-01"
        return f"tag @{tag} looks like a claim tag; write @{CLAIM_PREFIX}<ID>, e.g. @{CLAIM_PREFIX}{example}"
    era_like = word in _ERA_WORDS or any(_close(word, p.rstrip(":")) for p in ERA_PREFIXES)
    if (colon and era_like) or f"{tag}:" in ERA_PREFIXES:
        return (
            f"tag @{tag} looks like a Deckhouse version tag; write @{SINCE_TAG}<VERSION> or "
            f"@{UNTIL_TAG}<VERSION>, e.g. @{SINCE_TAG}v1.75.0"
        )
    if tag in _PYTEST_OWN:
        return f"tag @{tag} is pytest's own marker, which needs arguments a tag cannot give; rename the tag"
    return None


_SCENARIO_ONLY = ("deviation", "simulation-only", BEYOND_PAGE_TAG)


def examples_tag_problems(template: ScenarioTemplate) -> list[tuple[int, str]]:
    """``(line, why)`` for each tag on an ``Examples:`` table that only a scenario can carry.

    Gherkin allows tags on an Examples table, and pytest-bdd turns them into plain marks of the
    table's rows; but the report, the era plugin and the real-cluster target read these tags from
    the scenario, the rule and the feature only: a ``@claim:`` there was silently ignored (its
    claim not counted), an era tag ran the rows on every version. The lint and the run (the
    scenario errors at setup) refuse them alike."""
    why = (
        "is on an Examples table, where the report and the runs do not read it; put it on the "
        "Scenario Outline, or give these rows an Outline of their own"
    )
    return [
        (examples.line_number or template.line_number, f"tag @{tag} {why}")
        for examples in template.examples
        for tag in sorted(examples.tags)
        if tag.startswith((CLAIM_PREFIX, *ERA_PREFIXES)) or tag in _SCENARIO_ONLY
    ]


def _close(word: str, known: str) -> bool:
    return difflib.SequenceMatcher(None, word, known).ratio() >= _CLOSE


def _era_version_problem(tag: str, version: str) -> str | None:
    try:
        eras.parse_version(version)
    except eras.VersionError as exc:
        return f"tag @{tag}: {exc}"
    return None


def claim_tag_problems(
    items: Iterable[pytest.Item], known: frozenset[str] | None, catalogue_path: Path
) -> list[str]:
    """One message per unknown claim ID or mistaken tag, with the feature file and line of its tag."""
    return sorted({p for item in items for p in item_claim_problems(item, known, catalogue_path)})


def item_claim_problems(
    item: pytest.Item,
    known: frozenset[str] | None,
    catalogue_path: Path,
    explained: frozenset[str] | None = None,
) -> list[str]:
    """The tag problems of one scenario, each with the feature file and line of its tag.

    Unknown claim IDs, the tags of :func:`tag_mistake`, and, given ``explained`` (the IDs of the
    claims whose catalogue entry gives a deviation reason), a ``@deviation`` none of whose known
    claims has a reason (:func:`unexplained_deviation`). The report plugin makes the scenario
    (only) error at setup with them, so a typo in one file never stops the runs of the others.
    """
    template = scenario_template(item)
    if template is None:
        return []
    filename, line = template.feature.filename, template.line_number
    problems = []
    for marker in item.iter_markers("claim"):
        claim_id = str(marker.args[0]) if marker.args else ""
        if known is not None and claim_id in known:
            continue
        problems.append(_message(claim_id, filename, line, item, known, catalogue_path))
    rule_tags = template.rule.tags if template.rule is not None else set()
    for tag in sorted(template.tags | template.feature.tags | rule_tags):
        mistake = tag_mistake(tag)
        if mistake is not None:
            where = f"{_display_path(filename, item.config.rootpath)}:{_tag_line(filename, tag, line)}"
            problems.append(f"{where}: {mistake}")
    misplaced = misplaced_page_steps(item.get_closest_marker("deviation") is not None, template.steps)
    if misplaced is not None:
        problems.append(f"{_display_path(filename, item.config.rootpath)}:{line}: {misplaced}")
    for examples_line, why in examples_tag_problems(template):
        problems.append(f"{_display_path(filename, item.config.rootpath)}:{examples_line}: {why}")
    if known is not None and explained is not None and item.get_closest_marker("deviation") is not None:
        claims = item_claims(item)
        unexplained = unexplained_deviation(claims, known, explained)
        if unexplained is not None:
            where = (
                f"{_display_path(filename, item.config.rootpath)}:{_tag_line(filename, 'deviation', line)}"
            )
            problems.append(f"{where}: {unexplained}")
    return sorted(set(problems))


def unexplained_deviation(
    claims: Iterable[str], known: frozenset[str], explained: frozenset[str]
) -> str | None:
    """Why a ``@deviation`` on a scenario checking ``claims`` means nothing, or None when it does.

    A pass of a ``@deviation`` scenario is a known deviation only for claims the catalogue gives a
    reason; with none, the run printed DEVIATION, counted a deviation and failed
    ``--fail-on-deviation`` while the claim table said "holds" with no deviation. It is a mistake
    in the scenario, as ``dkp-harness steps --lint`` says (in the same words): the scenario
    cannot be checked until the reason is written or the tag dropped. Unknown IDs have their own
    message; a scenario with no known claim gets none here.
    """
    listed = [c for c in claims if c in known]
    if not listed or any(c in explained for c in listed):
        return None
    return (
        f"@deviation, but none of its claims ({', '.join(listed)}) has a deviation reason in the "
        "claims catalogue; add the reason to the claim it demonstrates, or drop @deviation"
    )


def _message(
    claim_id: str,
    filename: str,
    scenario_line: int,
    item: pytest.Item,
    known: frozenset[str] | None,
    catalogue_path: Path,
) -> str:
    tag = f"{CLAIM_PREFIX}{claim_id}"
    where = f"{_display_path(filename, item.config.rootpath)}:{_tag_line(filename, tag, scenario_line)}"
    shown = _display_path(str(catalogue_path), item.config.rootpath)
    if known is None:
        return (
            f"{where}: claim tag @claim:{claim_id} cannot be checked: no claims catalogue at {shown}; "
            "create it or pass --claims FILE"
        )
    # the place first, as the lint and every other scenario error give it (editors jump to it)
    return f"{where}: unknown claim ID '{claim_id}'{claim_hint(claim_id, known)}; known IDs are in {shown}"


def claim_hint(claim_id: str, known: frozenset[str]) -> str:
    """`` (did you mean …?)`` for an unknown claim ID, or what else to write; ``""`` when nothing fits.

    difflib alone answered ``@claim:REL-04,REL-05`` with "did you mean REL-04?", dropping REL-05,
    and had nothing for ``@claim:rel-04`` or an empty ``@claim:``.
    """
    if not claim_id:
        return " (write the claim's ID after the colon, e.g. @claim:REL-04)"
    parts = [p for p in re.split(r"[,;\s]+", claim_id) if p]
    if len(parts) > 1 and all(p.upper() in known for p in parts):
        return f" (one tag per claim: {' '.join('@claim:' + p.upper() for p in parts)})"
    if claim_id.upper() in known:
        return f" (did you mean {claim_id.upper()}? claim IDs are upper-case)"
    hint = difflib.get_close_matches(claim_id, sorted(known), n=1)
    return f" (did you mean {hint[0]}?)" if hint else ""


def _tag_line(filename: str, tag: str, scenario_line: int) -> int:
    """The line of ``@tag`` nearest above the scenario (feature and rule tags included)."""
    token = f"@{tag}"
    try:
        lines = read_feature(filename).splitlines()
    except OSError:
        return scenario_line
    hits = [n for n, text in enumerate(lines, start=1) if token in text.split("#", 1)[0].split()]
    above = [n for n in hits if n <= scenario_line]
    if above:
        return above[-1]
    return hits[0] if hits else scenario_line


def _display_path(filename: str, root: Path) -> str:
    path = Path(filename)
    try:
        return real_path(path).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
