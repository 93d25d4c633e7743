"""`dkp-harness run` prints one clean line per scenario: no stray progress letter glued to it."""

from __future__ import annotations

import textwrap

import pytest

pytest_plugins = ["pytester"]


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini("[pytest]\nbdd_features_base_dir = features/\n")
    pytester.makefile(
        ".feature",
        **{
            "features/two": textwrap.dedent("""\
                Feature: Two
                  Scenario: Runs
                    Given nothing

                  @needs_newer
                  Scenario: Is skipped at setup
                    Given nothing
                """)
        },
    )
    pytester.makeconftest(
        textwrap.dedent("""\
            import pytest
            from pytest_bdd import given

            @given("nothing")
            def nothing():
                pass

            @pytest.fixture(autouse=True)
            def _era(request):
                # The way an era-bound scenario is skipped: in setup, before its first step.
                if request.node.get_closest_marker("needs_newer"):
                    pytest.skip("checks Deckhouse v1.75.0 and later")
            """)
    )
    pytester.makepyfile(test_two='from pytest_bdd import scenarios\nscenarios("two.feature")\n')
    return pytester


def test_a_scenario_skipped_in_setup_gets_a_clean_progress_line(project):
    result = project.runpytest(
        "-q",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        "-p",
        "harness.report.plugin",
        "--conformance-progress",
    )
    result.assert_outcomes(passed=1, skipped=1)
    lines = result.stdout.lines
    assert any(line.startswith("SKIPPED   - Is skipped at setup") for line in lines), lines
    assert any(line.startswith("PASSED    - Runs") for line in lines), lines
    assert not [line for line in lines if line.startswith(("sSKIPPED", ".PASSED", "s", "."))], lines
