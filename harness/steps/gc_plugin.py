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


@pytest.hookimpl(tryfirst=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """One full collection when the run is over, then freeze what survives.

    pytest collects once more at exit to surface exceptions raised in finalizers of garbage
    cycles (its unraisable-exception plugin, in its own ``pytest_unconfigure``); this collection,
    first, runs those finalizers, and freezing the survivors makes pytest's own pass cheap
    instead of a second scan of the whole heap.

    It runs at unconfigure, not at session finish: an xdist worker tells the controller it is done
    only after every session-finish hook, and a full collection of a worker's heap takes ~0.2 s,
    which every run then waited for before writing its reports. At unconfigure it runs while the
    controller writes them.
    """
    gc.collect()
    gc.freeze()
