"""Writes copy only what they change: stored versions and callers' objects are never altered."""

from __future__ import annotations

from harness.apiserver.copy_on_write import merge_shared, own_top
from harness.kube.client import PatchType
from harness.kube.patches import clone, merge_patch

from .conftest import WIDGET, widget


def _stored(server, name):
    rt = server.catalog.lookup(WIDGET.group, WIDGET.version, WIDGET.plural)
    return server._store.get(rt, "", name)


def test_merge_shared_gives_the_same_result_as_merge_patch_and_leaves_the_target_alone():
    target = {"a": {"b": 1, "c": [1, 2]}, "keep": {"deep": {"x": 1}}, "l": [1]}
    before = clone(target)
    patch = {"a": {"b": None, "d": {"e": 2}}, "l": [9], "new": {"n": 1}}
    out = merge_shared(target, patch)
    assert out == merge_patch(before, patch)
    assert target == before
    assert out["keep"] is target["keep"]  # untouched subtrees are shared, not copied


def test_own_top_copies_the_top_level_and_metadata_only():
    obj = {"metadata": {"labels": {"a": "b"}}, "spec": {"x": 1}}
    mine = own_top(obj)
    mine["metadata"]["name"] = "n"
    mine["spec"] = {}
    assert obj == {"metadata": {"labels": {"a": "b"}}, "spec": {"x": 1}}
    assert mine["metadata"]["labels"] is obj["metadata"]["labels"]


def test_writes_never_change_an_earlier_stored_version(server, client):
    # Stored with a field the storage schema does not know (as an object written before its CRD
    # changed is), then written through the version that prunes and defaults: the new version is
    # cleaned, the old one must stay as it was. (A write through WIDGET_OLD cannot store it: the
    # server prunes every write to the storage version's schema, see test_conversion.py.)
    rt = server.catalog.lookup(WIDGET.group, WIDGET.version, WIDGET.plural)
    old = {**widget("w"), "spec": {"repo": "r", "windows": [{"from": "08:00", "x": 1}]}}
    server._store.create(rt, old)
    versions = [_stored(server, "w")]
    snapshots = [clone(versions[0])]
    writes = [
        lambda: client.patch(WIDGET, "w", {"metadata": {"labels": {"l": "1"}}}),
        lambda: client.patch(WIDGET, "w", {"spec": {"count": 2}}),
        lambda: client.patch(WIDGET, "w", {"status": {"phase": "Ready"}}, subresource="status"),
        lambda: client.update(WIDGET, {**client.get(WIDGET, "w"), "spec": {"repo": "s"}}),
        lambda: client.patch(
            WIDGET, "w", [{"op": "add", "path": "/spec/count", "value": 3}], patch_type=PatchType.JSON
        ),
        lambda: client.patch(
            WIDGET,
            "w",
            {**widget("w"), "spec": {"repo": "t"}},
            patch_type=PatchType.APPLY,
            field_manager="me",
            force=True,
        ),
    ]
    for write in writes:
        write()
        versions.append(_stored(server, "w"))
        snapshots.append(clone(versions[-1]))
    assert [clone(v) for v in versions] == snapshots
    assert "x" not in versions[1]["spec"]["windows"][0]  # pruned by the v1alpha2 write
    assert versions[1]["spec"]["scheme"] == "HTTPS"  # defaulted by it
    assert versions[0]["spec"]["windows"][0]["x"] == 1  # while the stored original kept it


def test_the_callers_object_and_patch_are_not_changed_by_a_write(client):
    body = {**widget("c"), "spec": {"repo": "r", "windows": [{"from": "08:00", "junk": 1}]}, "extra": 1}
    before = clone(body)
    created = client.create(WIDGET, body)
    assert body == before
    patch = {"spec": {"windows": [{"from": "09:00", "junk": 2}]}, "metadata": {"annotations": {"a": "b"}}}
    patch_before = clone(patch)
    patched = client.patch(WIDGET, "c", patch)
    assert patch == patch_before
    assert patched["spec"]["windows"] == [{"from": "09:00"}]
    update = {**patched, "spec": {"repo": "u", "bogus": True}}
    update_before = clone(update)
    client.update(WIDGET, update)
    assert update == update_before
    assert created["spec"]["scheme"] == "HTTPS"


def test_objects_handed_out_are_private_copies(client):
    client.create(WIDGET, widget("p"))
    first = client.get(WIDGET, "p")
    first["spec"]["repo"] = "changed by the caller"
    first["metadata"]["labels"] = {"x": "y"}
    assert client.get(WIDGET, "p")["spec"]["repo"] == "r"
    events = []
    unsubscribe = client.subscribe(events.append)
    client.patch(WIDGET, "p", {"spec": {"count": 5}})
    unsubscribe()
    events[0].object["spec"]["count"] = 99
    assert client.get(WIDGET, "p")["spec"]["count"] == 5
