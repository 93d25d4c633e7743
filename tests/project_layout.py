"""A nested pytest project laid out like this one, for tests that run whole scenarios in it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["ROOT", "copy_project_layout"]


def copy_project_layout(pytester: pytest.Pytester) -> pytest.Pytester:
    """This project's root conftest, claims catalogue, binding module and example source in
    ``pytester``'s folder, so a feature file written under ``features/`` runs as a user's would."""
    pytester.makeconftest((ROOT / "conftest.py").read_text())
    pytester.makeini(
        "[pytest]\naddopts = --strict-markers -p no:randomly -p no:cacheprovider\n"
        "bdd_features_base_dir = features/\n"
    )
    (pytester.path / "fixtures").mkdir()
    (pytester.path / "fixtures" / "claims.yaml").write_text((ROOT / "fixtures" / "claims.yaml").read_text())
    (pytester.path / "scenarios").mkdir()
    (pytester.path / "scenarios" / "test_features.py").write_text(
        (ROOT / "scenarios" / "test_features.py").read_text()
    )
    sources = pytester.path / "features" / "sources"
    sources.mkdir(parents=True)
    (sources / "example-source.yaml").write_text((ROOT / "features/sources/example-source.yaml").read_text())
    return pytester
