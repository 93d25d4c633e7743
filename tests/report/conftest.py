"""Fixtures for the report tests.

Nothing here is faked but the data: the model objects are built by hand, and the plugin tests run
real pytest sessions (``pytester``) over a small feature file with real pytest-bdd step
definitions, one per outcome the report distinguishes. (The project imports test modules with
``--import-mode=importlib``, so shared helpers are fixtures, not importable modules.)
"""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime

import pytest
import yaml

from harness.kube.fast_yaml import SAFE_LOADER
from harness.report.claims import parse_catalogue
from harness.report.evidence import Evidence
from harness.report.model import ScenarioResult, StepResult
from harness.report.status import Status

LEAN_SUBPROCESS = (
    *("-p", "no:hypothesispytest", "-p", "no:anyio", "-p", "no:timeout"),
    *("-p", "harness.steps.gc_plugin"),
)
"""The plugins of a nested pytest process of these tests: out go those it never uses, as each
costs imports in every process (hypothesis ~0.3 s) and an xdist run starts three; in comes the
harness's garbage-collector tuning, which every run of this project loads from its root conftest
and these nested projects (the report plugin alone, no root conftest) did not: without it a
nested process spent ~0.1 s of its ~0.6 s in collections, most of them pytest's own at exit, over
a heap nothing had frozen."""


REPORT_ARGS = ("-p", "harness.report.plugin", "--conformance-report", "out")
"""The plugin and the report folder ``out`` of a nested pytest run."""

PASS_FAIL_STEPS = """\
from pytest_bdd import given, then


@given("a step that fails")
def _():
    assert False, "not as the page says"


@given("a step that passes")
def _():
    pass


@then("it holds")
def _():
    pass
"""
"""Step definitions of the nested projects whose scenarios only pass, fail or check."""

CLAIMS_YAML = """\
version: 1
page: {title: "How to start module in the DKP cluster?", url: "en/module-development/run/"}
claims:
  - {id: MS-01, kind: page, anchor: "#module-source", section: "Module source",
     claim: "A ModuleSource names a registry repo", deviation: null}
  - {id: MS-03, kind: page, anchor: "#module-source", section: "Module source",
     claim: "kubectl get ms shows MSG Ready",
     deviation: "the controller writes an empty message; the page shows Ready"}
  - {id: EN-02, kind: page, anchor: "#module-source", section: "Module source",
     claim: "An enabled module enters Downloading", deviation: null}
  - {id: EN-04, kind: page, anchor: "#module-source", section: "Module source",
     claim: "An installed module is Ready", deviation: null}
  - {id: DKP-01, kind: dkp, anchor: "§5.2", section: "Releases",
     claim: "The first release installs at once", deviation: null}
"""

FEATURE = """\
Feature: Module sources
  How a ModuleSource is synchronised.

  @claim:MS-01
  Scenario: A source is synchronised
    Given a registry with module "module-one"
    When 3 minutes pass
    Then the source lists "module-one"

  @claim:EN-04
  Scenario: The module becomes Ready
    Given a registry with module "module-one"
    Then module "module-one" is in phase "Ready"

  @claim:MS-03 @deviation
  Scenario: kubectl get ms shows an empty message
    Given a registry with module "module-one"
    Then the source lists "module-one"

  @claim:EN-02
  Scenario: The harness cannot reach the registry
    Given the registry is unreachable
    Then the source lists "module-one"
"""

STEPS = """\
from datetime import UTC, datetime

from pytest_bdd import given, parsers, scenarios, then, when

scenarios("features/sources.feature")


@given(parsers.parse('a registry with module "{name}"'))
def _(conformance_evidence, name):
    conformance_evidence.note(f"published {name}")


@given("the registry is unreachable")
def _():
    raise ConnectionRefusedError("registry 127.0.0.1:1 refused the connection")


@when("3 minutes pass")
def _(conformance_evidence):
    start = datetime(2024, 12, 16, 9, 0, tzinfo=UTC)
    conformance_evidence.timeline(start, "ModuleSource", "example", "status.phase", None, "Active")
    later = start.replace(minute=3)
    conformance_evidence.timeline(later, "Module", "module-one", "status.phase", None, "Available")


@then(parsers.parse('the source lists "{name}"'))
def _(conformance_evidence, name):
    output = "NAME      COUNT   SYNC   MSG\\nexample   1       16s"
    conformance_evidence.kubectl("kubectl get ms", output, expected=output)


@then(parsers.parse('module "{name}" is in phase "{phase}"'))
def _(conformance_evidence, name, phase):
    conformance_evidence.diff("status.phase", phase, "Installing")
    conformance_evidence.objects_yaml(f"Module/{name}", "kind: Module\\nstatus:\\n  phase: Installing\\n")
    assert phase == "Installing", f"module {name} is Installing, expected {phase}"
"""


def _make_scenario(
    name: str,
    status: Status,
    claims: list[str],
    *,
    line: int = 3,
    uri: str = "features/sources.feature",
    deviation: bool = False,
    evidence: Evidence | None = None,
) -> ScenarioResult:
    """A finished scenario as the plugin would build it."""
    step_status = Status.PASSED if status in (Status.PASSED, Status.DEVIATION) else status
    return ScenarioResult(
        nodeid=f"scenarios/test_x.py::test_{name.replace(' ', '_')}",
        name=name,
        feature_name="Module sources",
        feature_uri=uri,
        line=line,
        status=status,
        tags=[f"claim:{c}" for c in claims] + (["deviation"] if deviation else []),
        claims=claims,
        deviation=deviation,
        steps=[
            StepResult("Given", "given", "a registry", line + 1, step_status, 0.01),
            StepResult("Then", "then", "the source is synchronised", line + 2, step_status, 0.01),
        ],
        evidence=evidence or Evidence(),
    )


def _rich_evidence() -> Evidence:
    evidence = Evidence()
    start = datetime(2024, 12, 16, 9, 0, tzinfo=UTC)
    evidence.timeline(start, "Module", "module-one", "status.phase", "Available", "Downloading")
    evidence.timeline(start.replace(minute=3), "Module", "module-one", "status.phase", "Downloading", "Ready")
    evidence.kubectl(
        "kubectl get module",
        textwrap.dedent("""\
        NAME         WEIGHT   SOURCE    PHASE   ENABLED   READY
        module-one   900      example   Ready   True      True"""),
    )
    evidence.diff("status.phase", "Ready", "Installing")
    evidence.objects_yaml("Module/module-one", "kind: Module\nstatus:\n  phase: Installing\n")
    evidence.note("waited for the install timer")
    evidence.log(["I1216 09:00:00 module-one: downloading", "I1216 09:03:00 module-one: ready"])
    return evidence


@pytest.fixture
def claims_yaml() -> str:
    return CLAIMS_YAML


@pytest.fixture
def catalogue():
    return parse_catalogue(yaml.load(CLAIMS_YAML, Loader=SAFE_LOADER))


@pytest.fixture
def make_scenario():
    return _make_scenario


@pytest.fixture
def rich_evidence():
    return _rich_evidence


@pytest.fixture
def bdd_project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project with the catalogue, one feature file (pass, fail, deviation, error) and its steps."""
    pytester.makefile(".yaml", **{"fixtures/claims": CLAIMS_YAML})
    pytester.makefile(".feature", **{"features/sources": FEATURE})
    pytester.makepyfile(test_sources=STEPS)
    pytester.makeini("[pytest]\naddopts = --strict-markers -p no:randomly -p no:cacheprovider\n")
    return pytester


def bound_project(
    pytester: pytest.Pytester, claims_yaml: str, steps: str, features: dict[str, str | bytes]
) -> pytest.Pytester:
    """A project laid out like this one: a claims catalogue, ``features/`` (path without
    ``.feature`` -> text, or bytes written as they are), step definitions in ``conftest.py``, and
    ``scenarios/test_features.py`` binding every feature file as the real one does."""
    pytester.makefile(".yaml", **{"fixtures/claims": claims_yaml})
    for name, content in features.items():
        path = pytester.path / f"{name}.feature"
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    pytester.makeconftest(steps)
    pytester.makeini("[pytest]\naddopts = --strict-markers -p no:randomly -p no:cacheprovider\n")
    pytester.mkdir("scenarios")
    (pytester.path / "scenarios" / "test_features.py").write_text(
        "from harness.steps.binding import bind_features\n\nbind_features(globals())\n"
    )
    return pytester
