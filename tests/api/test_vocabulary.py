"""One typed DKP vocabulary: every DKP name is written once, in harness/api, and nowhere else.

The simulator's controllers, the cluster and the scenario steps must spell a kind, label,
annotation, finalizer, phase, condition type or reason through ``harness.api``; a second copy of
the literal is how the approval annotation once came to be defined three times. This test reads
the source (AST string constants, docstrings excluded) and fails with file:line for each copy.
"""

from __future__ import annotations

import ast
import enum
import types
from collections import Counter
from pathlib import Path

import pytest

from harness.api import annotations, conditions, finalizers, kinds, labels, phases, sources
from harness.kube.resources import Resource

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ["harness/dkp", "harness/steps", "harness/cluster", "harness/cli"]
VOCABULARY_MODULES = (annotations, conditions, finalizers, kinds, labels, phases, sources)
# Words DKP uses as names that are also plain English in messages, field names or CLI text: they
# are checked only where they would be DKP names (the vocabulary's own modules), not everywhere.
GENERIC = {"module", "modules", "source", "status", "v1", "True", "False", "Unknown", "Error", "deckhouse"}


def _values(module: types.ModuleType) -> dict[str, str]:
    """name -> DKP string defined in ``module`` (constants, enum members, resources' names)."""
    found: dict[str, str] = {}
    for name, value in vars(module).items():
        if name.startswith("_") or (name.isupper() is False and not isinstance(value, type)):
            continue
        if isinstance(value, type) and issubclass(value, enum.Enum) and value.__module__ == module.__name__:
            for member in value:
                found[f"{value.__name__}.{member.name}"] = str(member.value)
        elif isinstance(value, Resource):
            found[f"{name}.kind"], found[f"{name}.plural"] = value.kind, value.plural
        elif isinstance(value, str) and not name.startswith("GO_"):
            found[name] = value
    return found


def _vocabulary() -> dict[str, str]:
    """DKP string -> where harness.api defines it."""
    words: dict[str, str] = {}
    for module in VOCABULARY_MODULES:
        for name, value in _values(module).items():
            words.setdefault(value, f"{module.__name__}.{name}")
    return {w: where for w, where in words.items() if w not in GENERIC}


def _docstrings(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
        # attribute docstrings: a bare string right after an assignment
        for field in ("body", "orelse"):
            stmts = getattr(node, field, None)
            for stmt in stmts if isinstance(stmts, list) else []:
                if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                    ids.add(id(stmt.value))
    return ids


def _files() -> list[Path]:
    out: list[Path] = []
    for entry in CHECKED:
        path = ROOT / entry
        out.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return out


def test_the_vocabulary_is_not_empty_and_knows_the_approval_annotation():
    words = _vocabulary()
    assert words["modules.deckhouse.io/approved"] == "harness.api.annotations.APPROVED"
    assert "ModuleRelease" in words and "Pending" in words and "LastReleaseDeployed" in words


@pytest.mark.parametrize("module", VOCABULARY_MODULES, ids=lambda m: m.__name__)
def test_no_name_is_defined_twice_in_one_vocabulary_module(module):
    # One group per enum (a ModuleRelease and a ModuleSource may both be "Terminating").
    counts = Counter(
        (name.split(".")[0] if "." in name and name[0].isupper() and not name.isupper() else "", v)
        for name, v in _values(module).items()
    )
    twice = sorted(value for (_, value), n in counts.items() if n > 1 and value not in GENERIC)
    allowed = {"deckhouse.io"} if module is kinds else set()
    assert set(twice) <= allowed, f"{module.__name__} defines {twice} more than once"


def test_no_dkp_string_literal_is_written_outside_harness_api():
    words = _vocabulary()
    copies: list[str] = []
    for path in _files():
        tree = ast.parse(path.read_text(), filename=str(path))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                if node.value in words:
                    rel = path.relative_to(ROOT)
                    copies.append(f"{rel}:{node.lineno}: {node.value!r} (use {words[node.value]})")
    assert not copies, "DKP names written as literals instead of harness.api:\n" + "\n".join(copies)


def test_the_check_finds_a_planted_copy(tmp_path):
    """The scanner itself works: a planted literal is found."""
    planted = 'ANN = "modules.deckhouse.io/approved"\n'
    tree = ast.parse(planted)
    hits = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in _vocabulary()]
    assert len(hits) == 1
