"""Bind feature files to pytest without a Python module per folder.

pytest-bdd's ``scenarios()`` binds the feature files a test module names; a file in a folder no
module names is silently never run. :func:`bind_features` binds every ``*.feature`` under the
project's features/ directory into one module's namespace, with test names derived from the
feature's path so that they are stable and unique.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import scenario
from pytest_bdd.exceptions import GherkinParseError
from pytest_bdd.feature import get_feature

__all__ = ["AUTO_BINDING_ATTRIBUTE", "bind_features", "test_name"]

ROOT = Path(__file__).resolve().parents[2]
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
    for path in sorted(base.rglob("*.feature")) if base.is_dir() else []:
        relative = path.relative_to(base)
        try:
            feature = get_feature(str(base), str(relative))
        except (GherkinParseError, UnicodeDecodeError, OSError) as exc:
            # One broken file must not stop every other feature from running: it becomes one
            # failing test that says where the file is wrong.
            shown = path.relative_to(base.parent) if path.is_relative_to(base.parent) else path
            namespace[_unique(namespace, test_name(relative, "unreadable"))] = _unreadable(shown, exc)
            count += 1
            continue
        for name in feature.scenarios:
            bound = scenario(str(relative), name, features_base_dir=str(base))(_no_body)
            namespace[_unique(namespace, test_name(relative, name))] = bound
            count += 1
    return count


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


def _unreadable(path: Path, error: Exception) -> Callable[[], None]:
    line = getattr(error, "line", None)
    where = f"{path.as_posix()}:{line}" if line else path.as_posix()
    detail = getattr(error, "message", None) or str(error)
    content = getattr(error, "line_content", None)
    text = f"{where}: not a valid feature file: {detail}" + (f"\n    {content.strip()}" if content else "")

    def test() -> None:
        pytest.fail(text, pytrace=False)

    return test


def _no_body() -> None:
    """The scenario is its steps; the test function itself has nothing left to do."""
