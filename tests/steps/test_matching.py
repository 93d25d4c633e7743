from __future__ import annotations

from harness.steps.matching import match_subset

MODULE = {
    "metadata": {"name": "module-one"},
    "properties": {"availableSources": ["example", "other"], "weight": 910},
    "status": {
        "phase": "Available",
        "conditions": [
            {"type": "EnabledByModuleConfig", "status": "False", "reason": "Disabled", "message": "disabled"},
            {"type": "IsReady", "status": "False", "reason": "NotInstalled", "message": "not installed"},
        ],
    },
}


def paths(expected):
    return [m.path for m in match_subset(expected, MODULE)]


def test_a_subset_of_the_object_matches():
    assert paths({"status": {"phase": "Available"}, "properties": {"weight": 910}}) == []


def test_a_wrong_scalar_is_reported_at_its_field_path():
    [mismatch] = match_subset({"status": {"phase": "Ready"}}, MODULE)
    assert mismatch.path == "status.phase"
    assert "expected 'Ready', found 'Available'" in str(mismatch)


def test_conditions_are_paired_by_type_whatever_their_order():
    expected = {"status": {"conditions": [{"type": "IsReady", "reason": "NotInstalled"}]}}
    assert paths(expected) == []


def test_a_condition_mismatch_names_the_condition_in_the_path():
    expected = {"status": {"conditions": [{"type": "IsReady", "reason": "Ready"}]}}
    assert paths(expected) == ["status.conditions[type=IsReady].reason"]


def test_a_missing_condition_is_reported_with_the_ones_present():
    [mismatch] = match_subset({"status": {"conditions": [{"type": "IsOverridden"}]}}, MODULE)
    assert mismatch.path == "status.conditions[type=IsOverridden]"
    assert "EnabledByModuleConfig" in mismatch.problem


def test_scalar_list_items_match_in_any_order():
    assert paths({"properties": {"availableSources": ["other", "example"]}}) == []


def test_a_scalar_list_item_that_is_not_there_is_reported():
    assert paths({"properties": {"availableSources": ["third"]}}) == ["properties.availableSources[0]"]


def test_null_means_the_field_must_be_absent():
    assert paths({"properties": {"source": None}}) == []
    assert paths({"properties": {"weight": None}}) == ["properties.weight"]


def test_a_field_expected_absent_under_a_parent_that_is_absent_matches():
    # No annotations at all means no renew annotation either; a value expected there still fails.
    assert paths({"metadata": {"annotations": {"modules.deckhouse.io/renew": None}}}) == []
    assert paths({"spec": {"a": {"b": None}, "c": None}}) == []
    assert paths({"metadata": {"annotations": {"x": None, "y": "1"}}}) == ["metadata.annotations"]


def test_a_missing_key_is_reported_and_all_mismatches_are_listed():
    expected = {"status": {"phase": "Ready", "hooksState": "ok"}, "properties": {"weight": 900}}
    assert sorted(paths(expected)) == ["properties.weight", "status.hooksState", "status.phase"]


def test_booleans_and_strings_are_not_confused():
    assert paths({"spec": {"enabled": True}}) == ["spec"]
    assert match_subset({"enabled": True}, {"enabled": "true"})[0].path == "enabled"


def test_a_secret_field_mismatch_never_shows_the_values():
    actual = {"spec": {"registry": {"dockerCfg": "c2VjcmV0LWFjdHVhbA=="}}}
    [mismatch] = match_subset({"spec": {"registry": {"dockerCfg": "c2VjcmV0LWV4cGVjdGVk"}}}, actual)
    assert mismatch.path == "spec.registry.dockerCfg"
    assert "c2VjcmV0" not in str(mismatch)
    assert "c2VjcmV0" not in repr((mismatch.expected, mismatch.actual))
