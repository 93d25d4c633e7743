"""The struct a Go type error names is the innermost one being decoded, not the kind.

``encoding/json`` (and sigs.k8s.io/json's copy, ``internal/golang/encoding/json/decode.go`` at
0626a4a2, which kube-apiserver decodes with) sets ``UnmarshalTypeError.Struct`` to the name of the
struct whose field it entered last and ``.Field`` to the dotted JSON path from the root; map keys
and list indexes add nothing to that path.
"""

from __future__ import annotations

from typing import Any

import pytest

from harness.apiserver.typedfields import decode_error

CASES = [
    (
        "deployments",
        "Deployment",
        {"spec": {"replicas": "abc"}},
        "string into Go struct field DeploymentSpec.spec.replicas of type int32",
    ),
    (
        "deployments",
        "Deployment",
        {"spec": {"template": {"spec": {"containers": [{"name": "a", "env": "x"}]}}}},
        "string into Go struct field Container.spec.template.spec.containers.env of type []v1.EnvVar",
    ),
    (
        "deployments",
        "Deployment",
        {"spec": {"template": {"spec": {"containers": "x"}}}},
        "string into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container",
    ),
    (
        "deployments",
        "Deployment",
        {"spec": {"template": {"spec": {"containers": [{"env": [{"name": 1}]}]}}}},
        "number into Go struct field EnvVar.spec.template.spec.containers.env.name of type string",
    ),
    (
        "configmaps",
        "ConfigMap",
        {"data": {"a": 1}},
        "number into Go struct field ConfigMap.data of type string",
    ),
    (
        "configmaps",
        "ConfigMap",
        {"metadata": {"labels": {"a": 1}}},
        "number into Go struct field ObjectMeta.metadata.labels of type string",
    ),
    (
        "configmaps",
        "ConfigMap",
        {"metadata": "x"},
        "string into Go struct field ConfigMap.metadata of type v1.ObjectMeta",
    ),
    (
        "configmaps",
        "ConfigMap",
        {"metadata": {"ownerReferences": [{"controller": "yes"}]}},
        "string into Go struct field OwnerReference.metadata.ownerReferences.controller of type bool",
    ),
    (
        "pods",
        "Pod",
        {"status": {"containerStatuses": [{"restartCount": "x"}]}},
        "string into Go struct field ContainerStatus.status.containerStatuses.restartCount of type int32",
    ),
    (
        "deployments",
        "Deployment",
        {"spec": {"replicas": 2.5}},
        "number 2.5 into Go struct field DeploymentSpec.spec.replicas of type int32",
    ),
]


@pytest.mark.parametrize(("plural", "kind", "body", "words"), CASES)
def test_the_innermost_struct_and_the_full_path_are_named(plural: str, kind: str, body: Any, words: str):
    assert decode_error(plural, kind, body, builtin=True) == f"json: cannot unmarshal {words}"


def test_a_custom_resource_names_its_metadata_struct_too():
    assert decode_error("widgets", "Widget", {"metadata": {"name": 5}}, builtin=False) == (
        "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string"
    )
