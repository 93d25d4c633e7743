"""What kube-apiserver's RBAC grants the cluster's admin: the bootstrap bindings of its groups.

``kubectl auth can-i --list`` posts a ``SelfSubjectRulesReview`` and prints the rules the answer
carries, sorted and merged on its side. kube-apiserver collects them from every ClusterRoleBinding
naming the user or one of its groups (``RulesFor`` of the RBAC authorizer): for the admin the
token stands for (in ``system:masters`` and ``system:authenticated``), that is ``cluster-admin``
(everything) and the three roles every authenticated user is bound to at bootstrap, so a real
cluster lists the self-review, discovery and health rules beside the two wildcards. The roles'
rules are those of ``plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go`` in Kubernetes
1.32 (``system:basic-user`` also covers ``selfsubjectreviews`` since ``kubectl auth whoami`` went
GA in 1.28; ``system:discovery`` and ``system:public-info-viewer`` the health paths ``/livez`` and
``/readyz``). No other user can reach the server (the token is the only credential), and the
cluster stores no Roles or RoleBindings, so nothing is namespace-scoped.
"""

from __future__ import annotations

from typing import Any

__all__ = ["rules_for"]

_HEALTH_AND_VERSION = ("/livez", "/readyz", "/healthz", "/version", "/version/")

_ROLES: dict[str, tuple[dict[str, Any], ...]] = {
    "cluster-admin": (
        {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},
        {"verbs": ["*"], "nonResourceURLs": ["*"]},
    ),
    "system:basic-user": (
        {
            "verbs": ["create"],
            "apiGroups": ["authorization.k8s.io"],
            "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
        },
        {"verbs": ["create"], "apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"]},
    ),
    "system:discovery": (
        {
            "verbs": ["get"],
            "nonResourceURLs": [
                *_HEALTH_AND_VERSION,
                "/openapi",
                "/openapi/*",
                "/api",
                "/api/*",
                "/apis",
                "/apis/*",
            ],
        },
    ),
    "system:public-info-viewer": ({"verbs": ["get"], "nonResourceURLs": list(_HEALTH_AND_VERSION)},),
}
"""The bootstrap ClusterRoles a known user is bound to, by name."""

_BINDINGS: tuple[tuple[str, frozenset[str]], ...] = (
    ("cluster-admin", frozenset({"system:masters"})),
    ("system:basic-user", frozenset({"system:authenticated"})),
    ("system:discovery", frozenset({"system:authenticated"})),
    ("system:public-info-viewer", frozenset({"system:authenticated", "system:unauthenticated"})),
)
"""The bootstrap ClusterRoleBindings (each named after its role) and the groups they bind."""


def rules_for(groups: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The resource and non-resource rules of a user in ``groups``, binding by binding, as the
    status of a ``SelfSubjectRulesReview`` lists them (copies: the caller may keep them)."""
    resource: list[dict[str, Any]] = []
    non_resource: list[dict[str, Any]] = []
    for role, bound in _BINDINGS:
        if bound.isdisjoint(groups):
            continue
        for rule in _ROLES[role]:
            copied = {key: list(value) for key, value in rule.items()}
            (non_resource if "nonResourceURLs" in rule else resource).append(copied)
    return resource, non_resource
