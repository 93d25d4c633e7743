"""Step-definition lookup done once per step text, instead of once per step of every scenario.

pytest-bdd finds the definition of a step by walking every fixture name of the session, asking
pytest which definitions of that name the test can see, and trying each step parser on the step's
text (``pytest_bdd.scenario.find_fixturedefs_for_step``): ~100 names and ~1,000 calls into pytest
per step, a quarter of a worker's CPU in an earlier profile. The answer depends only on the step
(type and text) and on where the test sits (which definitions its module and class can see), and
step definitions are all registered by the end of collection, so it is remembered per
(step type, step text, the test's parent node). Everything after the lookup is pytest-bdd's own:
it still injects the found definitions and resolves the step fixture through pytest, so
overriding a step in a test module, scoping and "step definition not found" behave as before.

pytest-bdd 8 and 9 have no hook for this; :func:`install` wraps the module-level function that
its scenario runner calls, and does nothing if a future pytest-bdd no longer has it.
"""

from __future__ import annotations

import importlib
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any

__all__ = ["install", "lookups"]

_Key = tuple[str | None, str, str]
_caches: weakref.WeakKeyDictionary[Any, dict[_Key, list[Any]]] = weakref.WeakKeyDictionary()
_counts = {"lookups": 0, "computed": 0}


def install() -> bool:
    """Wrap pytest-bdd's step lookup with the cache (once); False when pytest-bdd has none to wrap."""
    # ``pytest_bdd.scenario`` the attribute is the ``scenario`` decorator; the module is in sys.modules.
    bdd_scenario = importlib.import_module("pytest_bdd.scenario")
    original = getattr(bdd_scenario, "find_fixturedefs_for_step", None)
    if original is None:
        return False
    if getattr(original, "__wrapped__", None) is not None:
        return True
    setattr(bdd_scenario, "find_fixturedefs_for_step", _cached(original))  # noqa: B010 - ModuleType
    return True


def lookups() -> dict[str, int]:
    """How many step lookups were asked for and how many were computed (the rest came from the cache)."""
    return dict(_counts)


def _cached(original: Callable[..., Iterable[Any]]) -> Callable[..., Iterator[Any]]:
    def find_fixturedefs_for_step(step: Any, fixturemanager: Any, node: Any) -> Iterator[Any]:
        cache = _caches.setdefault(fixturemanager, {})
        parent = getattr(node, "parent", None)
        key = (step.type, step.name, parent.nodeid if parent is not None else node.nodeid)
        _counts["lookups"] += 1
        found = cache.get(key)
        if found is None:
            _counts["computed"] += 1
            found = list(original(step=step, fixturemanager=fixturemanager, node=node))
            cache[key] = found
        return iter(found)

    find_fixturedefs_for_step.__wrapped__ = original  # type: ignore[attr-defined]
    find_fixturedefs_for_step.__doc__ = original.__doc__
    return find_fixturedefs_for_step
