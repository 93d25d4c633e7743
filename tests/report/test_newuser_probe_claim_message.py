"""The run's error for an unknown claim ID read "unknown claim ID 'REL-4' in
features/x.feature:3 (did you mean REL-04?)", while the lint and every other scenario error start
with ``file:line:`` (what editors and CI annotations jump to). The run's now starts there too."""

from __future__ import annotations

import textwrap

pytest_plugins = ["pytester"]

FEATURE = textwrap.dedent("""\
    Feature: Typo

      @claim:MS-1
      Scenario: Mistyped claim
        Given the registry is unreachable
    """)

BINDING = (
    "from pytest_bdd import given, scenarios\n"
    'scenarios("features/typo.feature")\n'
    '@given("the registry is unreachable")\n'
    "def _():\n    pass\n"
)


def test_the_unknown_claim_error_starts_with_the_file_and_line_of_its_tag(bdd_project):
    bdd_project.makefile(".feature", **{"features/typo": FEATURE})
    bdd_project.makepyfile(test_typo=BINDING)
    result = bdd_project.runpytest("-p", "harness.report.plugin", "test_typo.py")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "features/typo.feature:3: unknown claim ID 'MS-1' (did you mean MS-01?); "
            "known IDs are in fixtures/claims.yaml"
        ]
    )
