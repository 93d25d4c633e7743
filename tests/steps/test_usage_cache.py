"""The report's step usage counts are remembered between runs, and counted again on any change."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import feature as pytest_bdd_feature

from harness.steps import usage_cache
from harness.steps.catalogue import CATALOGUE
from harness.steps.lint import lint

FEATURES = Path(__file__).resolve().parents[2] / "features"


class DictCache:
    """pytest's ``config.cache`` interface, in memory."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get(self, key: str, default: Any) -> Any:
        return self.values.get(key, default)

    def set(self, key: str, value: object) -> None:
        self.values[key] = value


@pytest.fixture
def counted(monkeypatch):
    """The lints the cache lets run."""
    runs: list[Path] = []

    def counting_lint(features, steps):
        runs.append(features)
        return lint(features, steps)

    monkeypatch.setattr(usage_cache, "lint", counting_lint)
    return runs


def test_the_second_start_reads_the_counts_the_first_one_made(counted):
    cache = DictCache()
    first = usage_cache.step_usage(cache, FEATURES, CATALOGUE)
    second = usage_cache.step_usage(cache, FEATURES, CATALOGUE)
    assert len(counted) == 1
    assert second == first == lint(FEATURES, list(CATALOGUE)).usage
    assert sum(first.values()) > 0


STEP = "    Given it is Monday 2024-12-16 09:00 UTC\n"


def test_an_edited_feature_file_is_counted_again(tmp_path, counted, monkeypatch):
    monkeypatch.setattr(pytest_bdd_feature, "features", {})  # pytest-bdd's per-process parse cache
    features = tmp_path / "features"
    features.mkdir()
    feature = features / "one.feature"
    feature.write_text("Feature: one\n  Scenario: s\n" + STEP)
    cache = DictCache()
    before = usage_cache.step_usage(cache, features, CATALOGUE)
    pytest_bdd_feature.features.clear()
    feature.write_text("Feature: one\n  Scenario: s\n" + STEP + STEP)
    os.utime(feature, ns=(1, 1))  # even with an older time stamp: the size changed
    after = usage_cache.step_usage(cache, features, CATALOGUE)
    assert len(counted) == 2
    assert sum(before.values()) == 1
    assert sum(after.values()) == 2


def test_without_a_cache_every_start_counts(counted):
    usage_cache.step_usage(None, FEATURES, CATALOGUE)
    usage_cache.step_usage(None, FEATURES, CATALOGUE)
    assert len(counted) == 2
