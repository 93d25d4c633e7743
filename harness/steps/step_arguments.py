"""A step that takes a docstring or a table, written with the other or with neither.

pytest-bdd hands a step its docstring (``docstring``) or table (``datatable``) only when the
feature file has one under the step; otherwise it asks pytest for a fixture of that name, and the
scenario failed with ``FixtureLookupError: ('docstring', <FixtureRequest …>)``, which says neither
what the step takes nor how to write it. :func:`with_argument_check` makes the argument optional to
pytest-bdd and refuses its absence as the scenario's mistake, naming what was written instead.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from harness.steps.errors import ScenarioError

__all__ = ["DATATABLE", "DOCSTRING", "with_argument_check"]

F = TypeVar("F", bound=Callable[..., Any])

DOCSTRING = "docstring"
DATATABLE = "datatable"

_HOW = {
    DOCSTRING: 'a docstring: its text on the lines between two lines of """ under the step',
    DATATABLE: "a table: rows of | cells | under the step, the first row naming the columns",
}
_WRITTEN = {DOCSTRING: 'a docstring ("""…""")', DATATABLE: "a table (| … |)"}


def with_argument_check(func: F, step: str) -> F:
    """``func`` as pytest-bdd should call it: a required ``docstring``/``datatable`` parameter
    becomes optional, the other one is accepted too, and a call without the needed one raises a
    :class:`ScenarioError` for the step written as ``step``. Other functions are returned as they are.
    """
    signature = inspect.signature(func)
    needed = [name for name in (DOCSTRING, DATATABLE) if _required(signature, name)]
    if not needed:
        return func
    [wanted] = needed
    other = DATATABLE if wanted == DOCSTRING else DOCSTRING

    @functools.wraps(func)
    def step_function(*args: Any, **kwargs: Any) -> Any:
        given = kwargs.pop(other, None)
        if kwargs.get(wanted) is None:
            kwargs.pop(wanted, None)
            raise ScenarioError(_missing(step, wanted, given is not None, other))
        return func(*args, **kwargs)

    # Keyword-only, last: pytest-bdd passes every argument by name and asks fixtures only for
    # the positional parameters without a default.
    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [p for p in signature.parameters.values() if p.name not in (wanted, other)]
    params += [inspect.Parameter(name, keyword, default=None) for name in (wanted, other)]
    step_function.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    return step_function  # type: ignore[return-value]


def _required(signature: inspect.Signature, name: str) -> bool:
    param = signature.parameters.get(name)
    return param is not None and param.default is inspect.Parameter.empty


def _missing(step: str, wanted: str, other_given: bool, other: str) -> str:
    written = f"{_WRITTEN[other]} was written there instead" if other_given else "none was written"
    return f"the step '{step}' takes {_HOW[wanted]}; {written}"
