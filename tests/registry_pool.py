"""Registries from the test process's pool, for the fixtures that hand them to tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.registry.backends.distribution import DistributionBackend, find_binary
from harness.registry.backends.pool import shared_pool
from harness.registry.credentials import Credentials

__all__ = ["pooled"]


def pooled(credentials: Credentials | None = None) -> Iterator[DistributionBackend]:
    """A serving registry for ``credentials`` from this process's pool, as empty as a fresh one,
    given back (emptied, or stopped when the test stopped or broke it) after the test.

    Each set of credentials has registries of its own in the pool (its own htpasswd), so a test
    asking for a password gets a registry that asks for that password and no other.
    """
    if find_binary() is None:
        pytest.skip("no registry binary found: install one with `apt-get install docker-registry`")
    pool = shared_pool()
    backend = pool.acquire(credentials)
    try:
        backend.finish_start()
        yield backend
    finally:
        pool.release(backend)
