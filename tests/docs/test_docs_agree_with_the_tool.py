"""What the guides quote from the tool is what the tool has and prints today.

A new user copies a step from docs/authoring.md into a feature file, compares the lint's summary
with the one the guide shows, and reads how many scenarios `make conformance` runs: each went
stale once (the guide's summary counted 45 definitions when there were 49, the README spoke of
"the 100-odd scenarios" when there were 183, docs/real-clusters.md of 99).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.steps.binding import parse_feature
from harness.steps.catalogue import CATALOGUE
from harness.steps.library import load_all

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ROOT / "features"
GUIDES = ["README.md", "docs/authoring.md", "docs/real-clusters.md", "docs/report.md", "docs/dkp-eras.md"]

#: Steps the guides quote on purpose as mistakes (what the run or the lint says about them).
MISTAKES = {
    'Then the Modul "module-one" …',
    "When 3 minutes passed",
    'Then module "my-module" is Ready',
    "When I wait 3 minutes",
}
_SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
_STEP = re.compile(r"^(Given|When|Then|And|But) (.+)$")
_KINDS = {"Given": ("given",), "When": ("when",), "Then": ("then",)}


def _quoted_steps(doc: str) -> list[str]:
    text = re.sub(r"```.*?```", "", (ROOT / doc).read_text(encoding="utf-8"), flags=re.S)
    return [span.strip() for span in _SPAN.findall(text) if _STEP.match(span.strip())]


def _defined(span: str) -> bool:
    match = _STEP.match(span)
    assert match is not None
    keyword, text = match.groups()
    kinds = _KINDS.get(keyword, ("given", "when", "then"))
    return any(step.matches(kind, text) for step in CATALOGUE for kind in kinds if step.kind == kind)


def _abbreviated(span: str) -> bool:
    """`When I run …`, `When I patch … with:`: a step's shape, its values left out."""
    return "…" in span or "|" in span or span.endswith(("I run", "I run \\"))


@pytest.mark.parametrize("doc", GUIDES)
def test_every_step_a_guide_quotes_is_in_the_catalogue(doc):
    load_all()
    quoted = _quoted_steps(doc)
    stale = [s for s in quoted if s not in MISTAKES and not _abbreviated(s) and not _defined(s)]
    assert stale == [], f"{doc} quotes steps the catalogue lacks (`dkp-harness steps WORD` finds them)"


def test_the_steps_quoted_as_mistakes_are_still_mistakes():
    load_all()
    assert set(_quoted_steps("docs/authoring.md")) >= MISTAKES
    assert not any(_defined(s) for s in MISTAKES if "…" not in s)


def test_the_step_check_finds_a_step_that_is_not_there():
    load_all()
    assert _defined('Then the Module "module-one" is in phase "Ready"')
    assert not _defined('Then the Module "module-one" is phase "Ready"')


def _scenario_count() -> int:
    count = 0
    for path in sorted(FEATURES.rglob("*.feature")):
        for template in parse_feature(FEATURES, path.relative_to(FEATURES)).scenarios:
            rows = sum(len(examples.examples) for examples in template.examples) if template.examples else 0
            count += rows or 1
    return count


def test_the_readme_says_about_how_many_scenarios_make_conformance_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    said = int(re.search(r"every scenario under `features/` \(about (\d+)\)", readme).group(1))
    actual = _scenario_count()
    assert abs(actual - said) <= actual * 0.15, (
        f"README says `make conformance` runs about {said} scenarios; there are {actual}: update its number"
    )


def test_the_real_cluster_measurement_names_a_suite_of_about_todays_size():
    text = (ROOT / "docs" / "real-clusters.md").read_text(encoding="utf-8")
    said = int(re.search(r"of the suite's (\d+) scenarios", text).group(1))
    actual = _scenario_count()
    assert abs(actual - said) <= actual * 0.15, (
        f"docs/real-clusters.md measured a suite of {said} scenarios; it has {actual}: measure again "
        "(its sandbox block) and update the paragraph"
    )


def test_the_lint_summary_the_guide_shows_counts_todays_catalogue():
    """Definitions and phrasings only: how many phrasings the features use changes with a QA
    author's own feature files, which must not fail `make test`."""
    load_all()
    guide = re.sub(r"\s+", " ", (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8"))
    match = re.search(r"`(\d+) step definitions in (\d+) phrasings, \d+ phrasings used;", guide)
    assert match is not None
    actual = (len({step.function for step in CATALOGUE}), len(CATALOGUE))
    assert tuple(int(n) for n in match.groups()) == actual, (
        "docs/authoring.md §8 shows another lint summary than `dkp-harness steps --lint` prints: "
        f"{actual[0]} step definitions in {actual[1]} phrasings"
    )


def test_the_closest_steps_the_guide_shows_are_what_the_lint_prints(tmp_path, capsys):
    """docs/authoring.md §8 shows the answer to `When 3 minutes passed`; line numbers aside, the
    lint gives the same three definitions in the same order."""
    from harness.cli import main

    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    block = re.search(r"no step definition matches: When 3 minutes passed\n(.*?)```", guide, re.S)
    assert block is not None
    shown = re.findall(r"^ {6}(\S.*?\.py):\d+\)$", block[1], re.M)
    (tmp_path / "mine.feature").write_text("Feature: f\n  Scenario: s\n    When 3 minutes passed\n")
    assert main(["steps", "--lint", str(tmp_path)]) == 1
    printed = re.findall(r"^ {6}(\S.*?\.py):\d+\)$", capsys.readouterr().out, re.M)
    assert shown == printed, "docs/authoring.md §8: show what `dkp-harness steps --lint` prints"


def test_the_module_table_columns_the_guide_lists_are_the_steps_columns():
    """docs/authoring.md §3 tells a QA author which columns shape their own module's images."""
    from harness.steps.library.registry import COLUMNS

    guide = re.sub(r"\s+", " ", (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8"))
    listed = re.search(r"set what its images carry: (.*?) \(`dkp-harness steps registry`", guide)
    assert listed is not None
    named = set(re.findall(r"`([^`]+)`", listed[1]))
    assert named == COLUMNS - {"module", "version"}, "docs/authoring.md §3: list the table's columns"
