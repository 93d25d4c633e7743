"""Where the running step is written, and what of its text a Scenario Outline left unfilled.

pytest-bdd hands a step its docstring as a bare string, so an error inside it (a YAML mistake)
could only name a line of the docstring. The step plugin tells the world which step runs
(:class:`StepPlace`: its feature file, its line, its docstring), and the world turns a line of the
docstring into a line of the feature file (:meth:`StepPlace.docstring_origin`) when, and only
when, something in it is wrong: a passing step reads no file.

pytest-bdd fills an Outline step's ``<column>`` placeholders from the Examples row and leaves a
placeholder no column names as it is, so a typo (``<nmae>``) reached the cluster as a name and
failed as "Module '<nmae>' does not exist". :func:`unfilled_placeholder` finds such a leftover so
the step refuses it as the scenario's mistake, naming the columns there are.
An Outline without an Examples row (:func:`outline_without_rows`) has no column at all; it ran
once with every ``<placeholder>`` as text and failed on the first value a step could not read.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness.feature_text import read_feature
from harness.steps.documents import Origin
from harness.steps.errors import ScenarioError

if TYPE_CHECKING:
    from pytest_bdd.parser import ScenarioTemplate

__all__ = [
    "KUBECTL_LITERALS",
    "StepPlace",
    "docstring_first_line",
    "docstring_origin",
    "is_outline",
    "outline_problem",
    "outline_without_rows",
    "repeated_column",
    "unfilled_placeholder",
]

_PLACEHOLDER = re.compile(r"<(.+?)>")
"""The pattern pytest-bdd renders Outline steps with (``pytest_bdd.parser.PARAM_RE``)."""

_DOCSTRING_DELIMITERS = ('"""', "```")

KUBECTL_LITERALS = frozenset({"none", "unknown", "invalid", "pending", "nil", "unset"})
"""What kubectl itself prints in angle brackets (``<none>`` in an empty cell): an Outline step
that expects it (``Then the output contains "<none>"``) means the text, not a column."""


@dataclass(frozen=True)
class StepPlace:
    """The step being run: its feature file, its line and its docstring (as the step receives it).

    Built for every step, so it only holds what pytest-bdd already has; the file is read, and the
    path shortened, when an error needs them.
    """

    path: Path
    line: int
    docstring: str | None = None
    root: Path | None = None
    """The project root: the error names the feature file relative to it, as the user typed it."""

    @property
    def shown(self) -> str:
        path = self.path.resolve()
        root = self.root.resolve() if self.root is not None else None
        return path.relative_to(root).as_posix() if root and path.is_relative_to(root) else str(path)

    def docstring_origin(self) -> Origin | None:
        """Where the step's docstring starts in the feature file; ``None`` if it cannot be found."""
        return docstring_origin(self.path, self.shown, self.line)


def docstring_origin(path: Path, shown: str, step_line: int) -> Origin | None:
    """Where the docstring of the step at ``step_line`` of ``path`` (named ``shown``) starts: its
    first line and its indentation (the delimiter's, which Gherkin takes off every line)."""
    start = _docstring_start(path, step_line)
    return None if start is None else Origin("the step's docstring", shown, *start)


def docstring_first_line(path: Path, step_line: int) -> int | None:
    """The line of the feature file holding the first line of the docstring of the step at ``step_line``."""
    start = _docstring_start(path, step_line)
    return None if start is None else start[0]


def _docstring_start(path: Path, step_line: int) -> tuple[int, int] | None:
    """(first line of the text, indentation) of the docstring of the step at ``step_line``.

    The docstring opens on the first line below the step that starts with a delimiter (blank and
    comment lines may come between); its text starts on the line after that delimiter.
    """
    try:
        lines = read_feature(path).splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number in range(step_line + 1, len(lines) + 1):
        line = lines[number - 1]
        text = line.strip()
        if text.startswith(_DOCSTRING_DELIMITERS):
            return number + 1, len(line) - len(line.lstrip())
        if text and not text.startswith("#"):
            return None
    return None


def unfilled_placeholder(text: str, columns: Sequence[str]) -> ScenarioError | None:
    """The error for the first ``<name>`` of an Outline step's text that no Examples column filled.

    Only the step's own line is read: a docstring or a table may hold ``<...>`` meant literally
    (YAML, kubectl output), and kubectl's own ``<none>`` and friends are text in a step line too.
    """
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1)
        if name in columns or name.strip().lower() in KUBECTL_LITERALS:
            continue
        near = difflib.get_close_matches(name, list(columns), n=1)
        hint = f"did you mean <{near[0]}>? " if near else ""
        listed = ", ".join(f"<{column}>" for column in columns) or "none"
        return ScenarioError(
            f"the placeholder <{name}> is not a column of the Outline's Examples ({hint}the columns "
            f"are: {listed}); write one of them, or add a column {name!r} to the Examples table"
        )
    return None


_OUTLINE_KEYWORDS = frozenset({"scenario outline", "scenario template"})


def outline_without_rows(keyword: str, tables: int, rows: int, line: int) -> ScenarioError | None:
    """The error for a scenario written at ``line`` as ``keyword`` with ``tables`` Examples tables
    holding ``rows`` rows in all, when it is an Outline without a row; else ``None``.

    pytest-bdd runs such an Outline once, as a plain scenario, with its ``<placeholders>`` as
    text: ``When <n> minutes pass`` then failed with "cannot read the duration '<n> minutes'",
    which sent the author to the step rather than to the missing table. A ``Scenario:`` with an
    Examples table but no row is the same mistake (Gherkin reads it as an Outline).
    """
    if rows or not (tables or keyword.strip().lower() in _OUTLINE_KEYWORDS):
        return None
    return ScenarioError(
        f"the Scenario Outline at line {line} has no Examples row, so its <placeholders> are never "
        "filled: add an 'Examples:' table under it, a header row of the placeholders' names and a "
        "row per case (each row runs as its own scenario), or write 'Scenario:' if nothing varies"
    )


def outline_problem(template: ScenarioTemplate, step_line: int | None = None) -> ScenarioError | None:
    """What is wrong with an Outline's Examples (no row: :func:`outline_without_rows`; a column
    named twice: :func:`repeated_column`), at the Outline's first own step (``step_line``: the run
    stops there, and the lint says it once), or at any own step when ``step_line`` is ``None`` (one
    whose unfilled text matched no step definition); ``None`` for a Background's step."""
    own = [s.line_number for s in template.steps if s.line_number > template.line_number]
    if not own or (step_line is not None and step_line != min(own)):
        return None
    rows = sum(len(examples.examples) for examples in template.examples)
    empty = outline_without_rows(template.keyword, len(template.examples), rows, template.line_number)
    return empty or repeated_column([examples.example_params for examples in template.examples])


def repeated_column(headers: Sequence[Sequence[str]]) -> ScenarioError | None:
    """The error for an Examples header that names a column twice (``| a | a |``), else ``None``.

    pytest-bdd fills ``<a>`` from the last such cell, so the first one's values were dropped
    without a word: every row ran with the other column's value.
    """
    for header in headers:
        seen: set[str] = set()
        for column in header:
            if column in seen:
                return ScenarioError(
                    f"the Examples table names the column {column!r} twice, and <{column}> can be filled "
                    "from one of them only: give each column its own name"
                )
            seen.add(column)
    return None


def is_outline(template: ScenarioTemplate) -> bool:
    """Whether the scenario is an Outline: it has Examples (pytest-bdd's ``templated``), or is
    written ``Scenario Outline:`` without any, where each ``<placeholder>`` is left unfilled."""
    return template.templated or template.keyword.strip().lower() in _OUTLINE_KEYWORDS
