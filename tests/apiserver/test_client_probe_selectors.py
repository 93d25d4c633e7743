"""Label selectors as kube-apiserver 1.32 parses them: apimachinery's ``labels.Parse``
(``k8s.io/apimachinery/pkg/labels/selector.go``), its operators (``>`` and ``<`` included), its
grammar and the messages of its ``400 BadRequest``, which ``kubectl get -l`` prints."""

from __future__ import annotations

import pytest

from .test_kubectl import cluster  # noqa: F401  (the fixture)

CMS = "/api/v1/namespaces/default/configmaps"
_VALUE_RULE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
    "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
_KEY_RULE = (
    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix "
    "and '/' (e.g. 'example.com/MyName')"
)


def _names(http, selector: str) -> list[str]:
    r = http.get(CMS, params={"labelSelector": selector})
    assert r.status_code == 200, r.text
    return [item["metadata"]["name"] for item in r.json()["items"]]


@pytest.fixture
def labelled(http):
    for name, labels in (
        ("ten", {"weight": "10", "tier": "in"}),
        ("three", {"weight": "3", "tier": ""}),
        ("word", {"weight": "heavy"}),
        ("bare", {}),
    ):
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": labels}}
        assert http.post(CMS, json=body).status_code == 201
    return http


@pytest.mark.parametrize(
    ("selector", "names"),
    [
        ("weight>5", ["ten"]),
        ("weight<5", ["three"]),
        ("weight > 5, tier", ["ten"]),
        ("tier in (in)", ["ten"]),  # "in" is a value where a value may stand
        ("tier in (,)", ["three"]),  # "(,)" is the empty value
        ("tier in ()", ["three"]),
        ("tier notin (in)", ["bare", "three", "word"]),
        ("tier=", ["three"]),
        ("!tier", ["bare", "word"]),
        ("weight!=heavy", ["bare", "ten", "three"]),
    ],
)
def test_selectors_select_what_labels_parse_selects(labelled, selector, names):
    assert _names(labelled, selector) == names


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ("a in (b", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("tier in (bad value!)", "unable to parse requirement: found 'value', expected: ',' or ')'"),
        ("app=deckhouse,", "found '', expected: identifier after ','"),
        ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
        ("=x", "found '=', expected: !, identifier, or 'end of string'"),
        ("!a=b", "found '=', expected: ',' or 'end of string'"),
        ("a in b", "unable to parse requirement: found 'b' expected: '('"),
        (
            "weight>x",
            'unable to parse requirement: values[0]: Invalid value: "x": '
            "for 'Gt', 'Lt' operators, the value must be an integer",
        ),
        ("app=dec_", f'unable to parse requirement: values[0][app]: Invalid value: "dec_": {_VALUE_RULE}'),
        ("a/b/c=d", f'unable to parse requirement: <nil>: Invalid value: "a/b/c": {_KEY_RULE}'),
    ],
)
def test_a_bad_selector_is_refused_in_the_parsers_words(http, selector, message):
    r = http.get(CMS, params={"labelSelector": selector})
    assert r.status_code == 400
    status = r.json()
    assert (status["reason"], status["message"]) == ("BadRequest", message)


def test_a_watch_refuses_a_bad_selector_the_same_way(http):
    r = http.get(CMS, params={"labelSelector": "a in (b", "watch": "1"})
    assert r.status_code == 400
    assert r.json()["message"] == "unable to parse requirement: found '', expected: ',' or ')'"


@pytest.mark.kubectl
def test_kubectl_get_with_a_mistyped_selector_prints_the_parsers_message(cluster):  # noqa: F811
    _server, kubectl = cluster
    done = kubectl("get", "cm", "-l", "a in (b", ok=False)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label '
        'selector "a in (b", field selector "": unable to parse requirement: found \'\', expected: '
        "',' or ')'"
    )


@pytest.mark.kubectl
def test_kubectl_get_with_a_greater_than_selector(cluster):  # noqa: F811
    _server, kubectl = cluster
    for name, weight in (("light", "1"), ("heavy", "900")):
        kubectl("create", "cm", name, "-n", "default")
        kubectl("label", "cm", name, "-n", "default", f"weight={weight}")
    done = kubectl("get", "cm", "-n", "default", "-l", "weight>100", "-o", "name")
    assert done.stdout.split() == ["configmap/heavy"]
