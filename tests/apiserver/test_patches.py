from __future__ import annotations

import pytest

from harness.apiserver.json_patch import JsonPatchFailed, apply_json_patch
from harness.kube.patches import clone, merge_patch


def test_merge_patch_merges_objects_deletes_nulls_and_replaces_lists():
    doc = {"a": {"b": 1, "c": 2}, "l": [1, 2], "keep": True}
    out = merge_patch(doc, {"a": {"b": None, "d": 3}, "l": [9]})
    assert out == {"a": {"c": 2, "d": 3}, "l": [9], "keep": True}
    assert doc == {"a": {"b": 1, "c": 2}, "l": [1, 2], "keep": True}


def test_merge_patch_with_a_non_object_replaces_the_document():
    assert merge_patch({"a": 1}, [1]) == [1]


def test_json_patch_add_remove_replace_move_copy():
    doc = {"a": [1, 2], "b": {"c": 1}}
    ops = [
        {"op": "add", "path": "/a/-", "value": 3},
        {"op": "add", "path": "/a/0", "value": 0},
        {"op": "replace", "path": "/b/c", "value": 5},
        {"op": "copy", "from": "/b/c", "path": "/d"},
        {"op": "move", "from": "/d", "path": "/e~1f"},
        {"op": "remove", "path": "/a/1"},
    ]
    assert apply_json_patch(doc, ops) == {"a": [0, 2, 3], "b": {"c": 5}, "e/f": 5}
    assert doc == {"a": [1, 2], "b": {"c": 1}}


def test_json_patch_test_operation_failure_stops_the_whole_patch():
    with pytest.raises(JsonPatchFailed, match="testing value /a failed"):
        apply_json_patch(
            {"a": 1}, [{"op": "replace", "path": "/a", "value": 2}, {"op": "test", "path": "/a", "value": 1}]
        )


def test_json_patch_test_operation_success_lets_the_patch_apply():
    out = apply_json_patch(
        {"a": 1}, [{"op": "test", "path": "/a", "value": 1}, {"op": "replace", "path": "/a", "value": 2}]
    )
    assert out == {"a": 2}


def test_clone_is_deep():
    doc = {"a": [{"b": 1}]}
    copy = clone(doc)
    copy["a"][0]["b"] = 2
    assert doc["a"][0]["b"] == 1


def test_the_patched_document_keeps_json_patchs_key_order():
    """json-patch sorts what it opens (the top level, each merged object, the containers on a
    JSON patch's paths) and writes the rest as it was read (here a built-in kind's order)."""
    from harness.apiserver.patched_json import render

    before = {"kind": "K", "apiVersion": "v1", "metadata": {"name": "n", "labels": {"z": "1", "a": "2"}}}
    merged = {**before, "spec": {"y": 1, "x": {"q": 1, "p": 2}}}
    assert render(merged, before, {"spec": {"y": 1, "x": {"q": 1, "p": 2}}}, merge=True, custom=False) == (
        '{"apiVersion":"v1","kind":"K","metadata":{"name":"n","labels":{"z":"1","a":"2"}},'
        '"spec":{"x":{"p":2,"q":1},"y":1}}'
    )
    labelled = {**before, "metadata": {"name": "n", "labels": {"z": "1", "a": "2", "m": "3"}}}
    ops = [{"op": "add", "path": "/metadata/labels/m", "value": "3"}]
    assert render(labelled, before, ops, merge=False, custom=False) == (
        '{"apiVersion":"v1","kind":"K","metadata":{"labels":{"a":"2","m":"3","z":"1"},"name":"n"}}'
    )
    assert render(labelled, before, ops, merge=False, custom=True) == (
        '{"apiVersion":"v1","kind":"K","metadata":{"labels":{"a":"2","m":"3","z":"1"},"name":"n"}}'
    )
