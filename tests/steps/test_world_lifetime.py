"""A scenario's World (its cluster, store, history and manager) is garbage once the scenario ends.

pytest keeps every collected item until the session is over; a World left in its item's stash kept
each stopped cluster alive with all its objects (21,397 recorded versions after 27 scenarios,
~13,000 of them from the four-week one), so memory only grew and every full garbage collection
scanned them again.
"""

from __future__ import annotations

from harness.steps.plugin import _WORLD

pytest_plugins = ["pytester"]

FEATURE = """\
Feature: Lifetime
  Scenario: One
    When 3 minutes pass

  Scenario: Two
    When 1 minute passes
"""


def test_no_world_is_kept_by_its_item_once_the_scenario_ended(pytester, feature_project):
    """The retention path itself: the item's stash. (An in-process run's hook recorder keeps
    every hook's arguments, scenario requests included, so a weak reference to the World cannot
    tell here what a real session frees; this checks what the items hold.)"""
    feature_project("lifetime", FEATURE)
    recorder = pytester.inline_run("-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist")
    recorder.assertoutcome(passed=2)
    [collected] = recorder.getcalls("pytest_collection_finish")
    items = collected.session.items
    assert len(items) == 2
    for item in items:
        assert _WORLD not in item.stash, f"{item.name} still holds its World after the scenario"
