"""The features folders a test module binds, read from its source without importing it.

The controller of a pytest-xdist run names a crashed worker's scenarios from their node ids
(:mod:`harness.report.node_scenarios`), walking the tests :func:`harness.steps.binding.bind_features`
makes over the folder the module binds. Importing the module to learn that folder would run it
(and bind every feature file again) in the controller, so its ``bind_features(...)`` calls are
read with :mod:`ast` instead, and their ``features_dir`` argument evaluated when it is one of:

- absent or ``None``: the binding's default, ``<module folder>/../features``;
- a string literal or ``Path("…")``: an absolute path, or one relative to the working directory
  (the binding resolves it so, and the controller shares the workers' working directory);
- a path built from the module's own file: ``Path(__file__)`` with ``.parent``, ``.parents[N]``,
  ``.resolve()``, ``.absolute()`` and ``/ "…"``;
- a module-level name assigned once to one of these (``FEATURES = Path(__file__).parent / "f"``).

Anything else (a call to a helper, an environment variable, a name assigned in a function or
twice) cannot be told without running the module: such a call is not resolved, and the
scenarios of a module holding one stay bare node ids in the report after a crash, as before.
"""

from __future__ import annotations

import ast
from pathlib import Path

__all__ = ["bound_folders"]

_CALL = "bind_features"
_PATH_NAMES = frozenset({"Path", "PurePath", "PosixPath"})
_SAME_PATH_METHODS = frozenset({"resolve", "absolute"})


def bound_folders(module: Path) -> list[Path] | None:
    """The folders ``module``'s ``bind_features`` calls bind, in call order; ``[]`` for a module
    that makes no such call, ``None`` when one of its folders cannot be read statically."""
    try:
        tree = ast.parse(module.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None
    names = _module_names(tree)
    folders: list[Path] = []
    for call in _binding_calls(tree):
        folder = _folder_of(call, module.resolve(), names)
        if folder is None:
            return None
        folders.append(folder)
    return folders


def _binding_calls(tree: ast.Module) -> list[ast.Call]:
    """The calls of ``bind_features``, under its own name or the one it was imported as."""
    callees = {_CALL} | {
        alias.asname
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name == _CALL and alias.asname
    }
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and _callee(node) in callees]
    return sorted(calls, key=lambda call: (call.lineno, call.col_offset))


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def _module_names(tree: ast.Module) -> dict[str, ast.expr]:
    """Names assigned exactly once at module level, to their value (a name assigned twice, or
    anywhere else as well, is left out: which value the call saw cannot be told)."""
    counts: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            counts[node.id] = counts.get(node.id, 0) + 1
    values: dict[str, ast.expr] = {}
    for statement in tree.body:
        target, value = _single_assignment(statement)
        if target is not None and value is not None and counts.get(target) == 1:
            values[target] = value
    return values


def _single_assignment(statement: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        return (target.id, statement.value) if isinstance(target, ast.Name) else (None, None)
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id, statement.value
    return None, None


def _folder_of(call: ast.Call, module: Path, names: dict[str, ast.expr]) -> Path | None:
    argument = call.args[1] if len(call.args) > 1 else None
    for keyword in call.keywords:
        if keyword.arg == "features_dir":
            argument = keyword.value
        elif keyword.arg is None:
            return None  # ``**options``: the folder may be in it
    if len(call.args) > 2 or any(isinstance(arg, ast.Starred) for arg in call.args):
        return None
    if argument is None or (isinstance(argument, ast.Constant) and argument.value is None):
        return module.parents[1] / "features"
    folder = _path_value(argument, module, names, depth=0)
    return folder.resolve() if folder is not None else None


def _path_value(node: ast.expr, module: Path, names: dict[str, ast.expr], depth: int) -> Path | None:
    """The path ``node`` evaluates to, for the few forms the module docstring lists; else None."""
    if depth > 20:
        return None  # ``A = B``, ``B = A`` cannot be, but a deep chain is no binding's folder either
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return Path(node.value)
    if isinstance(node, ast.Name):
        if node.id == "__file__":
            return module
        value = names.get(node.id)
        return _path_value(value, module, names, depth + 1) if value is not None else None
    if isinstance(node, ast.Call):
        return _call_value(node, module, names, depth)
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        inner = _path_value(node.value, module, names, depth + 1)
        return inner.parent if inner is not None else None
    if isinstance(node, ast.Subscript):
        return _parents_value(node, module, names, depth)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left = _path_value(node.left, module, names, depth + 1)
        right = _path_value(node.right, module, names, depth + 1)
        return left / right if left is not None and right is not None else None
    return None


def _call_value(node: ast.Call, module: Path, names: dict[str, ast.expr], depth: int) -> Path | None:
    """``Path(x)`` (``pathlib.Path(x)``) of one argument, or ``x.resolve()``/``x.absolute()``."""
    if node.keywords:
        return None
    callee = _callee(node)
    if callee in _PATH_NAMES and len(node.args) == 1:
        return _path_value(node.args[0], module, names, depth + 1)
    if callee in _SAME_PATH_METHODS and not node.args and isinstance(node.func, ast.Attribute):
        inner = _path_value(node.func.value, module, names, depth + 1)
        return inner.resolve() if inner is not None else None
    return None


def _parents_value(node: ast.Subscript, module: Path, names: dict[str, ast.expr], depth: int) -> Path | None:
    """``x.parents[N]`` for a literal N."""
    owner, index = node.value, node.slice
    if not (isinstance(owner, ast.Attribute) and owner.attr == "parents"):
        return None
    if not (isinstance(index, ast.Constant) and isinstance(index.value, int)):
        return None
    inner = _path_value(owner.value, module, names, depth + 1)
    if inner is None or not 0 <= index.value < len(inner.parents):
        return None
    return inner.parents[index.value]
