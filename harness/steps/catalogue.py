"""The step catalogue: every step definition with its pattern, documentation and example.

Step modules declare steps with :func:`given`, :func:`when` and :func:`then` from here instead of
pytest-bdd's own decorators. These register the step with pytest-bdd exactly as its decorators
would (the fixture lands in the calling module) and also record it in :data:`CATALOGUE`, which
pytest-bdd has no public way to enumerate. The catalogue is what ``dkp-harness steps`` prints, what
docs/steps.md is generated from, what the lint matches feature lines against and what the report
shows.

A step's docstring is its documentation: the text before ``Example:`` explains what the step
means; the indented lines after it are a Gherkin example shown in the catalogue.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest_bdd
from pytest_bdd import parsers

from harness.steps.step_arguments import with_argument_check

__all__ = ["CATALOGUE", "StepDef", "by_definition", "given", "render_markdown", "then", "when"]

F = TypeVar("F", bound=Callable[..., Any])
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class StepDef:
    """One step definition, as the catalogue and the lint see it."""

    kind: str
    pattern: str
    doc: str
    example: str
    file: str
    line: int
    function: str
    parser: parsers.StepParser

    @property
    def key(self) -> str:
        """Unique per definition (one function may define a Given and a When)."""
        return f"{self.kind} {self.pattern}"

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    def matches(self, kind: str, text: str) -> bool:
        return self.kind == kind and self.parser.is_matching(text)

    def to_dict(self, used_by: int | None = None) -> dict[str, str | int | None]:
        """The report's ``StepCatalogueEntry`` fields."""
        return {
            "kind": self.kind,
            "pattern": self.pattern,
            "doc": self.doc,
            "example": self.example,
            "used_by": used_by,
            "function": self.function,
        }


CATALOGUE: list[StepDef] = []


def given(pattern: str, **converters: Callable[[str], Any]) -> Callable[[F], F]:
    """Declare a Given step; ``pattern`` uses ``parse`` syntax (``"{name}"``)."""
    return _declare("given", pattern, converters)


def when(pattern: str, **converters: Callable[[str], Any]) -> Callable[[F], F]:
    """Declare a When step."""
    return _declare("when", pattern, converters)


def then(pattern: str, **converters: Callable[[str], Any]) -> Callable[[F], F]:
    """Declare a Then step."""
    return _declare("then", pattern, converters)


def _any_text(text: str) -> str:
    """``{name:Any}`` also matches an empty string (``has the message ""``)."""
    return text


_any_text.pattern = r".*"  # type: ignore[attr-defined]  # how the parse library reads a type's regex


EXTRA_TYPES = {"Any": _any_text}


def _declare(kind: str, pattern: str, converters: dict[str, Callable[[str], Any]]) -> Callable[[F], F]:
    parser = parsers.parse(pattern, extra_types=EXTRA_TYPES)
    register = {"given": pytest_bdd.given, "when": pytest_bdd.when, "then": pytest_bdd.then}[kind]

    def decorator(func: F) -> F:
        doc, example = split_docstring(inspect.getdoc(func) or "")
        source = Path(inspect.getsourcefile(func) or "?").resolve()
        # The line ``inspect.getsourcelines`` reports (the first decorator's), without tokenizing
        # the module: ~40 ms of every pytest process's start-up for the 70 steps.
        line = inspect.unwrap(func).__code__.co_firstlineno
        function = f"{func.__module__}:{func.__qualname__}"
        CATALOGUE.append(StepDef(kind, pattern, doc, example, _relative(source), line, function, parser))
        # stacklevel 2: the fixture must land in the module that applied this decorator.
        called = with_argument_check(func, f"{kind.capitalize()} {pattern}")
        register(parser, converters=converters or None, stacklevel=2)(
            _as_check(called) if kind == "then" else called
        )
        return func

    return decorator


def _as_check(func: F) -> F:
    """A Then step runs through ``world.check``: once on a settled cluster, until it holds on a real one.

    The wrapper keeps the signature (pytest-bdd reads the fixtures from it) and is what pytest-bdd
    calls; the catalogue keeps the function itself.
    """

    @functools.wraps(func)
    def check(*args: Any, **kwargs: Any) -> Any:
        world = kwargs.get("world")
        runner = getattr(world, "check", None)
        if runner is None:
            return func(*args, **kwargs)
        return runner(lambda: func(*args, **kwargs))

    return check  # type: ignore[return-value]


def split_docstring(text: str) -> tuple[str, str]:
    """``(meaning, example)`` from a step docstring; the example follows a line ``Example:``."""
    head, marker, tail = text.partition("Example:")
    if not marker:
        return " ".join(head.split()), ""
    lines = [line for line in tail.splitlines() if line.strip()]
    indent = min((len(line) - len(line.lstrip()) for line in lines), default=0)
    return " ".join(head.split()), "\n".join(line[indent:] for line in lines)


def render_markdown(steps: list[StepDef]) -> str:
    """docs/steps.md: every step grouped by area (its module), in declaration order."""
    out = [
        "# Step catalogue",
        "",
        "<!-- Generated by `dkp-harness steps --markdown > docs/steps.md`; do not edit by hand. -->",
        "",
        "Every step a scenario can use, grouped by area. Quoted `{name}` parts are parameters; "
        "a step ending in `:` takes a YAML docstring or a datatable on the following lines. "
        "`And`/`But` continue the kind of the previous step.",
        "",
        "From the terminal, `dkp-harness steps WORD…` prints only the steps that mention every word "
        "(`dkp-harness steps approve`). Much of what a scenario sets up is not a step but a field "
        "of the YAML a step writes: an update window or an update mode is a ModuleUpdatePolicy's, "
        "written with `Given the cluster has:` or `When I apply:`; `grep -rn WORD features/` finds "
        "the scenarios that do it.",
        "",
    ]
    for area, members in _by_area(steps).items():
        out += [f"## {area}", ""]
        for phrasings in by_definition(members):
            first = phrasings[0]
            out += [f"### {_phrasing(first)}", ""]
            if len(phrasings) > 1:
                out += ["Also written: " + ", ".join(_phrasing(other) for other in phrasings[1:]) + ".", ""]
            out += [first.doc, ""]
            if first.example:
                out += ["```gherkin", first.example, "```", ""]
            out += [f"Defined in `{first.file}`.", ""]
    return "\n".join(out).rstrip() + "\n"


_TYPED = re.compile(r"\{(\w+):\w+\}")
"""A parameter with a parse type (``{message:Any}``): the reader writes its value, not its type."""


def _phrasing(step: StepDef) -> str:
    pattern = _TYPED.sub(r"{\1}", step.pattern)
    return f"{step.kind.capitalize()} `{pattern}`"


def by_definition(steps: list[StepDef]) -> list[list[StepDef]]:
    """The phrasings of each step function, in declaration order: one entry, one example. The
    decorators register bottom-up, so the phrasing written first (the top one) comes last."""
    grouped: dict[str, list[StepDef]] = {}
    for step in steps:
        grouped.setdefault(step.function, []).append(step)
    return [phrasings[::-1] for phrasings in grouped.values()]


def _by_area(steps: list[StepDef]) -> dict[str, list[StepDef]]:
    areas: dict[str, list[StepDef]] = {}
    for step in steps:
        areas.setdefault(Path(step.file).stem.replace("_", " ").capitalize(), []).append(step)
    return areas


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)
