"""``metadata.managedFields`` in the order kube-apiserver 1.32 writes them.

The field manager re-encodes the entries on every write and sorts them
(``sortEncodedManagedFields`` in ``k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager/internal/
managedfields.go``): by operation (``Apply`` before ``Update``), then by time in whole seconds, then
by manager, API version and subresource. ``kubectl get --show-managed-fields`` and clients that read
the entries positionally see that order, not the order of the writes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .conftest import widget

WIDGETS = "/apis/example.com/v1alpha2/widgets"
APPLY = {"Content-Type": "application/apply-patch+yaml"}
MERGE = {"Content-Type": "application/merge-patch+json"}


def _owners(http, name: str) -> list[tuple[str, str, str]]:
    entries = http.get(f"{WIDGETS}/{name}").json()["metadata"]["managedFields"]
    return [(e["operation"], e["manager"], e.get("subresource", "")) for e in entries]


def _status(http, manager: str, phase: str):
    body = {"status": {"phase": phase}}
    return http.patch(f"{WIDGETS}/w/status", params={"fieldManager": manager}, json=body, headers=MERGE)


def test_entries_of_one_second_sort_by_operation_then_manager_then_subresource(http, clock):
    assert http.post(WIDGETS, params={"fieldManager": "zeta"}, json=widget("w")).status_code == 201
    status = {"status": {"phase": "Ready"}}
    r = http.patch(f"{WIDGETS}/w/status", params={"fieldManager": "alpha"}, json=status, headers=MERGE)
    assert r.status_code == 200, r.text
    meta = {"metadata": {"labels": {"a": "b"}}}
    assert http.patch(f"{WIDGETS}/w", params={"fieldManager": "alpha"}, json=meta, headers=MERGE).is_success
    applied = '{"apiVersion": "example.com/v1alpha2", "kind": "Widget", "metadata": {"name": "w"}, '
    applied += '"spec": {"count": 3}}'
    r = http.patch(f"{WIDGETS}/w", params={"fieldManager": "omega"}, content=applied, headers=APPLY)
    assert r.status_code == 200, r.text
    assert _owners(http, "w") == [
        ("Apply", "omega", ""),
        ("Update", "alpha", ""),
        ("Update", "alpha", "status"),
        ("Update", "zeta", ""),
    ]
    stored = http.get(f"{WIDGETS}/w").json()["metadata"]["managedFields"]
    assert r.json()["metadata"]["managedFields"] == stored


def test_an_older_entry_sorts_before_a_newer_one_whatever_the_manager(http, clock):
    assert http.post(WIDGETS, params={"fieldManager": "zeta"}, json=widget("w")).status_code == 201
    clock.advance(timedelta(seconds=5))
    r = _status(http, "alpha", "A")
    assert r.status_code == 200, r.text
    assert _owners(http, "w") == [("Update", "zeta", ""), ("Update", "alpha", "status")]
    clock.advance(timedelta(seconds=5))
    r = http.patch(
        f"{WIDGETS}/w", params={"fieldManager": "zeta"}, json={"spec": {"count": 4}}, headers=MERGE
    )
    assert r.status_code == 200, r.text
    assert _owners(http, "w") == [("Update", "alpha", "status"), ("Update", "zeta", "")]


def test_a_repeated_status_leaf_write_keeps_the_sorted_order(http, clock):
    """The repeat shortcut (``harness.apiserver.leaf_repeat``) restamps the manager's entry; the
    entries come out as the general path sorts them, the restamped one after older ones."""
    assert http.post(WIDGETS, params={"fieldManager": "zeta"}, json=widget("w")).status_code == 201
    for phase in ("A", "B", "C"):
        r = http.patch(
            f"{WIDGETS}/w/status",
            params={"fieldManager": "alpha"},
            json={"status": {"phase": phase}},
            headers=MERGE,
        )
        assert r.status_code == 200, r.text
        assert _owners(http, "w") == [("Update", "alpha", "status"), ("Update", "zeta", "")]
    clock.advance(timedelta(seconds=60))
    r = _status(http, "alpha", "D")
    assert r.status_code == 200, r.text
    assert _owners(http, "w") == [("Update", "zeta", ""), ("Update", "alpha", "status")]


CMS = "/api/v1/namespaces/default/configmaps"


def _cm_owners(http, name: str) -> dict[str, Any]:
    entries = http.get(f"{CMS}/{name}").json()["metadata"].get("managedFields") or []
    return {e["manager"]: e["fieldsV1"] for e in entries}


def test_a_removed_field_is_owned_by_nobody_afterwards(http):
    """Structured-merge-diff takes every removed field out of every manager's set
    (``Updater.update`` in ``sigs.k8s.io/structured-merge-diff/v4/merge/update.go``: ``compare.Removed``
    for the other managers); a manager left with nothing has no entry."""
    cm = {"metadata": {"name": "c", "labels": {"l": "v"}, "finalizers": ["x.io/y"]}, "data": {"k": "v"}}
    assert http.post(CMS, params={"fieldManager": "maker"}, json=cm).status_code == 201
    patch = {"metadata": {"labels": {"l": None}, "finalizers": None}}
    r = http.patch(f"{CMS}/c", params={"fieldManager": "remover"}, json=patch, headers=MERGE)
    assert r.status_code == 200, r.text
    assert _cm_owners(http, "c") == {"maker": {"f:data": {".": {}, "f:k": {}}}}
    r = http.patch(f"{CMS}/c", params={"fieldManager": "remover"}, json={"data": None}, headers=MERGE)
    assert r.status_code == 200, r.text
    assert "managedFields" not in http.get(f"{CMS}/c").json()["metadata"]


def test_an_apply_of_a_field_someone_removed_does_not_conflict_with_its_old_owner(http):
    cm = {"metadata": {"name": "c", "labels": {"l": "v"}}}
    assert http.post(CMS, params={"fieldManager": "maker"}, json=cm).status_code == 201
    patch = {"metadata": {"labels": {"l": None}}}
    assert http.patch(f"{CMS}/c", params={"fieldManager": "remover"}, json=patch, headers=MERGE).is_success
    applied = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "labels": {"l": "w"}}}'
    r = http.patch(f"{CMS}/c", params={"fieldManager": "applier"}, content=applied, headers=APPLY)
    assert r.status_code == 200, r.text
    assert r.json()["metadata"]["labels"] == {"l": "w"}
