"""JUnit XML: one testcase per scenario, the way CI servers group and show them.

``classname`` is the feature name (Jenkins groups by it); a failure or error element carries the
failing step and the real error, not just "scenario failed"; ``system-out`` lists every step with
its status so the CI page alone tells the story. A deviation is a passing testcase whose output
says it is a known deviation; under ``--fail-on-deviation``, which fails the run for it, a failure,
so the CI page's counts agree with the exit code.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from harness.report.model import FeatureResult, Run, ScenarioResult, unreadable
from harness.report.status import Status
from harness.report.visible_text import visible

__all__ = ["render_junit"]

# Characters XML 1.0 cannot hold (ANSI escapes from tracebacks, NULs from binary output).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_junit(run: Run) -> str:
    strict = run.fail_on_deviation
    root = ET.Element(
        "testsuites", _counts(run.scenarios, strict), name=_clean(run.title), time=f"{run.duration:.3f}"
    )
    properties = _properties(run)
    for feature in run.features:
        suite = _suite(feature, strict)
        suite.insert(0, _properties_element(properties))
        root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _properties(run: Run) -> list[tuple[str, str]]:
    """What the run checked and how it was selected; CI pages show these next to the results."""
    props = [(f"target.{key}", value) for key, value in sorted(run.target.items())]
    props.append(("partial", "true" if run.partial else "false"))
    props += [(f"selection.{key}", _text(value)) for key, value in sorted(run.selection.items())]
    return props


def _properties_element(properties: list[tuple[str, str]]) -> ET.Element:
    element = ET.Element("properties")
    for name, value in properties:
        ET.SubElement(element, "property", name=_clean(name), value=_clean(value))
    return element


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _counts(scenarios: list[ScenarioResult], strict: bool) -> dict[str, str]:
    def count(status: Status) -> str:
        return str(sum(1 for s in scenarios if s.status is status))

    failures = int(count(Status.FAILED)) + (int(count(Status.DEVIATION)) if strict else 0)
    return {
        "tests": str(len(scenarios)),
        "failures": str(failures),
        "errors": count(Status.ERROR),
        "skipped": count(Status.SKIPPED),
    }


def _suite(feature: FeatureResult, strict: bool) -> ET.Element:
    suite = ET.Element(
        "testsuite",
        _counts(feature.scenarios, strict),
        name=_clean(feature.name),
        file=feature.uri,
        time=f"{sum(s.duration for s in feature.scenarios):.3f}",
    )
    for scenario in feature.scenarios:
        suite.append(_case(feature, scenario, strict))
    return suite


def _case(feature: FeatureResult, scenario: ScenarioResult, strict: bool) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=_clean(feature.name),
        name=_clean(scenario.name),
        file=scenario.feature_uri,
        line=str(scenario.line),
        time=f"{scenario.duration:.3f}",
    )
    outcome = (
        _deviation_failure(scenario) if strict and scenario.status is Status.DEVIATION else _outcome(scenario)
    )
    if outcome is not None:
        case.append(outcome)
    ET.SubElement(case, "system-out").text = _clean(_story(scenario))
    return case


def _outcome(scenario: ScenarioResult) -> ET.Element | None:
    error = scenario.error
    if scenario.status is Status.SKIPPED:
        reason = scenario.skip_reason or (error.message if error else "skipped")
        return ET.Element("skipped", message=_clean(reason))
    if scenario.status not in (Status.FAILED, Status.ERROR):
        return None
    tag = "failure" if scenario.status is Status.FAILED else "error"
    message = _message(scenario)
    element = ET.Element(tag, message=_clean(message), type=_clean(error.type if error else tag))
    element.text = _clean(f"{message}\n\n{error.traceback if error else ''}".rstrip())
    return element


def _deviation_failure(scenario: ScenarioResult) -> ET.Element:
    claims = ", ".join(scenario.claims) or "-"
    message = f"a known deviation from the page (claims {claims}), failed by --fail-on-deviation"
    element = ET.Element("failure", message=_clean(message), type="KnownDeviation")
    element.text = _clean(message)
    return element


def _message(scenario: ScenarioResult) -> str:
    """Where it stopped and why; an unreadable feature file's message already names file and line."""
    error = scenario.error
    if unreadable(scenario) and error is not None:
        return error.message
    step = scenario.failing_step
    where = (
        f"{step.keyword} {step.name} (line {step.line})"
        if step
        else f"{error.phase if error else 'call'} phase"
    )
    return f"{where}: {error.message if error else 'failed'}"


def _story(scenario: ScenarioResult) -> str:
    lines = [f"claims: {', '.join(scenario.claims) or '-'}", f"status: {scenario.status.value}"]
    if scenario.deviation:
        lines.append("known deviation: the page and DKP differ here (see the conformance report)")
    if scenario.attempts:
        lines.append(
            f"ran {len(scenario.attempts)} times: {', '.join(scenario.attempts)} (the worst is shown)"
        )
    if scenario.xfail is not None:
        lines.append(
            f"marked xfail{f' ({scenario.xfail})' if scenario.xfail else ''}: counted as what its steps did"
        )
    lines += [f"[{s.status.value:>9}] {s.keyword} {s.name}" for s in scenario.steps]
    lines += [f"note: {n}" for n in scenario.evidence.notes]
    return "\n".join(lines)


def _clean(text: str) -> str:
    """Control characters as their pictures (:mod:`harness.report.visible_text`), as the HTML
    report shows them; what XML still cannot hold (U+FFFE, U+FFFF) as ``?``."""
    return _INVALID_XML.sub("?", visible(text))
