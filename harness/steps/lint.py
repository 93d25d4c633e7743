"""Lint of feature files against the step catalogue: undefined, ambiguous, unused and invalid steps.

pytest-bdd only notices an undefined step when the scenario runs, never notices an unused
definition, and silently takes one of two definitions that both match a line. The lint reads
every feature (outlines expanded with each Examples row, since a placeholder can change which
definition matches), matches every step line against the catalogue and reports all three, each
with ``file:line`` and, for an undefined step, the closest definitions. A step that matches but
carries a value its definition refuses (a duration, a moment, a kind, YAML in its docstring) is
reported too, with the message the run would give (:mod:`harness.steps.step_values`), and so is an
Outline step whose ``<placeholder>`` no Examples column fills (:func:`unfilled_in_outline`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from pytest_bdd import parsers
from pytest_bdd.parser import ScenarioTemplate, Step

from harness.feature_text import real_path
from harness.report.page_expectation import PAGE_SAYS, is_page_step
from harness.report.visible_text import visible
from harness.steps.binding import UNREADABLE_ERRORS, parse_feature
from harness.steps.catalogue import EXTRA_TYPES, StepDef
from harness.steps.step_place import is_outline, outline_problem, unfilled_placeholder
from harness.steps.step_rewrite import rewritten_line
from harness.steps.step_similarity import COMPARED_LENGTH, closest_steps
from harness.steps.step_values import invalid_value

__all__ = [
    "LintReport",
    "StepLine",
    "closest_steps",
    "feature_files",
    "feature_step_lines",
    "lint",
    "other_kind_hint",
    "quoting_hint",
    "shown_path",
    "suggested_line",
    "unfilled_in_outline",
]


@dataclass(frozen=True)
class StepLine:
    """One step of one scenario as it will run (outline placeholders filled in)."""

    kind: str
    keyword: str
    text: str
    file: str
    line: int
    docstring: str | None = None
    path: Path | None = None
    """The feature file itself (``file`` is its name as shown)."""
    unfilled: str | None = None
    """The run's error for a ``<placeholder>`` of this Outline step no Examples column fills."""

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class LintReport:
    undefined: list[tuple[StepLine, list[StepDef]]] = field(default_factory=list)
    ambiguous: list[tuple[StepLine, list[StepDef]]] = field(default_factory=list)
    unused: list[StepDef] = field(default_factory=list)
    usage: dict[str, int] = field(default_factory=dict)
    invalid: list[tuple[StepLine, str]] = field(default_factory=list)
    """Steps that match a definition but whose value it cannot take (a duration, a kind, YAML)."""
    catalogue: list[StepDef] = field(default_factory=list)
    """Every definition, for the line an undefined step should read (not only the three closest)."""

    @property
    def ok(self) -> bool:
        return not (self.undefined or self.ambiguous or self.unused or self.invalid)

    def lines(self) -> list[str]:
        """The problems as the terminal shows them: the author's line with its control characters
        made visible (:mod:`harness.report.visible_text`), so an ESC sequence or a right-to-left
        override in a feature file cannot recolour, rewrite or reorder what the lint prints."""
        out = [
            f"{line.location}: undefined step: {line.keyword.strip()} {line.text}\n"
            + _with_newline(
                suggested_line(line.kind, line.keyword.strip(), line.text, self.catalogue or near, "    ")
            )
            + describe_candidates(near, "    closest defined steps:")
            for line, near in self.undefined
        ]
        out += [
            f"{line.location}: ambiguous step: {line.keyword.strip()} {line.text}\n"
            + describe_candidates(defs, "    matched by all of:")
            for line, defs in self.ambiguous
        ]
        out += [
            f"{step.location}: unused step definition: {step.kind} {step.pattern!r}" for step in self.unused
        ]
        out += [
            # a step ending in ":" (`When I apply:`) takes no second one
            f"{line.location}: {line.keyword.strip()} {line.text.removesuffix(':')}: {problem}"
            for line, problem in self.invalid
        ]
        return [visible(line) for line in out]


def lint(features_dir: Path, steps: list[StepDef]) -> LintReport:
    report = LintReport(usage={s.key: 0 for s in steps}, catalogue=steps)
    seen_undefined: set[tuple[str, str, str]] = set()
    for line in feature_step_lines(features_dir):
        matched = [s for s in steps if s.matches(line.kind, line.text)]
        for step in matched:
            report.usage[step.key] += 1
        if not matched and (line.location, line.kind, line.text) not in seen_undefined:
            seen_undefined.add((line.location, line.kind, line.text))
            report.undefined.append((line, closest_steps(line.kind, line.text, steps)))
        elif len(matched) > 1:
            report.ambiguous.append((line, matched))
        else:
            problem = line.unfilled or invalid_value(
                matched[0], line.text, line.docstring, line.file, line.line, line.path
            )
            if problem and (line.location, problem) not in {(x.location, y) for x, y in report.invalid}:
                report.invalid.append((line, problem))
    # A definition offered under several keywords or phrasings ("Given"/"When", "1 minute passes"
    # and "3 minutes pass") is one function: it is unused only when none of its forms is used.
    used_functions = {s.function for s in steps if report.usage[s.key]}
    report.unused = [s for s in steps if s.function not in used_functions]
    return report


def shown_path(path: Path, base: Path) -> str:
    """How a problem names a feature file: as ``dkp-harness run`` takes it, relative to the
    directory the command runs in (``features/x/y.feature`` from the project root); a file outside
    it relative to the folder above the linted one (``base``), as before."""
    resolved, cwd = real_path(path.parent) / path.name, Path.cwd().resolve()  # a link by its own name
    if resolved.is_relative_to(cwd):
        return resolved.relative_to(cwd).as_posix()
    parent = base.resolve().parent
    return resolved.relative_to(parent).as_posix() if resolved.is_relative_to(parent) else resolved.as_posix()


def feature_files(target: Path) -> tuple[Path, list[Path]]:
    """(the folder files are read and shown relative to, the feature files): every ``*.feature``
    below a folder, or the one file given (``dkp-harness steps --lint features/x/y.feature``)."""
    if target.is_file():
        return target.parent, [target]
    return target, sorted(target.rglob("*.feature"))


def feature_step_lines(features_dir: Path) -> Iterator[StepLine]:
    """Every step line of every ``*.feature`` under ``features_dir``, outlines expanded.

    A file that is not valid Gherkin is skipped here; the tag lint and the run report it with its
    line, and one broken file must not hide the steps of all the others.
    """
    base, files = feature_files(features_dir)
    for path in files:
        try:
            # every scenario in file order, two of the same name included; the binding, this lint
            # and the tag lint share the parse
            parsed = parse_feature(base, path.relative_to(base))
        except UNREADABLE_ERRORS:
            continue
        shown = shown_path(path, base)
        for template in parsed.scenarios:
            contexts = [ctx for ex in template.examples for ctx in ex.as_contexts()] or [{}]
            for context in contexts:
                for line in _lines(template.render(context).steps, str(shown), path):
                    yield _with_unfilled(line, template)


def _lines(steps: Iterable[Step], file: str, path: Path) -> Iterator[StepLine]:
    """The step lines to match; of a ``But the page says: <step>`` line (the page's expectation of a
    ``@deviation`` scenario, checked with <step>'s definition), the step it holds."""
    for step in steps:
        text = step.name[len(PAGE_SAYS) :] if is_page_step(step.name) else step.name
        yield StepLine(step.type, step.keyword, text, file, step.line_number, step.docstring, path)


def unfilled_in_outline(line: StepLine, template: ScenarioTemplate) -> str | None:
    """The run's "could not check" message for a ``<placeholder>`` of an Outline step that no
    Examples column fills (``<phase>`` with only a ``version`` column), else ``None``.

    README's first scenario says to lint before running; the lint said "0 invalid step value(s)"
    and the first run then stopped at the step. The rule is the run's own
    (:func:`harness.steps.step_place.unfilled_placeholder`): only Outlines, only the Outline's own
    step lines (a Background step is also run by plain scenarios, where ``<...>`` is text).
    """
    empty = outline_problem(template, line.line)
    if empty is not None:
        return str(empty)
    if not is_outline(template) or line.line <= template.line_number:
        return None
    columns = [column for examples in template.examples for column in examples.example_params]
    error = unfilled_placeholder(line.text, columns)
    return None if error is None else str(error)


def _with_unfilled(line: StepLine, template: ScenarioTemplate) -> StepLine:
    problem = unfilled_in_outline(line, template)
    return line if problem is None else replace(line, unfilled=problem)


_FIELD = re.compile(r"\{(\w+)(?::[^}]*)?\}")


def quoting_hint(kind: str, keyword: str, text: str, steps: list[StepDef], indent: str = "  ") -> str:
    """``did you mean: <the line with its values in double quotes>?`` when the undefined ``text``
    is a step of ``steps`` written without the quotes around its values (``is in phase Ready``,
    ``the Module module-one …``), else ``""``.

    The closest steps were listed, their patterns showing ``"{phase}"``, but nothing said that the
    quotes were the whole mistake. A definition's pattern is read with its quotes dropped; the
    values it then finds are put back in quotes, and the line is offered only if the definition
    matches it.
    """
    for step in steps:
        if step.kind != kind or '"{' not in step.pattern:
            continue
        # The definition's own parse types (``{message:Any}``) or the loose pattern does not compile.
        loose = parsers.parse(step.pattern.replace('"{', "{").replace('}"', "}"), extra_types=EXTRA_TYPES)
        if not loose.is_matching(text):
            continue
        values = {name: str(value).strip('"') for name, value in (loose.parse_arguments(text) or {}).items()}
        if any('"' in value for value in values.values()):
            continue  # ``Ready" at Monday …``: the loose pattern swallowed the rest of the line
        fixed = _filled(step.pattern, values)
        if fixed != text and step.matches(kind, fixed):
            return f"{indent}did you mean: {keyword} {fixed}? (a step's values are written in double quotes)"
    return ""


def suggested_line(kind: str, keyword: str, text: str, steps: list[StepDef], indent: str = "  ") -> str:
    """The line an undefined step should read: its values put in double quotes
    (:func:`quoting_hint`), else the closest definition that takes its values
    (:func:`harness.steps.step_rewrite.rewritten_line`); ``""`` when neither applies.

    A line longer than :data:`COMPARED_LENGTH` is neither quoted nor rewritten: it is no near-miss
    of any definition, and the quoting hint's loose patterns backtrack quadratically in its length.
    """
    other = other_kind_hint(kind, keyword, text, steps, indent)
    if other or len(text) > COMPARED_LENGTH:
        return other
    quoted = quoting_hint(kind, keyword, text, steps, indent)
    return quoted or rewritten_line(kind, keyword, text, steps, indent)


def other_kind_hint(kind: str, keyword: str, text: str, steps: list[StepDef], indent: str = "  ") -> str:
    """What to write when the line is a step of another kind: a check continued with ``And``
    after a ``When`` (``And the ModuleRelease "…" has a message containing "…"``) is looked up as a
    When step, and the closest steps then listed the very step the author wrote, as if it were
    not there."""
    kinds = sorted({step.kind for step in steps if step.kind != kind and step.matches(step.kind, text)})
    if not kinds:
        return ""
    meant = kinds[0].capitalize()
    continued = f"'{keyword}' here continues the {kind.capitalize()} steps above it"
    if keyword.lower() in (kind, ""):
        continued = f"it is written as a {kind.capitalize()} step"
    return f"{indent}this is a {meant} step, but {continued}: start the line with {meant} ({meant} {text})"


def _filled(pattern: str, values: dict[str, str]) -> str:
    """``pattern`` with each ``{name}`` (``{name:d}``) replaced by its value."""
    return _FIELD.sub(lambda m: values.get(m[1], m[0]), pattern)


def _with_newline(text: str) -> str:
    return f"{text}\n" if text else ""


def describe_candidates(steps: list[StepDef], title: str) -> str:
    rows = [f"      {s.kind.capitalize()} {s.pattern}    ({s.location})" for s in steps]
    return "\n".join([title, *rows]) if rows else f"{title} (none)"
