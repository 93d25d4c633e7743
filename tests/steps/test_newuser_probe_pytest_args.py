"""`pytest features/mine/good.feature:3`, the form `dkp-harness run` and Cucumber take, answered
pytest's own "ERROR: file or directory not found: features/mine/good.feature:3"; README promises
that pytest given a feature file says how to run it, and that with a line it does too."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def test_pytest_given_a_feature_file_and_line_says_how_to_run_that_scenario(pytester):
    pytester.makeconftest('pytest_plugins = ["harness.steps.plugin"]\n')
    (pytester.mkdir("features") / "mine").mkdir()
    (pytester.path / "features" / "mine" / "good.feature").write_text(
        "Feature: f\n\n  Scenario: s\n    Given it is Monday 2024-12-16 09:00 UTC\n"
    )
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", "features/mine/good.feature:3")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*features/mine/good.feature:3: feature files run through scenarios/test_features.py*"
            "`pytest scenarios --feature-path features/mine/good.feature:3`*"
            "`dkp-harness run features/mine/good.feature:3`*"
        ]
    )
    assert "file or directory not found" not in result.stderr.str()


def test_a_missing_feature_file_with_a_line_is_still_pytest_s_not_found(pytester):
    """Only an existing file is a hint's business; a mistyped one keeps pytest's own message."""
    pytester.makeconftest('pytest_plugins = ["harness.steps.plugin"]\n')
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", "features/nope.feature:3")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*file or directory not found: features/nope.feature:3*"])
