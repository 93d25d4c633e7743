"""Bind feature files to pytest without a Python module per folder.

pytest-bdd's ``scenarios()`` binds the feature files a test module names; a file in a folder no
module names is silently never run. :func:`bind_features` binds every ``*.feature`` under the
project's features/ directory into one module's namespace, with test names derived from the
feature's path so that they are stable and unique.

pytest-bdd keeps a feature's scenarios in a dict keyed by name, so of two scenarios with the same
name in one file only the last survives, and the first would silently never run.
:func:`parse_feature` therefore lists the scenarios in the order the file writes them, every one
of them; the binding, the step lint and the tag lint all read that list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, ScenarioTemplate

# pytest-bdd's public ``scenario()`` looks a scenario up by name, which cannot reach the first of
# two scenarios sharing a name; this is the decorator it builds from the scenario it found (the
# same four arguments from pytest-bdd 6 to 9; tests/steps/test_binding.py fails if that changes).
from pytest_bdd.scenario import _get_scenario_decorator, scenario_wrapper_template_registry

from harness.bound_features import UNREADABLE_ERRORS, ParsedFeature, bound_tests, parse_feature, test_name
from harness.feature_text import gherkin_problem, not_utf8, unreadable_file
from harness.report.recorder import UnreadableFeature, mark_unreadable
from harness.report.tags import FLAG_TAGS, marker_name

__all__ = [
    "AUTO_BINDING_ATTRIBUTE",
    "UNREADABLE_ERRORS",
    "ParsedFeature",
    "bind_features",
    "parse_feature",
    "test_name",
]

ROOT = Path(__file__).resolve().parents[2]
_FLAG_MARKERS = frozenset(tag for tag, marker in FLAG_TAGS.items() if tag == marker)
"""Flag tags whose marker has the tag's own name (``@slow``, ``@deviation``): registered, kept."""
#: A module whose namespace holds this attribute set to True binds features automatically.
AUTO_BINDING_ATTRIBUTE = "AUTO_BINDING"


def bind_features(namespace: dict[str, Any], features_dir: Path | None = None) -> int:
    """Add a test function per scenario of every feature under ``features_dir``; returns the count.

    By default ``features_dir`` is the ``features/`` folder beside the binding module's folder
    (``scenarios/../features``), so a project laid out like this one needs no argument.
    """
    module_file = namespace.get("__file__")
    default = Path(module_file).resolve().parents[1] / "features" if module_file else ROOT / "features"
    base = (features_dir or default).resolve()
    count = 0
    for test in bound_tests(base, taken=namespace):
        if test.template is None or test.parsed is None:
            # One broken file must not stop every other feature from running: it becomes one
            # failing test that says where the file is wrong, and the report shows it as an error.
            path = test.path
            shown = path.relative_to(base.parent) if path.is_relative_to(base.parent) else path
            namespace[test.name] = _unreadable(path, shown, test.error or OSError("unreadable"))
        else:
            namespace[test.name] = _bind(test.parsed.feature, test.template, test.relative)
        count += 1
    return count


def _bind(feature: Feature, template: ScenarioTemplate, relative: Path) -> Callable[..., object]:
    """The test of one scenario, as pytest-bdd's ``scenario()`` decorator would make it."""
    decorate: Callable[[Callable[[], None]], Callable[..., object]] = _get_scenario_decorator(
        feature=feature,
        feature_name=relative.as_posix(),
        templated_scenario=_markable(template),
        scenario_name=template.name,
    )
    test = decorate(_no_body)
    scenario_wrapper_template_registry[test] = template  # the tags as written, for their problems
    return test


def _markable(template: ScenarioTemplate) -> ScenarioTemplate:
    """``template`` without the Examples tags no marker can be made of.

    pytest-bdd marks an Examples table's rows with ``getattr(pytest.mark, tag)`` for each of its
    tags, which under ``--strict-markers`` failed the collection of every scenario of the run for
    one ``@claim:MS-02`` there (a name with ``:`` cannot be registered). Such a tag has no meaning
    there anyway: its scenario errors at setup with what to write instead
    (:func:`harness.report.tags.examples_tag_problems`), as the lint reports it.
    """
    if not any(marker_name(tag) is None for examples in template.examples for tag in examples.tags):
        return template
    examples = [
        replace(e, tags={tag for tag in e.tags if marker_name(tag) is not None or tag in _FLAG_MARKERS})
        for e in template.examples
    ]
    return replace(template, examples=examples)


def _unreadable(path: Path, shown: Path, error: Exception) -> Callable[[], None]:
    """A test that fails with the file, line and parser message; the report records it too."""
    line = getattr(error, "line", None)
    detail = gherkin_problem(getattr(error, "message", None) or str(error))
    if isinstance(error, UnicodeDecodeError):
        line, detail = not_utf8(error)
    elif isinstance(error, OSError):
        line, detail = None, unreadable_file(error)
    where = f"{shown.as_posix()}:{line}" if line else shown.as_posix()
    content = getattr(error, "line_content", None)
    problem = detail if isinstance(error, OSError) else f"not a valid feature file: {detail}"
    text = f"{where}: {problem}" + (f"\n    {content.strip()}" if content else "")

    def test() -> None:
        pytest.fail(text, pytrace=False)

    at = line if isinstance(line, int) else None
    return mark_unreadable(test, UnreadableFeature(str(path), at, text, type(error).__name__))


def _no_body() -> None:
    """The scenario is its steps; the test function itself has nothing left to do."""
