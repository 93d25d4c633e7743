"""The step-lookup cache: same definitions as pytest-bdd finds, per test module, computed once."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

FEATURE = """Feature: greetings
  Scenario: first
    Given the greeting is "hello"
    Then the greeting was set by {who}

  Scenario: second
    Given the greeting is "hello"
    Then the greeting was set by {who}
"""

CONFTEST = """
import pytest
from pytest_bdd import given, then, parsers

pytest_plugins = ["harness.steps.plugin"]

@given(parsers.parse('the greeting is "{text}"'), target_fixture="greeting")
def shared_greeting(text):
    return ("conftest", text)

@then(parsers.parse("the greeting was set by {who}"))
def set_by(greeting, who):
    assert greeting[0] == who, greeting

BEFORE = {}

def pytest_sessionstart(session):
    from harness.steps.step_lookup import lookups
    BEFORE.update(lookups())

def pytest_sessionfinish(session):
    from harness.steps.step_lookup import lookups
    print("LOOKUPS", {key: value - BEFORE[key] for key, value in lookups().items()})
"""

OVERRIDING = """
from pytest_bdd import given, parsers, scenarios

scenarios("overriding.feature")

@given(parsers.parse('the greeting is "{text}"'), target_fixture="greeting")
def own_greeting(text):
    return ("module", text)
"""


@pytest.fixture
def project(pytester):
    pytester.makeconftest(CONFTEST)
    pytester.makeini("[pytest]\nbdd_features_base_dir = features/\n")
    features = pytester.mkdir("features")
    (features / "plain.feature").write_text(FEATURE.format(who="conftest"))
    (features / "overriding.feature").write_text(FEATURE.format(who="module"))
    pytester.makepyfile(
        test_plain='from pytest_bdd import scenarios\nscenarios("plain.feature")\n',
        test_overriding=OVERRIDING,
    )
    return pytester


def test_a_module_overriding_a_step_keeps_its_own_and_others_keep_the_shared_one(project):
    result = project.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", "-s", "-n", "0")
    result.assert_outcomes(passed=4)
    # 4 scenarios x 2 steps = 8 lookups; each (step, module) pair is computed once: 2 steps x 2 modules.
    result.stdout.fnmatch_lines(["*LOOKUPS {'lookups': 8, 'computed': 4}*"])


def test_an_undefined_step_is_still_reported_as_undefined(project):
    (project.path / "features" / "plain.feature").write_text(
        FEATURE.format(who="conftest").replace('Given the greeting is "hello"', "Given nobody defined this")
    )
    result = project.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", "-n", "0")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(["*no step definition matches: Given nobody defined this*"])
