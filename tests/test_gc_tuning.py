"""The garbage collector settings every long-running harness process uses."""

from __future__ import annotations

import gc

from harness import gc_tuning
from harness.steps import gc_plugin


def test_tune_sets_the_shared_thresholds_and_the_test_plugin_uses_the_same():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        gc_tuning.tune()
        assert gc.get_threshold() == gc_tuning.THRESHOLDS == gc_plugin.THRESHOLDS
    finally:
        gc.set_threshold(*before)


def test_freezing_moves_what_survives_out_of_the_collected_generations():
    survivor = [[i] for i in range(1000)]  # lists are tracked by the collector (small dicts may not be)
    frozen = gc.get_freeze_count()
    gc_tuning.freeze_startup_heap()
    assert gc.get_freeze_count() >= frozen + len(survivor)
    assert gc.get_count()[0] < 100  # the young generation starts empty again
