"""tools.suite_vs_base: which tests count as the same on both sides of the comparison."""

from __future__ import annotations

from tools.suite_vs_base import same_tests, summary

HERE = [
    "tests/clock/test_clock.py::test_kept",
    "tests/clock/test_clock.py::test_added_since",
    "scenarios/test_features.py::test_approval__a_new_release_waits_with_dkp_s_approval_message",
    "scenarios/test_features.py::test_releases__a_minor_release_waits_while_the_module_is_not_ready",
    "scenarios/test_features.py::test_upstream_release_sequence__a_minor_release_waits_while_the_module_is_not_ready",
    "scenarios/test_features.py::test_policies_update_policy__a_kind_release[Auto-minor-v0.8.0-inside-13:20-Deployed-]",
    "scenarios/test_features.py::test_policies_update_policy__a_kind_release[Auto-minor-v0.8.0-outside-14:05-Pending-reworded]",
]


def test_ids_both_collect_are_kept_and_the_rest_of_the_base_is_left_out():
    chosen = same_tests(
        ["tests/clock/test_clock.py::test_kept", "tests/clock/test_clock.py::test_gone"], HERE
    )
    assert chosen.base == chosen.here == ["tests/clock/test_clock.py::test_kept"]
    assert chosen.left_out == ["tests/clock/test_clock.py::test_gone"]


def test_a_base_scenario_is_found_by_name_whatever_its_slug_did_to_an_apostrophe():
    chosen = same_tests(
        ["scenarios/test_approval.py::test_a_new_release_waits_with_dkps_approval_message"], HERE
    )
    assert chosen.here == [HERE[2]] and not chosen.left_out


def test_a_scenario_under_two_features_is_taken_from_the_base_folders_one():
    chosen = same_tests(
        ["scenarios/test_releases.py::test_a_minor_release_waits_while_the_module_is_not_ready"], HERE
    )
    assert chosen.here == [HERE[3]]


def test_an_outline_row_matches_on_its_first_four_values_and_a_missing_row_is_left_out():
    base = [
        "scenarios/test_policies.py::test_a_kind_release[Auto-minor-v0.8.0-outside-14:05-Pending-old words]",
        "scenarios/test_policies.py::test_a_kind_release[Auto-patch-v0.7.25-outside-14:05-Pending-old words]",
    ]
    chosen = same_tests(base, HERE)
    assert chosen.base == base[:1] and chosen.here == [HERE[6]]
    assert chosen.left_out == base[1:]


def test_the_verdict_is_the_median_of_the_paired_ratios_with_their_spread():
    assert summary([0.5, 0.3, 0.4]) == "median 0.40 (spread 0.30-0.50, 3 pairs)"
