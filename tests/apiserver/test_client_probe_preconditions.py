"""Preconditions that do not hold, in kube-apiserver 1.32's words.

- A delete checks its ``preconditions`` early, in ``rest.BeforeDelete``
  (``k8s.io/apiserver/pkg/registry/rest/delete.go``): a 409 on the *kind*
  (``schema.GroupResource{Group: gvk.Group, Resource: gvk.Kind}``): ``Operation cannot be fulfilled
  on ConfigMap "c": the UID in the precondition (x) does not match the UID in record (...). The
  object might have been deleted and then recreated`` (``... ResourceVersion ... might have been
  modified`` for a resourceVersion).
- An update whose object names another uid fails the etcd3 store's precondition check
  (``checkPreconditions`` in ``k8s.io/apiserver/pkg/storage/etcd3/store.go``), a ``StorageError``
  of code 4 that the registry turns into a 409 (``InterpretUpdateError``): ``Operation cannot be
  fulfilled on configmaps "c": StorageError: invalid object, Code: 4, Key:
  /registry/configmaps/default/c, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID
  in precondition: x, UID in object meta: ...``, the message controllers log after an object was
  deleted and made again.
"""

from __future__ import annotations

CMS = "/api/v1/namespaces/default/configmaps"
MS = "/apis/example.com/v1alpha2/widgets"


def _made(http, path: str, body: dict) -> dict:
    r = http.post(path, json=body)
    assert r.status_code == 201, r.text
    return r.json()["metadata"]


def test_a_delete_with_a_stale_uid_is_refused_on_the_kind(http):
    meta = _made(http, CMS, {"metadata": {"name": "c"}})
    r = http.request("DELETE", f"{CMS}/c", json={"preconditions": {"uid": "x"}})
    assert r.status_code == 409
    assert r.json() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": f'Operation cannot be fulfilled on ConfigMap "c": the UID in the precondition (x) does '
        f"not match the UID in record ({meta['uid']}). The object might have been deleted and then recreated",
        "reason": "Conflict",
        "details": {"name": "c", "kind": "ConfigMap"},
        "code": 409,
    }
    assert http.get(f"{CMS}/c").status_code == 200


def test_a_delete_with_a_stale_resource_version_is_refused_on_the_kind(http):
    meta = _made(
        http,
        MS,
        {
            "apiVersion": "example.com/v1alpha2",
            "kind": "Widget",
            "metadata": {"name": "w"},
            "spec": {"repo": "r"},
        },
    )
    r = http.request("DELETE", f"{MS}/w", json={"preconditions": {"resourceVersion": "1"}})
    assert r.status_code == 409
    status = r.json()
    assert status["message"] == (
        'Operation cannot be fulfilled on Widget.example.com "w": the ResourceVersion in the precondition '
        f"(1) does not match the ResourceVersion in record ({meta['resourceVersion']}). The object might "
        "have been modified"
    )
    assert status["details"] == {"name": "w", "group": "example.com", "kind": "Widget"}


def test_an_update_naming_another_uid_is_the_storage_precondition_conflict(http):
    meta = _made(http, CMS, {"metadata": {"name": "c"}})
    r = http.put(f"{CMS}/c", json={"metadata": {"name": "c", "uid": "x"}, "data": {"a": "b"}})
    assert r.status_code == 409
    status = r.json()
    assert status["message"] == (
        'Operation cannot be fulfilled on configmaps "c": StorageError: invalid object, Code: 4, Key: '
        "/registry/configmaps/default/c, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: "
        f"UID in precondition: x, UID in object meta: {meta['uid']}"
    )
    assert status["details"] == {"name": "c", "kind": "configmaps"}


def test_the_storage_key_of_a_custom_resource_carries_its_group(http):
    _made(
        http,
        MS,
        {
            "apiVersion": "example.com/v1alpha2",
            "kind": "Widget",
            "metadata": {"name": "w"},
            "spec": {"repo": "r"},
        },
    )
    body = {
        "apiVersion": "example.com/v1alpha2",
        "kind": "Widget",
        "metadata": {"name": "w", "uid": "x"},
        "spec": {"repo": "r"},
    }
    r = http.put(f"{MS}/w", json=body)
    assert r.status_code == 409
    assert "Key: /registry/example.com/widgets/w, ResourceVersion: 0," in r.json()["message"]
