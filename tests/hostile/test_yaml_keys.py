"""YAML map keys that are not text: every one kept, under the JSON key Go's conversion gives it.

kube-apiserver and kubectl turn YAML into JSON with ``sigs.k8s.io/yaml``, which writes a key ``1``
as ``"1"``, ``true`` as ``"true"`` and ``1.5`` by ``strconv.FormatFloat(v, 'g', -1, 64)``. PyYAML
built a Python dict first, where ``1``, ``1.0`` and ``true`` are the same key: ``{1: a, true: b}``
was stored as ``{"1": "b"}``, a value lost without a word, by the API server and by the steps.
"""

from __future__ import annotations

import pytest

from harness.steps.documents import parse_documents
from tests.hostile.conftest import Hostile

MODULECONFIGS = "/apis/deckhouse.io/v1alpha1/moduleconfigs"
SETTINGS = "    1: one\n    true: yes-value\n    1.5: half\n    0x10: hex\n    1e+06: big\n    plain: text\n"
KEPT = {"1": "one", "true": "yes-value", "1.5": "half", "16": "hex", "1e+06": "big", "plain": "text"}


def test_the_api_server_keeps_every_key_of_a_yaml_body(hostile: Hostile):
    head = "apiVersion: deckhouse.io/v1alpha1\nkind: ModuleConfig\nmetadata:\n  name: keys\n"
    body = f"{head}spec:\n  settings:\n{SETTINGS}"
    created = hostile.request(
        "POST", MODULECONFIGS, body.encode(), headers={"Content-Type": "application/yaml"}
    )
    assert created.status == 201, created.body
    assert created.json()["spec"]["settings"] == KEPT
    hostile.assert_healthy()


def test_a_steps_yaml_keeps_every_key_as_kubectl_sends_it():
    [document] = parse_documents(f"kind: ConfigMap\nmetadata: {{name: keys}}\ndata:\n  settings:\n{SETTINGS}")
    assert document["data"]["settings"] == KEPT


def test_merge_keys_still_merge():
    [document] = parse_documents("kind: ConfigMap\nbase: &b {1: a, x: b}\ndata:\n  <<: *b\n  z: c\n")
    assert document["data"] == {"1": "a", "x": "b", "z": "c"}


@pytest.mark.parametrize(
    ("key", "text"),
    [
        (1.0, "1"),
        (123456.0, "123456"),
        (1234567.0, "1.234567e+06"),
        (1e21, "1e+21"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (-2.5, "-2.5"),
        (False, "false"),
        (-7, "-7"),
    ],
)
def test_keys_are_written_as_go_writes_them(key, text):
    from harness.kube.go_yaml import json_key  # new with the fix: the other tests fail on behaviour

    assert json_key(key) == text
