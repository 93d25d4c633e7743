"""Lint of the tags in feature files: claim IDs the catalogue knows, deviations it explains.

A typo in ``@claim:REL-3`` or ``@claims:REL-03`` would leave a claim unchecked (the run errors
that scenario at setup), and a ``@deviation`` tag on a scenario whose claims have no deviation
reason would promise a reader an explanation that the report cannot give. Both are caught here,
with ``file:line``, before any run; :func:`harness.report.tags.tag_mistake` is the one judge of
a mistaken tag, for this lint and for the run. Other tags (``@smoke``, ``@slow``) need nothing:
the report plugin registers every tag of the feature files as a pytest marker, so ``-m smoke``
works under ``--strict-markers``; the lint only flags the ones ``-m`` cannot select.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pytest_bdd.exceptions import GherkinParseError
from pytest_bdd.parser import ScenarioTemplate

from harness import eras
from harness.feature_text import gherkin_problem, not_utf8, read_feature, unreadable_file
from harness.report.claims import Catalogue
from harness.report.page_expectation import is_page_step, misplaced_page_steps
from harness.report.tags import (
    BEYOND_PAGE_TAG,
    CLAIM_PREFIX,
    ERA_PREFIXES,
    FLAG_TAGS,
    SINCE_TAG,
    UNTIL_TAG,
    claim_hint,
    examples_tag_problems,
    marker_name,
    tag_mistake,
)
from harness.steps.binding import parse_feature
from harness.steps.lint import feature_files, shown_path

__all__ = ["FILE", "TagProblem", "tag_problems"]

FILE = "file"
"""The kind of a :class:`TagProblem` that is an unreadable file (not valid Gherkin, not UTF-8)."""

# A marker name pytest's -m can use; a tag outside this still runs but cannot be selected.
_MARKER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_KEYWORDS = frozenset({"and", "or", "not"})


@dataclass(frozen=True)
class TagProblem:
    """One finding of the tag lint, at a feature file line."""

    location: str
    message: str
    kind: str = "tag"
    """``tag``, or :data:`FILE` for a file the lint could not read (no tag of it was looked at)."""

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def tag_problems(features_dir: Path, catalogue: Catalogue | None) -> list[TagProblem]:
    """Unknown claim IDs, malformed claim tags, unexplained deviations and unparsable files."""
    problems: list[TagProblem] = []
    base, files = feature_files(features_dir)
    for path in files:
        shown = _shown(path, base)
        try:
            # every scenario in file order, two of the same name included; the binding, this lint
            # and the tag lint share the parse
            parsed = parse_feature(base, path.relative_to(base))
        except GherkinParseError as exc:
            detail = gherkin_problem(getattr(exc, "message", None) or str(exc))
            content = (getattr(exc, "line_content", "") or "").strip()
            found = f"\n    {content}" if content else ""
            where = f"{shown}:{getattr(exc, 'line', 0)}"
            problems.append(TagProblem(where, f"not valid Gherkin: {detail}{found}", FILE))
            continue
        except UnicodeDecodeError as exc:
            line, message = not_utf8(exc)
            problems.append(TagProblem(f"{shown}:{line}", message, FILE))
            continue
        except OSError as exc:
            problems.append(TagProblem(shown, unreadable_file(exc), FILE))
            continue
        lines = read_feature(path).splitlines()
        for template in parsed.scenarios:
            rule_tags = template.rule.tags if template.rule else set()
            tags = template.tags | parsed.feature.tags | rule_tags
            problems += _scenario_problems(tags, template.line_number, lines, shown, catalogue)
            problems += _era_problems(tags, template.line_number, lines, shown, catalogue)
            problems += _unchecked_claims(tags, template, shown)
            problems += _claims_beyond_the_page(tags, template, shown)
            misplaced = misplaced_page_steps("deviation" in tags, template.steps)
            if misplaced is not None:
                problems.append(TagProblem(f"{shown}:{template.line_number}", misplaced))
            problems += [TagProblem(f"{shown}:{line}", why) for line, why in examples_tag_problems(template)]
    return sorted(set(problems), key=_order)


def _unchecked_claims(tags: set[str], template: ScenarioTemplate, shown: str) -> Iterator[TagProblem]:
    """A claim-tagged scenario without a ``Then`` step checks nothing, yet its pass would count
    for its claims: the report would say a claim holds on no evidence."""
    claims = sorted(t.removeprefix(CLAIM_PREFIX) for t in tags if t.startswith(CLAIM_PREFIX))
    if any(step.type == "then" and not is_page_step(step.name) for step in template.steps):
        return  # a "the page says:" step is not checked while the scenario passes
    if not claims and BEYOND_PAGE_TAG in tags:
        yield TagProblem(
            f"{shown}:{template.line_number}",
            f"scenario {template.name!r} is tagged @{BEYOND_PAGE_TAG} but has no Then step: it checks "
            "nothing; add a Then step that checks the behaviour it is about",
        )
    if not claims:
        return
    listed = ", ".join(f"@claim:{c}" for c in claims)
    yield TagProblem(
        f"{shown}:{template.line_number}",
        f"scenario {template.name!r} is tagged {listed} but has no Then step: it checks nothing, yet "
        "its pass would count for the claim; add a Then step that checks what the claim says, or drop "
        "the claim tag",
    )


def _claims_beyond_the_page(tags: set[str], template: ScenarioTemplate, shown: str) -> Iterator[TagProblem]:
    """``@beyond-page`` says no claim counts the scenario; a claim tag beside it says one does.
    One of the two is a mistake, and the report could only honour one of them."""
    claims = sorted(t for t in tags if t.startswith(CLAIM_PREFIX))
    if BEYOND_PAGE_TAG not in tags or not claims:
        return
    listed = ", ".join(f"@{c}" for c in claims)
    yield TagProblem(
        f"{shown}:{template.line_number}",
        f"scenario {template.name!r} is tagged @{BEYOND_PAGE_TAG} and {listed}: a scenario beyond the "
        f"page counts for no claim; drop @{BEYOND_PAGE_TAG}, or the claim tag",
    )


def _scenario_problems(
    tags: set[str], line: int, lines: list[str], shown: str, catalogue: Catalogue | None
) -> Iterator[TagProblem]:
    claims = sorted(t.removeprefix(CLAIM_PREFIX) for t in tags if t.startswith(CLAIM_PREFIX))
    for tag in sorted(tags):
        where = f"{shown}:{_tag_line(lines, tag, line)}"
        mistake = tag_mistake(tag)
        if tag.startswith(CLAIM_PREFIX):
            yield from _claim_problem(tag.removeprefix(CLAIM_PREFIX), where, catalogue)
        elif mistake is not None:
            yield TagProblem(where, mistake)
        elif _unselectable(tag):
            yield TagProblem(where, _unselectable_message(tag))
    if "deviation" in tags and catalogue is not None:
        explained = [c for c in claims if (claim := catalogue.get(c)) is not None and claim.deviation]
        known = [c for c in claims if catalogue.get(c) is not None]
        if known and not explained:
            yield TagProblem(
                f"{shown}:{_tag_line(lines, 'deviation', line)}",
                f"@deviation, but none of its claims ({', '.join(known)}) has a deviation reason in the "
                "claims catalogue; add the reason to the claim it demonstrates, or drop @deviation",
            )


def _era_problems(
    tags: set[str], line: int, lines: list[str], shown: str, catalogue: Catalogue | None
) -> Iterator[TagProblem]:
    """A claim about some Deckhouse versions only (``since``/``before`` in the catalogue), checked
    by a scenario whose era tags let it run on others: a run of another version would count its
    pass for the claim ("holds") although the claim is not about that version. Before that, era
    tags that leave no version at all: such a scenario would be skipped on every run."""
    since, before = _era_bounds(tags)
    if since is not None and before is not None and since >= before:
        written = sorted(tag for tag in tags if tag.startswith(SINCE_TAG))
        yield TagProblem(
            f"{shown}:{_tag_line(lines, written[0], line)}",
            f"@{SINCE_TAG}{since} and @{UNTIL_TAG}{before} leave no Deckhouse version to check, so the"
            " scenario would be skipped on every run: the since version must be below the before one",
        )
    if catalogue is None:
        return
    for claim_id in sorted(t.removeprefix(CLAIM_PREFIX) for t in tags if t.startswith(CLAIM_PREFIX)):
        claim = catalogue.get(claim_id)
        if claim is None or not (claim.since or claim.before):
            continue
        wide_start = claim.since and (since is None or since < eras.parse_version(claim.since))
        wide_end = claim.before and (before is None or before > eras.parse_version(claim.before))
        if wide_start or wide_end:
            needed = " ".join(
                tag
                for tag, wanted in (
                    (f"@{SINCE_TAG}{claim.since}", wide_start),
                    (f"@{UNTIL_TAG}{claim.before}", wide_end),
                )
                if wanted
            )
            yield TagProblem(
                f"{shown}:{_tag_line(lines, CLAIM_PREFIX + claim_id, line)}",
                f"claim {claim_id} is about Deckhouse {claim.era} only, but the scenario's tags let it run on"
                f" other versions, where its pass would count for the claim: tag the scenario {needed}",
            )


def _era_bounds(tags: set[str]) -> tuple[eras.DeckhouseVersion | None, eras.DeckhouseVersion | None]:
    """The narrowest ``@deckhouse-since:`` and ``@deckhouse-before:`` of the tags (None: unbounded)."""

    def versions(prefix: str) -> list[eras.DeckhouseVersion]:
        found = []
        for tag in tags:
            if tag.startswith(prefix):
                try:
                    found.append(eras.parse_version(tag.removeprefix(prefix)))
                except eras.VersionError:
                    continue  # tag_mistake reports it
        return found

    since, before = versions(SINCE_TAG), versions(UNTIL_TAG)
    return (max(since) if since else None, min(before) if before else None)


def _unselectable(tag: str) -> bool:
    """An author's own tag that ``-m`` cannot name: no marker (``:``, ``(``, a leading ``_``), a
    character pytest's expressions do not take, or one of their keywords. The harness's own tags
    become markers of other names (``deviation``, ``deckhouse_since``), which ``-m`` selects."""
    if tag in FLAG_TAGS or tag.startswith(ERA_PREFIXES):
        return False
    own = marker_name(tag)
    return own is None or not _MARKER_NAME.match(own) or own in _KEYWORDS


def _unselectable_message(tag: str) -> str:
    fixed = re.sub(r"[^A-Za-z0-9_.-]+", "-", tag).strip("-_.")
    example = f", e.g. @{fixed}" if fixed and _MARKER_NAME.match(fixed) and fixed not in _KEYWORDS else ""
    return f"tag @{tag} cannot be selected with -m; use letters, digits, - and _ after a letter{example}"


def _order(problem: TagProblem) -> tuple[str, int, str]:
    file, _, line = problem.location.rpartition(":")
    if not line.isdigit():  # a file that could not be read is named without a line
        return (problem.location, 0, problem.message)
    return (file, int(line), problem.message)


def _claim_problem(claim_id: str, where: str, catalogue: Catalogue | None) -> Iterator[TagProblem]:
    if catalogue is None or claim_id in catalogue.ids:
        return
    suggestion = claim_hint(claim_id, frozenset(catalogue.ids))
    yield TagProblem(where, f"unknown claim ID '{claim_id}'{suggestion}; the IDs are in fixtures/claims.yaml")


def _tag_line(lines: list[str], tag: str, scenario_line: int) -> int:
    """The line of ``@tag`` nearest above the scenario (feature-level tags included)."""
    token = f"@{tag}"
    hits = [n for n, text in enumerate(lines, start=1) if token in text.split("#", 1)[0].split()]
    above = [n for n in hits if n <= scenario_line]
    return above[-1] if above else (hits[0] if hits else scenario_line)


def _shown(path: Path, features_dir: Path) -> str:
    return shown_path(path, features_dir)
