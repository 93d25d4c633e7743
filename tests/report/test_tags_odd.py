"""Odd and mistaken Gherkin tags: none stops a run of other files, each mistake names file, line and fix.

Every feature file under features/ is collected in every run (``dkp-harness run features/approval``
only deselects the others), so a tag that failed the collection (``@claims:REL-04``: pytest cut the
registered marker name at the ``:``) stopped every run of the project with no file or line.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from harness.report import tags
from harness.report.tags import apply_tag, marker_name, register_feature_tags, tag_mistake
from tests.project_layout import copy_project_layout

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
MONDAY = "    Given it is Monday 2024-12-16 09:00 UTC\n"

GOOD = (
    textwrap.dedent("""\
    Feature: Good

      @claim:MS-07 @smoke
      Scenario: Fine
    """)
    + MONDAY
)

BAD = f"""\
Feature: Bad

  @claims:REL-04 @a:b
  Scenario: Claim typo
{MONDAY}
  @_x @a(b) @parametrize
  Scenario: Names pytest cannot take
{MONDAY}
  @since:v1.75.0
  Scenario: Era typo
{MONDAY}
  @deckhouse-since:v1.7x
  Scenario: Era version typo
{MONDAY}
  @jira:ABC-1 @smoke
  Scenario: Own tags
{MONDAY}"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """This project's layout (real conftest, binding module and catalogue) with GOOD and BAD."""
    copy_project_layout(pytester)
    for name, text in (("good", GOOD), ("bad", BAD)):
        folder = pytester.path / "features" / name
        folder.mkdir(parents=True)
        (folder / f"{name}.feature").write_text(text)
    return pytester


def test_a_mistyped_tag_in_one_file_does_not_stop_the_run_of_another(project):
    result = project.runpytest("scenarios", "--feature-path=features/good/good.feature")
    assert result.ret == 0, result.stdout.str()
    result.assert_outcomes(passed=1, deselected=5)
    assert "not found in `markers`" not in result.stdout.str()


def test_each_mistaken_tag_errors_its_own_scenario_with_file_line_and_fix(project):
    result = project.runpytest("scenarios")
    # "Fine" and "Own tags" pass; the other four each error at setup with their own mistake.
    result.assert_outcomes(passed=2, errors=4)
    out = result.stdout.str()
    for line in (
        "features/bad/bad.feature:3: tag @claims:REL-04 looks like a claim tag; "
        "write @claim:<ID>, e.g. @claim:REL-04",
        "features/bad/bad.feature:7: tag @parametrize is pytest's own marker, which needs arguments a "
        "tag cannot give; rename the tag",
        "features/bad/bad.feature:11: tag @since:v1.75.0 looks like a Deckhouse version tag; "
        "write @deckhouse-since:<VERSION> or @deckhouse-before:<VERSION>, e.g. @deckhouse-since:v1.75.0",
        "features/bad/bad.feature:15: tag @deckhouse-since:v1.7x: Deckhouse version 'v1.7x' is not "
        "understood",
    ):
        assert line in out, out
    assert "Traceback" not in out and "_pytest/" not in out


@pytest.mark.parametrize(
    ("expression", "selected"),
    [
        ("smoke", ["test_good__fine", "test_bad__own_tags"]),  # an author's own tag
        ("claim", ["test_good__fine"]),  # @claim:ID → claim("ID")
        ("deckhouse_since", []),  # @deckhouse-since:v1.7x does not parse: no marker
        ("deviation", []),
    ],
)
def test_minus_m_still_selects_own_tags_and_the_harness_markers(project, expression, selected):
    result = project.runpytest("scenarios", "--collect-only", "-q", "-m", expression)
    names = [line.rsplit("::", 1)[1] for line in result.stdout.lines if "::" in line]
    assert sorted(names) == sorted(selected), result.stdout.str()


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one-process", "xdist"])
def test_minus_m_with_a_tag_nothing_has_is_a_usage_error_naming_the_nearest_tag(project, workers):
    """pytest's own refusal came from inside each xdist worker: an INTERNALERROR naming an
    unrelated scenario, exit 3. It is now the controller's, before any worker starts."""
    result = project.runpytest("scenarios", "-m", "smok or deviation", *workers)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*-m 'smok or deviation': no feature file or marker has the tag smok*"])
    assert "did you mean smoke?" in result.stderr.str()
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()


def test_the_project_era_tags_select_with_minus_m(pytester):
    """``@deckhouse-since:v1.75.0`` / ``@deckhouse-before:…`` keep their markers (and ``-m``)."""
    pytester.makeconftest((ROOT / "conftest.py").read_text())
    pytester.makeini(
        "[pytest]\naddopts = --strict-markers -p no:randomly\nbdd_features_base_dir = features/\n"
    )
    (pytester.path / "scenarios").mkdir()
    (pytester.path / "scenarios" / "test_features.py").write_text(
        (ROOT / "scenarios" / "test_features.py").read_text()
    )
    (pytester.path / "features").mkdir()
    (pytester.path / "features" / "e.feature").write_text(
        "Feature: e\n\n  @deckhouse-since:v1.75.0\n  Scenario: new\n"
        + MONDAY
        + "\n  @deckhouse-before:v1.75.0\n  Scenario: old\n"
        + MONDAY
    )
    for expression, name in (("deckhouse_since", "test_e__new"), ("deckhouse_before", "test_e__old")):
        result = pytester.runpytest("scenarios", "--collect-only", "-q", "-m", expression)
        assert [line.rsplit("::", 1)[1] for line in result.stdout.lines if "::" in line] == [name]


@pytest.mark.parametrize(
    ("tag", "marker", "mistake"),
    [
        ("smoke", "smoke", None),
        ("nightly-2", "nightly-2", None),
        ("claim:MS-01", None, None),
        ("deviation", None, None),
        ("deckhouse-since:v1.75.0", None, None),
        ("jira:ABC-1", None, None),  # an own tag pytest cannot register: runs, -m cannot select it
        ("a(b)", None, None),
        ("_private", None, None),
        ("claims:REL-04", None, "looks like a claim tag; write @claim:<ID>, e.g. @claim:REL-04"),
        ("Claim:REL-04", None, "looks like a claim tag"),
        ("cliam:REL-04", None, "looks like a claim tag"),
        ("claim", None, "looks like a claim tag; write @claim:<ID>, e.g. @claim:MS-01"),
        ("since:v1.75.0", None, "looks like a Deckhouse version tag"),
        ("deckhouse_since:v1.75.0", None, "looks like a Deckhouse version tag"),
        ("deckhouse-snce:v1.75.0", None, "looks like a Deckhouse version tag"),
        ("deckhouse-since", None, "looks like a Deckhouse version tag"),
        ("deckhouse-stable", "deckhouse-stable", None),  # no colon, no era: an own tag
        ("deckhouse-before:soon", None, "tag @deckhouse-before:soon: Deckhouse version 'soon'"),
        ("parametrize", None, "is pytest's own marker"),
    ],
)
def test_which_tags_become_markers_and_which_are_mistakes(tag, marker, mistake):
    assert marker_name(tag) == marker
    found = tag_mistake(tag)
    assert (found is None) == (mistake is None), found
    if mistake is not None:
        assert found is not None and mistake in found and f"@{tag}" in found


@pytest.mark.parametrize("tag", ["claims:REL-04", "a:b", "_x", "a(b)", "parametrize", "since:v1"])
def test_a_tag_that_is_no_marker_never_reaches_pytest_bdds_getattr(tag):
    def scenario() -> None: ...

    assert apply_tag(tag, scenario) is True
    assert not getattr(scenario, "pytestmark", [])


def test_own_tags_and_era_tags_are_handed_on():
    def scenario() -> None: ...

    assert apply_tag("smoke", scenario) is None  # pytest-bdd's default marks it (registered)
    assert apply_tag("deckhouse-since:v1.75.0", scenario) is None  # the era plugin's


def test_only_names_pytest_registers_whole_are_registered(tmp_path):
    (tmp_path / "f.feature").write_text(
        "@feature-tag\nFeature: f\n  @claims:REL-04 @a:b @smoke @deviation @claim:MS-01 @_x @a(b)\n"
        "  @deckhouse-since:v1.75.0\n  Scenario: s\n" + MONDAY
    )

    class Config:
        lines: list[str] = []

        def addinivalue_line(self, name: str, line: str) -> None:
            assert name == "markers"
            self.lines.append(line)

    config = Config()
    register_feature_tags(config, tmp_path)  # type: ignore[arg-type]
    names = [line.split(":", 1)[0].split("(")[0] for line in config.lines]
    assert names == ["feature-tag", "smoke"]
    assert all(
        line.startswith(f"{name}: tag @{name} ") for name, line in zip(names, config.lines, strict=True)
    )


def test_the_lint_says_what_the_run_says_and_how_to_make_a_tag_selectable(tmp_path):
    from harness.steps.tag_lint import tag_problems

    features = tmp_path / "features"
    features.mkdir()
    (features / "bad.feature").write_text(BAD)
    problems = [str(p) for p in tag_problems(features, None)]
    assert problems == [
        "features/bad.feature:3: tag @a:b cannot be selected with -m; use letters, digits, - and _ "
        "after a letter, e.g. @a-b",
        "features/bad.feature:3: tag @claims:REL-04 looks like a claim tag; write @claim:<ID>, "
        "e.g. @claim:REL-04",
        "features/bad.feature:7: tag @_x cannot be selected with -m; use letters, digits, - and _ "
        "after a letter, e.g. @x",
        "features/bad.feature:7: tag @a(b) cannot be selected with -m; use letters, digits, - and _ "
        "after a letter, e.g. @a-b",
        "features/bad.feature:7: tag @parametrize is pytest's own marker, which needs arguments a tag "
        "cannot give; rename the tag",
        "features/bad.feature:11: tag @since:v1.75.0 looks like a Deckhouse version tag; write "
        "@deckhouse-since:<VERSION> or @deckhouse-before:<VERSION>, e.g. @deckhouse-since:v1.75.0",
        "features/bad.feature:15: " + str(tag_mistake("deckhouse-since:v1.7x")),
        "features/bad.feature:19: tag @jira:ABC-1 cannot be selected with -m; use letters, digits, - and _ "
        "after a letter, e.g. @jira-ABC-1",
    ]


def test_the_era_tag_prefixes_are_one_vocabulary():
    from harness.steps import eras_plugin

    assert (eras_plugin.SINCE_TAG, eras_plugin.UNTIL_TAG) == tags.ERA_PREFIXES


EXAMPLES = f"""\
Feature: Rows

  @claim:MS-07
  Scenario Outline: Rows of <n>
{MONDAY}
    @claim:MS-02 @smoke
    Examples:
      | n |
      | 1 |
"""


def test_a_claim_tag_on_an_examples_table_errors_its_scenario_not_the_whole_collection(pytester):
    """pytest-bdd marks an Examples table's rows with ``getattr(pytest.mark, tag)``: under
    ``--strict-markers`` one ``@claim:`` there failed the collection of every scenario of the run,
    and had it been registered, the report would have ignored its claim."""
    copy_project_layout(pytester)
    for name, text in (("good", GOOD), ("rows", EXAMPLES)):
        folder = pytester.path / "features" / name
        folder.mkdir(parents=True)
        (folder / f"{name}.feature").write_text(text)
    result = pytester.runpytest("scenarios")
    result.assert_outcomes(passed=1, errors=1)
    out = result.stdout.str()
    assert (
        "features/rows/rows.feature:8: tag @claim:MS-02 is on an Examples table, where the report and "
        "the runs do not read it; put it on the Scenario Outline, or give these rows an Outline of "
        "their own" in out
    ), out
    assert "not found in `markers`" not in out
    assert pytester.runpytest("scenarios", "-m", "smoke").parseoutcomes().get("errors") == 1  # kept


def test_the_examples_tags_that_only_a_scenario_can_carry_are_named_with_their_line(tmp_path):
    from harness.bound_features import parse_feature

    (tmp_path / "rows.feature").write_text(EXAMPLES.replace("@smoke", "@deviation @deckhouse-since:v1.76.0"))
    [template] = parse_feature(tmp_path, "rows.feature").scenarios
    problems = tags.examples_tag_problems(template)
    assert [(line, why.split(" is on")[0]) for line, why in problems] == [
        (8, "tag @claim:MS-02"),
        (8, "tag @deckhouse-since:v1.76.0"),
        (8, "tag @deviation"),
    ]
