"""``metadata.managedFields`` in the order kube-apiserver 1.32 writes them.

The field manager re-encodes the entries on every write and sorts them
(``sortEncodedManagedFields`` in ``k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager/internal/
managedfields.go``): by operation (``Apply`` before ``Update``), then by time in whole seconds, then
by manager, API version and subresource. ``kubectl get --show-managed-fields`` and clients that read
the entries positionally see that order, not the order of the writes.
"""

from __future__ import annotations

from datetime import timedelta

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
