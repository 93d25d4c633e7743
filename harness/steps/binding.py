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

import os
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gherkin.parser import Parser as GherkinParser
from pytest_bdd.exceptions import GherkinParseError
from pytest_bdd.parser import Feature, FeatureParser, ScenarioTemplate

# pytest-bdd's public ``scenario()`` looks a scenario up by name, which cannot reach the first of
# two scenarios sharing a name; this is the decorator it builds from the scenario it found (the
# same four arguments from pytest-bdd 6 to 9; tests/steps/test_binding.py fails if that changes).
from pytest_bdd.scenario import _get_scenario_decorator

from harness.feature_text import FEATURE_ENCODING, gherkin_problem, not_utf8, read_feature, unreadable_file
from harness.report.recorder import UnreadableFeature, mark_unreadable

__all__ = ["AUTO_BINDING_ATTRIBUTE", "ParsedFeature", "bind_features", "parse_feature", "test_name"]

ROOT = Path(__file__).resolve().parents[2]
#: A module whose namespace holds this attribute set to True binds features automatically.
AUTO_BINDING_ATTRIBUTE = "AUTO_BINDING"
#: What a file that cannot be parsed raises from :func:`parse_feature`.
UNREADABLE_ERRORS = (GherkinParseError, UnicodeDecodeError, OSError)


@dataclass(frozen=True)
class ParsedFeature:
    """A feature file as pytest-bdd parses it, with every scenario in file order."""

    feature: Feature
    scenarios: tuple[ScenarioTemplate, ...]


class _InOrderParser(FeatureParser):
    """pytest-bdd's own parser, noting each scenario (rules included) as it parses it."""

    def __init__(self, basedir: str, filename: str) -> None:
        super().__init__(basedir, filename, encoding=FEATURE_ENCODING)
        self.in_order: list[ScenarioTemplate] = []

    def parse_scenario(self, *args: Any, **kwargs: Any) -> ScenarioTemplate:
        template: ScenarioTemplate = super().parse_scenario(*args, **kwargs)
        self.in_order.append(template)
        return template

    def parse(self) -> Feature:
        """The feature, or one without scenarios for a file that holds none (empty, or comments).

        Gherkin allows such a file and Cucumber runs nothing from it; pytest-bdd fails on it with
        a ``KeyError`` that ends the whole pytest run as an internal error, so one empty file
        (``touch features/new.feature``) stopped every other scenario from running.
        """
        try:
            return super().parse()
        except KeyError:
            if _holds_a_feature(self.abs_filename):
                raise
            return Feature(
                scenarios=OrderedDict(),
                filename=self.abs_filename,
                rel_filename=self.rel_filename,
                language="en",
                keyword="Feature",
                name="",
                tags=set(),
                background=None,
                line_number=0,
                description="",
            )


def _holds_a_feature(path: str) -> bool:
    """Whether the Gherkin parser finds a ``Feature:`` in the file (asked only when pytest-bdd failed)."""
    return "feature" in GherkinParser().parse(read_feature(path))


# One entry per file: its last parsed version, keyed by (size, mtime) to notice an edit.
_PARSED: dict[str, tuple[tuple[int, int], ParsedFeature]] = {}


def parse_feature(features_dir: Path, relative: Path | str) -> ParsedFeature:
    """Parse ``features_dir / relative`` once per version of the file (path, size, mtime).

    Raises what pytest-bdd raises for a file it cannot read (:data:`UNREADABLE_ERRORS`). The
    binding, the step lint and the tag lint of one process share the parse.
    """
    path = os.path.abspath(os.path.join(features_dir, relative))
    stat = os.stat(path)
    version = (stat.st_size, stat.st_mtime_ns)
    cached = _PARSED.get(path)
    if cached is not None and cached[0] == version:
        return cached[1]
    parser = _InOrderParser(str(features_dir), str(relative))
    parsed = ParsedFeature(parser.parse(), tuple(parser.in_order))
    _PARSED[path] = (version, parsed)
    return parsed


def bind_features(namespace: dict[str, Any], features_dir: Path | None = None) -> int:
    """Add a test function per scenario of every feature under ``features_dir``; returns the count.

    By default ``features_dir`` is the ``features/`` folder beside the binding module's folder
    (``scenarios/../features``), so a project laid out like this one needs no argument.
    """
    module_file = namespace.get("__file__")
    default = Path(module_file).resolve().parents[1] / "features" if module_file else ROOT / "features"
    base = (features_dir or default).resolve()
    count = 0
    for path in sorted(base.rglob("*.feature")) if base.is_dir() else []:
        relative = path.relative_to(base)
        try:
            parsed = parse_feature(base, relative)
        except UNREADABLE_ERRORS as exc:
            # One broken file must not stop every other feature from running: it becomes one
            # failing test that says where the file is wrong, and the report shows it as an error.
            shown = path.relative_to(base.parent) if path.is_relative_to(base.parent) else path
            namespace[_unique(namespace, test_name(relative, "unreadable"))] = _unreadable(path, shown, exc)
            count += 1
            continue
        for template in parsed.scenarios:
            # Two scenarios of one file may share a name: each is bound, the second as ``…_2``.
            bound = _bind(parsed.feature, template, relative)
            namespace[_unique(namespace, test_name(relative, template.name))] = bound
            count += 1
    return count


def _bind(feature: Feature, template: ScenarioTemplate, relative: Path) -> Callable[..., object]:
    """The test of one scenario, as pytest-bdd's ``scenario()`` decorator would make it."""
    decorate: Callable[[Callable[[], None]], Callable[..., object]] = _get_scenario_decorator(
        feature=feature,
        feature_name=relative.as_posix(),
        templated_scenario=template,
        scenario_name=template.name,
    )
    return decorate(_no_body)


def test_name(feature: Path, scenario_name: str) -> str:
    """``approval/approval.feature`` + "A new release" → ``test_approval__a_new_release``."""
    parts = [*feature.parent.parts, feature.stem]
    if len(parts) > 1 and parts[-1] == parts[-2]:
        parts.pop()
    return f"test_{_python_name('_'.join(parts))}__{_python_name(scenario_name)}"


# Tell pytest the helper above is not a test even though it starts with "test".
test_name.__test__ = False  # type: ignore[attr-defined]


def _python_name(text: str) -> str:
    return re.sub(r"_+", "_", re.sub(r"\W", "_", text.lower())).strip("_") or "unnamed"


def _unique(namespace: dict[str, Any], name: str) -> str:
    candidate, index = name, 1
    while candidate in namespace:
        index += 1
        candidate = f"{name}_{index}"
    return candidate


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
