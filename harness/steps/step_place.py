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
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.feature_text import read_feature
from harness.steps.documents import Origin
from harness.steps.errors import ScenarioError

__all__ = [
    "KUBECTL_LITERALS",
    "StepPlace",
    "docstring_first_line",
    "docstring_origin",
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
