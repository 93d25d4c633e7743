"""How often the features use each catalogued step, remembered between runs in pytest's cache.

The report's step catalogue shows each step's number of uses, which takes a lint of every
feature (parse, expand outlines, match every line against every definition): ~0.25 s at every
start of a run that writes the report, a fifth of ``pytest --collect-only scenarios``. The counts
depend only on the feature files, the step definitions and pytest-bdd, so they are kept in
``.pytest_cache`` (key ``dkp-harness/step-usage``) with a fingerprint of those: each file's path,
size and modification time (the way ``make`` and pytest's own caches tell a change), every
definition's kind and pattern, and pytest-bdd's own files. Any change, or no cache
(``-p no:cacheprovider``), and the lint runs again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import pytest_bdd

from harness.steps.catalogue import StepDef
from harness.steps.lint import lint

__all__ = ["CACHE_KEY", "step_usage"]

CACHE_KEY = "dkp-harness/step-usage"
_STEP_SOURCES = Path(__file__).resolve().parent
_PYTEST_BDD = Path(pytest_bdd.__file__).resolve().parent


class _Cache(Protocol):
    def get(self, key: str, default: Any) -> Any: ...

    def set(self, key: str, value: object) -> None: ...


def step_usage(cache: _Cache | None, features: Path, catalogue: Sequence[StepDef]) -> dict[str, int]:
    """Uses per step key (:attr:`StepDef.key`), from the cache when nothing they depend on changed."""
    fingerprint = _fingerprint(features, catalogue)
    found = cache.get(CACHE_KEY, None) if cache is not None else None
    if isinstance(found, dict) and found.get("fingerprint") == fingerprint:
        usage = found.get("usage")
        if isinstance(usage, dict) and all(isinstance(v, int) for v in usage.values()):
            return {str(k): v for k, v in usage.items()}
    counted = lint(features, list(catalogue)).usage
    if cache is not None:
        cache.set(CACHE_KEY, {"fingerprint": fingerprint, "usage": counted})
    return counted


def _fingerprint(features: Path, catalogue: Sequence[StepDef]) -> str:
    digest = hashlib.sha256()
    for step in catalogue:
        digest.update(f"{step.key}\n".encode())
    for root, pattern in ((features, "*.feature"), (_STEP_SOURCES, "*.py"), (_PYTEST_BDD, "*.py")):
        for path in sorted(root.rglob(pattern)):
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
