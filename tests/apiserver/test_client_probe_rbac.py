"""``kubectl auth can-i --list`` prints what a real cluster prints for its admin: the two wildcard
rules of ``cluster-admin`` and the self-review, discovery and health rules every authenticated
user gets from the bootstrap bindings (``system:basic-user``, ``system:discovery``,
``system:public-info-viewer``), the health and version paths twice."""

from __future__ import annotations

from .test_kubectl import cluster  # noqa: F401 - the kubectl fixture

EXPECTED = [
    ["*.*", "[]", "[]", "[*]"],
    ["[*]", "[]", "[*]"],
    ["selfsubjectreviews.authentication.k8s.io", "[]", "[]", "[create]"],
    ["selfsubjectaccessreviews.authorization.k8s.io", "[]", "[]", "[create]"],
    ["selfsubjectrulesreviews.authorization.k8s.io", "[]", "[]", "[create]"],
    ["[/api/*]", "[]", "[get]"],
    ["[/api]", "[]", "[get]"],
    ["[/apis/*]", "[]", "[get]"],
    ["[/apis]", "[]", "[get]"],
    ["[/healthz]", "[]", "[get]"],
    ["[/healthz]", "[]", "[get]"],
    ["[/livez]", "[]", "[get]"],
    ["[/livez]", "[]", "[get]"],
    ["[/openapi/*]", "[]", "[get]"],
    ["[/openapi]", "[]", "[get]"],
    ["[/readyz]", "[]", "[get]"],
    ["[/readyz]", "[]", "[get]"],
    ["[/version/]", "[]", "[get]"],
    ["[/version/]", "[]", "[get]"],
    ["[/version]", "[]", "[get]"],
    ["[/version]", "[]", "[get]"],
]


def test_kubectl_auth_can_i_list_shows_the_bootstrap_rules(cluster):  # noqa: F811
    _server, kubectl = cluster
    lines = kubectl("auth", "can-i", "--list").stdout.splitlines()
    assert lines[0].split() == ["Resources", "Non-Resource", "URLs", "Resource", "Names", "Verbs"]
    assert [line.split() for line in lines[1:]] == EXPECTED
    assert kubectl("auth", "can-i", "--list", "-n", "d8-system").stdout.splitlines() == lines
