"""Fields a built-in kind's Go types lack, at any depth, answered as kube-apiserver 1.32 answers.

kube-apiserver decodes a Deployment into its Go struct: ``spec.replica`` (for ``spec.replicas``)
or ``spec.template.spec.containers[0].imagePullPolicyy`` is a strict decoding error named by its
path (sigs.k8s.io/json: keys joined by ``.``, list positions as ``[i]``), refused under ``Strict``,
a ``Warning`` under ``Warn`` (the default) and dropped under ``Warn`` and ``Ignore``; a server-side
apply is refused by the field manager's typed converter under any ``fieldValidation``. Before,
only the top level and ``metadata`` were checked, so such fields were stored and served back.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from harness.apiserver.builtin_fields import drop, unknown_fields

from .conftest import Hostile
from .test_duplicate_fields import JSON, _send

DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"


def _deployment(name: str, **spec_extra: Any) -> dict[str, Any]:
    container = {
        "name": "app",
        "image": "nginx",
        "imagePullPolicyy": "Always",
        "ports": [{"containerPort": 80}],
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": {"any.key/is": "fine"}},
        "spec": {
            "replica": 2,
            "selector": {"matchLabels": {"app": "a"}},
            "template": {
                "metadata": {"labels": {"app": "a"}, "bogusMeta": 1},
                "spec": {"containers": [container], "nodeSelector": {"free": "keys"}},
            },
            **spec_extra,
        },
    }


ERRORS = [
    'unknown field "spec.replica"',
    'unknown field "spec.template.metadata.bogusMeta"',
    'unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
]


def test_unknown_fields_are_found_at_any_depth_in_document_order():
    body = _deployment("d")
    assert unknown_fields("deployments", body) == [
        ("spec", "replica"),
        ("spec", "template", "metadata", "bogusMeta"),
        ("spec", "template", "spec", "containers", 0, "imagePullPolicyy"),
    ]
    assert unknown_fields("configmaps", {"data": {"x": {"y": 1}}, "date": 1}) == [("date",)]
    assert unknown_fields("widgets", {"bogus": 1}) == []  # not a built-in kind


def test_dropping_copies_what_it_changes_and_leaves_shared_values_alone():
    body = _deployment("d")
    shared = body["spec"]["template"]
    before = copy.deepcopy(shared)
    drop(body, unknown_fields("deployments", body))
    assert shared == before  # the caller's (or the stored object's) value is untouched
    assert "replica" not in body["spec"]
    assert "imagePullPolicyy" not in body["spec"]["template"]["spec"]["containers"][0]
    assert unknown_fields("deployments", body) == []


def test_strict_refuses_a_deployment_with_every_unknown_field_named(hostile: Hostile):
    sent = json.dumps(_deployment("s"))
    status, warnings, body = _send(hostile, "POST", f"{DEPLOYMENTS}?fieldValidation=Strict", sent, JSON)
    assert (status, body["reason"], warnings) == (400, "BadRequest", [])
    assert body["message"] == (
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
        + ", ".join(ERRORS)
    )
    assert hostile.request("GET", f"{DEPLOYMENTS}/s").status == 404


def test_warn_names_and_drops_them_ignore_only_drops(hostile: Hostile):
    for name, query, expected in (("w", "", ERRORS), ("i", "?fieldValidation=Ignore", [])):
        status, warnings, body = _send(
            hostile, "POST", DEPLOYMENTS + query, json.dumps(_deployment(name)), JSON
        )
        assert (status, warnings) == (201, expected), body
        stored = hostile.request("GET", f"{DEPLOYMENTS}/{name}").json()
        assert "replica" not in stored["spec"] and stored["spec"]["replicas"] == 1  # defaulted
        assert stored["spec"]["template"]["metadata"] == {"labels": {"app": "a"}}
        assert "imagePullPolicyy" not in stored["spec"]["template"]["spec"]["containers"][0]
        assert stored["spec"]["template"]["spec"]["nodeSelector"] == {"free": "keys"}


def test_unknown_and_repeated_fields_come_in_one_pass_in_document_order(hostile: Hostile):
    sent = (
        '{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "o"},'
        ' "spec": {"paused": true, "paused": false, "selector": {"matchLabels": {"app": "a"}},'
        ' "template": {"metadata": {"labels": {"app": "a"}}, "spec": {"containers": ['
        '{"name": "c", "image": "i", "bad": 1, "image": "j"}]}}, "zzz": 1}}'
    )
    status, _, body = _send(hostile, "POST", f"{DEPLOYMENTS}?fieldValidation=Strict", sent, JSON)
    assert status == 400
    assert body["message"].endswith(
        'strict decoding error: duplicate field "spec.paused", '
        'unknown field "spec.template.spec.containers[0].bad", '
        'duplicate field "spec.template.spec.containers[0].image", unknown field "spec.zzz"'
    )


def test_an_update_and_a_status_write_are_checked_before_the_strategy(hostile: Hostile):
    created = _send(
        hostile, "POST", f"{DEPLOYMENTS}?fieldValidation=Ignore", json.dumps(_deployment("u")), JSON
    )
    stored = created[2]
    stored["spec"]["strategy"] = {"type": "Recreate", "rollingUpdatee": {}}
    status, warnings, body = _send(hostile, "PUT", f"{DEPLOYMENTS}/u", json.dumps(stored), JSON)
    assert (status, warnings) == (200, ['unknown field "spec.strategy.rollingUpdatee"']), body
    assert body["spec"]["strategy"] == {"type": "Recreate"}
    body["spec"]["bogus"] = 1
    body["status"] = {"replicas": 0, "conditionz": []}
    status, warnings, _ = _send(hostile, "PUT", f"{DEPLOYMENTS}/u/status", json.dumps(body), JSON)
    assert (status, warnings) == (200, ['unknown field "spec.bogus"', 'unknown field "status.conditionz"'])


def test_a_patch_names_the_patched_objects_unknown_fields_sorted(hostile: Hostile):
    _send(hostile, "POST", f"{DEPLOYMENTS}?fieldValidation=Ignore", json.dumps(_deployment("p")), JSON)
    patch = json.dumps(
        {
            "spec": {
                "zeta": 1,
                "template": {"spec": {"containers": [{"name": "app", "imagePullPolicyy": "x"}]}},
            }
        }
    )
    path = f"{DEPLOYMENTS}/p?fieldValidation=Strict"
    status, _, body = _send(hostile, "PATCH", path, patch, "application/strategic-merge-patch+json")
    assert (status, body["reason"]) == (422, "Invalid")
    assert body["message"].endswith(
        'strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy", '
        'unknown field "spec.zeta"'
    )
    status, warnings, body = _send(
        hostile, "PATCH", f"{DEPLOYMENTS}/p", patch, "application/merge-patch+json"
    )
    assert status == 200
    assert warnings == [
        'unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
        'unknown field "spec.zeta"',
    ]
    assert "zeta" not in body["spec"]


def test_server_side_apply_is_refused_by_the_typed_converter_under_any_directive(hostile: Hostile):
    """structured-merge-diff stops at a struct's first undeclared field (``spec.replica`` hides the
    rest of ``spec``); each struct with one adds an ``errors:`` line; associative lists' items
    are named by their keys."""
    manifest = _deployment("ssa")
    manifest["metadata"]["namespace"] = "default"
    for query in ("", "&fieldValidation=Ignore"):
        path = f"{DEPLOYMENTS}/ssa?fieldManager=m{query}"
        status, _, body = _send(hostile, "PATCH", path, json.dumps(manifest), "application/apply-patch+yaml")
        assert status == 500 and "reason" not in body, body
        assert body["message"] == (
            "failed to create typed patch object (default/ssa; apps/v1, Kind=Deployment): "
            ".spec.replica: field not declared in schema"
        )
    del manifest["spec"]["replica"]
    path = f"{DEPLOYMENTS}/ssa?fieldManager=m"
    status, _, body = _send(hostile, "PATCH", path, json.dumps(manifest), "application/apply-patch+yaml")
    assert (status, body["message"]) == (
        500,
        "failed to create typed patch object (default/ssa; apps/v1, Kind=Deployment): errors:\n"
        "  .spec.template.metadata.bogusMeta: field not declared in schema\n"
        '  .spec.template.spec.containers[name="app"].imagePullPolicyy: field not declared in schema',
    )
    assert hostile.request("GET", f"{DEPLOYMENTS}/ssa").status == 404
    single = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "date": {}}'
    path = "/api/v1/namespaces/default/configmaps/c?fieldManager=m"
    status, _, body = _send(hostile, "PATCH", path, single, "application/apply-patch+yaml")
    assert (status, body["message"]) == (
        500,
        "failed to create typed patch object (/c; /v1, Kind=ConfigMap): .date: field not declared in schema",
    )
