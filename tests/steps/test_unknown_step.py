from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


@pytest.fixture
def project(pytester):
    pytester.makeconftest('pytest_plugins = ["harness.steps.plugin"]\n')
    pytester.makeini("[pytest]\nbdd_features_base_dir = features/\n")
    features = pytester.mkdir("features")
    (features / "typo.feature").write_text(
        "Feature: typo\n  Scenario: a misspelled step\n    When 3 minutes passed by\n"
    )
    pytester.makepyfile(test_typo='from pytest_bdd import scenarios\nscenarios("typo.feature")\n')
    return pytester


def test_an_unknown_step_names_the_closest_defined_steps_with_file_and_line(project):
    result = project.runpytest("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*typo.feature:3: no step definition matches: When 3 minutes passed by*",
            "*closest defined steps:*",
            "*When {span} pass*harness/steps/library/time.py:*",
        ]
    )
