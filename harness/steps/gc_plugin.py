"""pytest plugin: the cyclic garbage collector tuned for a test process (loaded first by the root conftest).

A scenario run allocates millions of short-lived objects (HTTP messages, API objects, YAML
events) on top of a large long-lived heap (pytest, the kubernetes client, jsonschema, the CRD
schemas, every collected item): see :mod:`harness.gc_tuning` for the thresholds and why. Once
collection is over, the heap built so far is frozen so that later full collections skip it.
"""

from __future__ import annotations

import gc

import pytest

from harness.gc_tuning import THRESHOLDS, tune

__all__ = ["THRESHOLDS"]

tune()


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Move everything alive after collection into the permanent generation."""
    gc.collect()
    gc.freeze()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """One full collection when the tests are over, then freeze what survives.

    pytest collects several times more at exit to surface exceptions raised in finalizers of
    garbage cycles; this collection runs those finalizers first, and freezing the survivors
    makes pytest's own passes cheap instead of re-scanning the whole heap each time.
    """
    gc.collect()
    gc.freeze()
