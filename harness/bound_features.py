"""Which scenario each test of the feature binding stands for: the parse and the test names.

:func:`harness.steps.binding.bind_features` makes one test per scenario of every feature file
under a folder, named from the file's path and the scenario's name. The report's controller must
be able to go the other way (a node id to its scenario) without collecting: under pytest-xdist it
never does, and a worker that crashed before shipping what it collected left only node ids. Both
walk :func:`bound_tests`, so the names they see are the same by construction.

pytest-bdd keeps a feature's scenarios in a dict keyed by name, so of two scenarios with the same
name in one file only the last survives, and the first would silently never run.
:func:`parse_feature` therefore lists the scenarios in the order the file writes them, every one
of them; the binding, the step lint, the tag lint and the report read that list.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Container, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gherkin.parser import Parser as GherkinParser
from pytest_bdd.exceptions import GherkinParseError
from pytest_bdd.parser import Feature, FeatureParser, ScenarioTemplate

from harness.feature_text import FEATURE_ENCODING, read_feature

__all__ = ["UNREADABLE_ERRORS", "BoundTest", "ParsedFeature", "bound_tests", "parse_feature", "test_name"]

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
    binding, the step lint, the tag lint and the report of one process share the parse.
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


@dataclass(frozen=True)
class BoundTest:
    """One test the binding makes: a scenario of a file, or the one test of an unreadable file."""

    name: str
    """The test function's name, unique in its module (``test_approval__a_new_release``)."""
    path: Path
    """The feature file (absolute)."""
    relative: Path
    """The feature file relative to the features folder."""
    parsed: ParsedFeature | None
    template: ScenarioTemplate | None
    """The scenario, or None for a file that cannot be parsed."""
    error: Exception | None
    """Why the file cannot be parsed (one of :data:`UNREADABLE_ERRORS`), else None."""


def bound_tests(base: Path, taken: Container[str] = ()) -> Iterator[BoundTest]:
    """The tests of every feature file under ``base``, in the binding's order, with their names.

    ``taken``: names already used in the module (a name found there gets ``_2``, ``_3``…, as a
    second scenario of one name does).
    """
    used: set[str] = set()
    for path in sorted(base.rglob("*.feature")) if base.is_dir() else []:
        relative = path.relative_to(base)
        try:
            parsed = parse_feature(base, relative)
        except UNREADABLE_ERRORS as exc:
            name = _unique(test_name(relative, "unreadable"), used, taken)
            yield BoundTest(name, path, relative, None, None, exc)
            continue
        for template in parsed.scenarios:
            # Two scenarios of one file may share a name: each is bound, the second as ``…_2``.
            name = _unique(test_name(relative, template.name), used, taken)
            yield BoundTest(name, path, relative, parsed, template, None)


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


def _unique(name: str, used: set[str], taken: Container[str]) -> str:
    candidate, index = name, 1
    while candidate in used or candidate in taken:
        index += 1
        candidate = f"{name}_{index}"
    used.add(candidate)
    return candidate
