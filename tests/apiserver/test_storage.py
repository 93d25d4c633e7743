"""Storage semantics, through the in-process client (the HTTP path shares the handlers)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from harness.kube.client import EventType, PatchType
from harness.kube.errors import AlreadyExists, Conflict, Invalid, NotFound

from .conftest import CONFIGMAP, GADGET, WIDGET, WIDGET_OLD, widget


def test_create_sets_identity_from_the_clock_and_one_global_resource_version(client, clock):
    a = client.create(WIDGET, widget("a"))
    clock.advance(timedelta(minutes=5))
    b = client.create(WIDGET, widget("b"))
    assert a["metadata"]["creationTimestamp"] == "2024-12-16T09:00:00Z"
    assert b["metadata"]["creationTimestamp"] == "2024-12-16T09:05:00Z"
    assert a["metadata"]["generation"] == 1
    assert int(b["metadata"]["resourceVersion"]) == int(a["metadata"]["resourceVersion"]) + 1
    assert a["metadata"]["uid"] != b["metadata"]["uid"]


def test_create_of_a_taken_name_is_already_exists(client):
    client.create(WIDGET, widget("a"))
    with pytest.raises(AlreadyExists, match=re.escape('widgets.example.com "a" already exists')):
        client.create(WIDGET, widget("a"))


def test_generate_name_makes_a_unique_name(client):
    obj = client.create(WIDGET, {"metadata": {"generateName": "w-"}, "spec": {"repo": "r"}})
    assert obj["metadata"]["name"].startswith("w-") and len(obj["metadata"]["name"]) == 7


def test_stale_update_is_a_conflict_with_the_kubernetes_message(client):
    obj = client.create(WIDGET, widget("x"))
    client.patch(WIDGET, "x", {"spec": {"count": 2}})
    obj["spec"]["count"] = 3
    with pytest.raises(Conflict) as info:
        client.update(WIDGET, obj)
    assert str(info.value) == (
        'Operation cannot be fulfilled on widgets.example.com "x": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )


def test_custom_resource_put_without_resource_version_is_invalid(client):
    obj = client.create(WIDGET, widget("x"))
    del obj["metadata"]["resourceVersion"]
    with pytest.raises(
        Invalid,
        match=re.escape("metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"),
    ):
        client.update(WIDGET, obj)


def test_builtin_configmap_allows_an_unconditional_update(client):
    client.create(CONFIGMAP, {"metadata": {"name": "c", "namespace": "default"}, "data": {"a": "1"}})
    out = client.update(CONFIGMAP, {"metadata": {"name": "c", "namespace": "default"}, "data": {"a": "2"}})
    assert out["data"] == {"a": "2"}


def test_generation_moves_on_spec_changes_only(client):
    client.create(WIDGET, widget("g"))
    labelled = client.patch(WIDGET, "g", {"metadata": {"labels": {"x": "y"}}})
    assert labelled["metadata"]["generation"] == 1
    status = client.patch(WIDGET, "g", {"status": {"phase": "Ready"}}, subresource="status")
    assert status["metadata"]["generation"] == 1
    changed = client.patch(WIDGET, "g", {"spec": {"count": 4}})
    assert changed["metadata"]["generation"] == 2


def test_status_is_ignored_on_the_main_resource_and_only_status_is_taken_on_status(client):
    client.create(WIDGET, {**widget("s"), "status": {"phase": "Sneaky"}})
    assert "status" not in client.get(WIDGET, "s")
    client.patch(WIDGET, "s", {"spec": {"count": 2}, "status": {"phase": "Main"}})
    assert "status" not in client.get(WIDGET, "s")
    out = client.patch(
        WIDGET, "s", {"spec": {"count": 9}, "status": {"phase": "Ready"}}, subresource="status"
    )
    assert out["status"] == {"phase": "Ready"} and out["spec"]["count"] == 2


def test_no_op_write_is_not_a_commit(client):
    obj = client.create(WIDGET, widget("n"))
    again = client.patch(WIDGET, "n", {"spec": {"repo": "r"}})
    assert again["metadata"]["resourceVersion"] == obj["metadata"]["resourceVersion"]


def test_finalizers_keep_a_deleted_object_until_the_last_one_goes(client):
    client.create(WIDGET, {**widget("f"), "metadata": {"name": "f", "finalizers": ["a", "b"]}})
    kept = client.delete(WIDGET, "f")
    assert kept is not None and kept["metadata"]["deletionTimestamp"] == "2024-12-16T09:00:00Z"
    client.patch(WIDGET, "f", [{"op": "remove", "path": "/metadata/finalizers/0"}], patch_type=PatchType.JSON)
    assert client.get(WIDGET, "f")["metadata"]["finalizers"] == ["b"]
    client.patch(WIDGET, "f", {"metadata": {"finalizers": None}})
    with pytest.raises(NotFound):
        client.get(WIDGET, "f")


def test_no_new_finalizer_once_deleting(client):
    client.create(WIDGET, {**widget("f"), "metadata": {"name": "f", "finalizers": ["a"]}})
    client.delete(WIDGET, "f")
    with pytest.raises(
        Invalid, match=re.escape("no new finalizers can be added if the object is being deleted")
    ):
        client.patch(WIDGET, "f", {"metadata": {"finalizers": ["a", "b"]}})


def test_delete_without_finalizers_returns_none_and_removes(client):
    client.create(WIDGET, widget("d"))
    assert client.delete(WIDGET, "d") is None
    with pytest.raises(NotFound, match=re.escape('widgets.example.com "d" not found')):
        client.get(WIDGET, "d")


def test_owner_deletion_collects_dependents_honouring_their_finalizers(client):
    owner = client.create(WIDGET, widget("owner"))
    ref = {
        "apiVersion": "example.com/v1alpha2",
        "kind": "Widget",
        "name": "owner",
        "uid": owner["metadata"]["uid"],
    }
    client.create(WIDGET, {**widget("plain"), "metadata": {"name": "plain", "ownerReferences": [ref]}})
    client.create(
        WIDGET,
        {**widget("held"), "metadata": {"name": "held", "ownerReferences": [ref], "finalizers": ["x"]}},
    )
    client.create(WIDGET, widget("stranger"))
    client.delete(WIDGET, "owner")
    names = [o["metadata"]["name"] for o in client.list(WIDGET)]
    assert names == ["held", "stranger"]
    assert "deletionTimestamp" in client.get(WIDGET, "held")["metadata"]


def test_deleting_a_namespace_deletes_its_contents(client):
    ns = client.resolve("v1", "Namespace")
    client.create(ns, {"metadata": {"name": "tmp"}})
    client.create(GADGET, {"metadata": {"name": "g", "namespace": "tmp"}})
    client.delete(ns, "tmp")
    assert client.list(GADGET) == []


def test_create_in_a_missing_namespace_is_not_found(client):
    with pytest.raises(NotFound, match=re.escape('namespaces "nope" not found')):
        client.create(GADGET, {"metadata": {"name": "g", "namespace": "nope"}})


def test_lists_are_sorted_and_filtered_by_label_and_name(client):
    for name, tier in (("c", "a"), ("a", "b"), ("b", "a")):
        client.create(WIDGET, {**widget(name), "metadata": {"name": name, "labels": {"tier": tier}}})
    assert [o["metadata"]["name"] for o in client.list(WIDGET)] == ["a", "b", "c"]
    assert [o["metadata"]["name"] for o in client.list(WIDGET, label_selector="tier=a")] == ["b", "c"]
    assert [o["metadata"]["name"] for o in client.list(WIDGET, field_selector="metadata.name=c")] == ["c"]


def test_every_served_version_reads_the_same_object(client):
    client.create(WIDGET_OLD, {"metadata": {"name": "v"}, "spec": {"repo": "r"}})
    assert client.get(WIDGET, "v")["apiVersion"] == "example.com/v1alpha2"
    assert client.get(WIDGET_OLD, "v")["apiVersion"] == "example.com/v1alpha1"


def test_unserved_version_is_not_found(client):
    from harness.kube.resources import Resource

    with pytest.raises(NotFound):
        client.list(Resource("example.com", "v1beta1", "widgets", "Widget"))


def test_returned_objects_are_private_copies(client):
    client.create(WIDGET, widget("p"))
    got = client.get(WIDGET, "p")
    got["spec"]["repo"] = "changed"
    assert client.get(WIDGET, "p")["spec"]["repo"] == "r"


def test_subscribers_get_events_in_commit_order_after_each_write(client):
    seen = []
    unsubscribe = client.subscribe(lambda e: seen.append((e.type, e.object["metadata"]["name"])), WIDGET)
    client.create(WIDGET, widget("e"))
    assert seen == [(EventType.ADDED, "e")]
    client.patch(WIDGET, "e", {"spec": {"count": 2}})
    client.delete(WIDGET, "e")
    client.create(CONFIGMAP, {"metadata": {"name": "c", "namespace": "default"}})
    unsubscribe()
    client.create(WIDGET, widget("later"))
    assert seen == [(EventType.ADDED, "e"), (EventType.MODIFIED, "e"), (EventType.DELETED, "e")]


def test_an_apply_conflicting_with_several_managers_groups_their_fields_by_manager(client):
    """``NewConflictError``'s words: several conflicts are grouped under ``conflicts with`` lines,
    managers sorted, each field on a ``- `` line; an updater is named with its API version, an
    applier without; one cause per field."""
    client.create(WIDGET, widget("many", count=1))
    client.patch(WIDGET, "many", {"spec": {"count": 2, "repo": "a"}}, field_manager="zed")
    only_count = {**widget("many"), "spec": {"count": 2}}
    client.patch(WIDGET, "many", only_count, patch_type=PatchType.APPLY, field_manager="alpha")
    with pytest.raises(Conflict) as refused:
        client.patch(
            WIDGET,
            "many",
            {**widget("many", count=3), "spec": {"count": 3, "repo": "b"}},
            patch_type=PatchType.APPLY,
            field_manager="mid",
        )
    assert str(refused.value.message) == (
        "Apply failed with 3 conflicts: "
        'conflicts with "alpha":\n- .spec.count\n'
        'conflicts with "zed" using example.com/v1alpha2:\n- .spec.count\n- .spec.repo'
    )
    assert sorted((c.message, c.field) for c in refused.value.causes) == [
        ('conflict with "alpha"', ".spec.count"),
        ('conflict with "zed" using example.com/v1alpha2', ".spec.count"),
        ('conflict with "zed" using example.com/v1alpha2', ".spec.repo"),
    ]


def test_server_side_apply_tracks_owners_and_conflicts_unless_forced(client):
    applied = client.patch(
        WIDGET, "ssa", widget("ssa", count=1), patch_type=PatchType.APPLY, field_manager="one"
    )
    assert applied["metadata"]["managedFields"][0]["manager"] == "one"
    with pytest.raises(
        Conflict,
        match=re.escape(
            # an applier is named without an API version (printManager of the field manager)
            'Apply failed with 1 conflict: conflict with "one": .spec.count'
        ),
    ):
        client.patch(WIDGET, "ssa", widget("ssa", count=2), patch_type=PatchType.APPLY, field_manager="two")
    forced = client.patch(
        WIDGET, "ssa", widget("ssa", count=2), patch_type=PatchType.APPLY, field_manager="two", force=True
    )
    assert forced["spec"]["count"] == 2
    managers = {e["manager"] for e in forced["metadata"]["managedFields"]}
    assert managers == {"one", "two"}


def test_server_side_apply_removes_fields_the_manager_stopped_applying(client):
    client.patch(WIDGET, "ssa", widget("ssa", count=1), patch_type=PatchType.APPLY, field_manager="one")
    out = client.patch(WIDGET, "ssa", widget("ssa"), patch_type=PatchType.APPLY, field_manager="one")
    assert "count" not in out["spec"]
