"""Field selectors as kube-apiserver 1.32 splits them: apimachinery's ``fields.ParseSelector``
(``k8s.io/apimachinery/pkg/fields/selector.go``) splits on commas, sorts the terms and cuts each at
its first operator without trimming blanks; a term without an operator refuses the whole selector
(``invalid selector: ...; can't understand ...``), before the kind's field label conversion looks
at any field (``field label not supported: ...`` for custom resources)."""

from __future__ import annotations

import pytest

from .conftest import widget
from .test_kubectl import cluster  # noqa: F401  (the fixture)

WIDGETS = "/apis/example.com/v1alpha2/widgets"


def _refusal(http, selector: str) -> str:
    r = http.get(WIDGETS, params={"fieldSelector": selector})
    assert r.status_code == 400, r.text
    assert r.json()["reason"] == "BadRequest"
    return str(r.json()["message"])


def test_a_term_without_an_operator_is_not_understood(http):
    assert _refusal(http, "metadata.name") == (
        "invalid selector: 'metadata.name'; can't understand 'metadata.name'"
    )
    # the whole selector parses first: the bad term wins over an unsupported field sorted before it
    assert _refusal(http, "zzz,aaa.field=x") == "invalid selector: 'zzz,aaa.field=x'; can't understand 'zzz'"


def test_blanks_are_part_of_the_field_name(http):
    assert _refusal(http, "metadata.name = w") == "field label not supported: metadata.name "
    assert _refusal(http, "metadata.name=w, metadata.name=x") == "field label not supported:  metadata.name"


def test_the_value_is_everything_after_the_first_operator(http):
    assert http.post(WIDGETS, json=widget("w")).status_code == 201
    for selector, names in (
        ("metadata.name=w", ["w"]),
        ("metadata.name==w", ["w"]),
        ("metadata.name=w=", []),
    ):
        r = http.get(WIDGETS, params={"fieldSelector": selector})
        assert r.status_code == 200, r.text
        assert [i["metadata"]["name"] for i in r.json()["items"]] == names, selector
    assert _refusal(http, "spec.count=1") == "field label not supported: spec.count"


@pytest.mark.kubectl
def test_kubectl_get_with_a_field_selector_missing_its_operator(cluster):  # noqa: F811
    _server, kubectl = cluster
    done = kubectl("get", "ms", "--field-selector", "metadata.name", ok=False)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        'Error from server (BadRequest): Unable to find "deckhouse.io/v1alpha1, Resource=modulesources" '
        'that match label selector "", field selector "metadata.name": invalid selector: '
        "'metadata.name'; can't understand 'metadata.name'"
    )
