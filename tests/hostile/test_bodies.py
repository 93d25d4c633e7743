"""Hostile bodies: alias bombs, deep nesting, values JSON cannot carry, arbitrary bytes."""

from __future__ import annotations

import json
import resource

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.conftest import CM_PATH, Hostile

MODULECONFIGS = "/apis/deckhouse.io/v1alpha1/moduleconfigs"
YAML = {"Content-Type": "application/yaml"}
PROBES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def billion_laughs(levels: int = 9, fanout: int = 9) -> bytes:
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: lol}", 'a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * fanout)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines.append(f"data: {{bomb: *a{levels}}}")
    return "\n".join(lines).encode()


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_billion_laughs_yaml_body_is_refused_unexpanded(hostile: Hostile):
    before = _peak_rss_mb()
    reply = hostile.request("POST", CM_PATH, billion_laughs(), headers=YAML)
    status = reply.status_object()
    assert (status["code"], status["reason"]) == (400, "BadRequest")
    body = billion_laughs()
    assert status["message"] == (
        "the object provided is unrecognized (must be of type ConfigMap): "
        f"yaml: document contains excessive aliasing ({body[:30].hex()} ...)"
    )
    assert _peak_rss_mb() - before < 100, "the alias bomb was expanded in memory"
    assert hostile.request("GET", f"{CM_PATH}/lol").status == 404
    listing = hostile.request("GET", CM_PATH)
    assert len(listing.body) < 10_000
    hostile.assert_healthy()


def test_a_few_aliases_in_an_ordinary_document_still_work(hostile: Hostile):
    body = b"""apiVersion: v1
kind: ConfigMap
metadata:
  name: aliased
  labels: &labels {app: demo}
  annotations: *labels
data: {a: "1"}
"""
    reply = hostile.request("POST", CM_PATH, body, headers=YAML)
    assert reply.status == 201, reply.body
    assert reply.json()["metadata"]["annotations"] == {"app": "demo"}


def _deep_json(depth: int) -> bytes:
    return (
        b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":'
        + b"[" * depth
        + b"]" * depth
        + b"}"
    )


def _deep_yaml(depth: int) -> bytes:
    nested = "{a: " * depth + "}" * depth
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: deep}}\nx: {nested}\n".encode()


def test_ten_thousand_levels_of_json_or_yaml_are_a_400(hostile: Hostile):
    for body, headers in ((_deep_json(10_000), {}), (_deep_yaml(10_000), YAML), (b"[" * 10_000, {})):
        status = hostile.request("POST", CM_PATH, body, headers=headers).status_object()
        assert (status["code"], status["reason"]) == (400, "BadRequest")
        assert "exceeded max depth" in status["message"]
    hostile.assert_healthy()


def test_nesting_up_to_the_limit_is_stored_and_served(hostile: Hostile):
    settings_value: object = "leaf"
    for _ in range(95):
        settings_value = {"n": settings_value}
    body = {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "ModuleConfig",
        "metadata": {"name": "deep-settings"},
        "spec": {"version": 1, "settings": settings_value},
    }
    reply = hostile.request("POST", MODULECONFIGS, body)
    assert reply.status == 201, reply.body[:300]
    assert hostile.request("GET", f"{MODULECONFIGS}/deep-settings").status == 200


def test_nan_and_infinity_are_refused(hostile: Hostile):
    for body, headers in (
        (b'{"metadata":{"name":"n"},"data":{"a":NaN}}', {}),
        (b"metadata: {name: n}\nx: .inf", YAML),
    ):
        status = hostile.request("POST", CM_PATH, body, headers=headers).status_object()
        assert status["code"] == 400


def test_yaml_timestamps_and_binary_stay_strings(hostile: Hostile):
    body = (
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dated}\n"
        b"data: {when: 2024-12-16, raw: !!binary aGk=}\n"
    )
    reply = hostile.request("POST", CM_PATH, body, headers=YAML)
    assert reply.status == 201, reply.body
    assert reply.json()["data"] == {"when": "2024-12-16", "raw": "aGk="}


@PROBES
@given(st.binary(max_size=512))
def test_arbitrary_bytes_never_break_the_server(hostile: Hostile, body: bytes):
    reply = hostile.request("POST", CM_PATH, body, headers=YAML)
    assert reply.status in (201, 400, 409, 422), reply.body[:300]
    reply.status_object() if reply.status != 201 else reply.json()


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=30,
)


@PROBES
@given(
    st.dictionaries(
        st.sampled_from(["metadata", "data", "binaryData", "immutable", "kind", "x"]), _json_values
    )
)
def test_arbitrary_json_objects_get_a_status_never_a_500(hostile: Hostile, body: dict):
    reply = hostile.request("POST", CM_PATH, json.dumps(body).encode())
    assert reply.status in (201, 400, 409, 422), reply.body[:300]
    if reply.status != 201:
        assert reply.status_object()["reason"] in ("BadRequest", "AlreadyExists", "Invalid")


def test_the_sentinel_survived_every_probe(hostile: Hostile):
    hostile.assert_healthy()


def test_a_lone_surrogate_escape_is_read_as_go_reads_it(hostile: Hostile):
    """``"\\udc80"`` is valid JSON; Python keeps the lone surrogate, which cannot be written back
    as UTF-8: the create was a 500. Go's decoder reads it as U+FFFD; a pair stays one character."""
    body = (
        b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"surrogates"},'
        b'"data":{"lone":"x\\udc80y","pair":"\\ud83d\\ude00"}}'
    )
    created = hostile.request("POST", CM_PATH, body)
    assert created.status == 201, created.body[:300]
    stored = hostile.request("GET", f"{CM_PATH}/surrogates").json()
    assert stored["data"] == {"lone": "x\ufffdy", "pair": "\U0001f600"}
    hostile.assert_healthy()
