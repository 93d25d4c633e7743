"""Fixtures of the step-library tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest


@pytest.fixture
def feature_project(pytester: pytest.Pytester) -> Callable[[str, str], None]:
    """Lay out a pytester project that runs one feature file on the simulator with the step
    library: ``feature_project("name", FEATURE)`` writes ``features/name.feature`` and the test
    module binding it. Skips without an OCI registry binary, which the simulated cluster needs."""
    if not any(shutil.which(b) for b in ("docker-registry", "registry", "zot")):
        pytest.skip("no OCI registry binary (docker-registry) on PATH")

    def lay_out(name: str, feature: str) -> None:
        pytester.makeconftest('pytest_plugins = ["harness.steps.plugin"]\n')
        pytester.makeini("[pytest]\nbdd_features_base_dir = features/\n")
        (pytester.mkdir("features") / f"{name}.feature").write_text(feature)
        binding = f'from pytest_bdd import scenarios\nscenarios("{name}.feature")\n'
        pytester.makepyfile(**{f"test_{name}": binding})

    return lay_out
