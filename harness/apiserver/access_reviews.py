"""The "who am I / may I" reviews kubectl asks for: answered from the request, never stored.

``kubectl auth whoami`` creates a ``SelfSubjectReview`` (``authentication.k8s.io/v1``),
``kubectl auth can-i VERB RESOURCE`` a ``SelfSubjectAccessReview`` and ``kubectl auth can-i
--list`` a ``SelfSubjectRulesReview`` (``authorization.k8s.io/v1``). kube-apiserver serves them
as create-only resources: the answer is the posted object with a ``status`` filled in, and no
object is kept (a GET is a 405). The simulated cluster has one user, the holder of its token,
who may do everything, like the ``kubernetes-admin`` of a kubeadm or kind cluster: every access
review allows, and a rules review lists what RBAC's bootstrap bindings give the admin's groups
(:mod:`harness.apiserver.rbac_bootstrap`). Upstream: ``pkg/registry/authentication/selfsubjectreview`` and
``pkg/registry/authorization/selfsubject{access,rules}review`` in kubernetes/kubernetes.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from harness.apiserver.rbac_bootstrap import rules_for
from harness.kube.errors import BadRequest, Cause, Invalid
from harness.kube.objects import Obj
from harness.kube.resources import Resource

__all__ = ["ADMIN", "REVIEWS", "answer"]

ADMIN = {"username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]}
"""The user the token stands for (kubeadm's admin: in ``system:masters``, allowed everything)."""

REVIEWS = (
    Resource("authentication.k8s.io", "v1", "selfsubjectreviews", "SelfSubjectReview"),
    Resource("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview"),
    Resource("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview"),
)


def answer(resource: Resource, body: Any, user: Mapping[str, Any] | None = None) -> Obj:
    """The posted review with its ``status``: the caller (``user``: a service account's token,
    :mod:`.token_requests`; the admin when None), allowed everything, by the rules the admin's
    groups are bound to (authorisation is the admin's whoever asks)."""
    if not isinstance(body, dict):
        raise BadRequest(f"the body of a {resource.kind} must be a JSON object")
    review = copy.deepcopy(body)
    review["apiVersion"] = resource.api_version
    review["kind"] = resource.kind
    review["metadata"] = {"creationTimestamp": None}
    if resource.kind == "SelfSubjectReview":
        review["status"] = {"userInfo": copy.deepcopy(dict(user) if user is not None else ADMIN)}
    elif resource.kind == "SelfSubjectAccessReview":
        _require_attributes(review)
        review["status"] = {"allowed": True}
    else:
        review.setdefault("spec", {})
        resource_rules, non_resource_rules = rules_for(list(ADMIN["groups"]))
        review["status"] = {
            "resourceRules": resource_rules,
            "nonResourceRules": non_resource_rules,
            "incomplete": False,
        }
    return review


def _require_attributes(review: Obj) -> None:
    """kube-apiserver's validation: exactly one of the resource and non-resource attributes."""
    spec = review.get("spec")
    attributes = [key for key in ("resourceAttributes", "nonResourceAttributes") if (spec or {}).get(key)]
    if len(attributes) != 1:
        detail = "exactly one of nonResourceAttributes or resourceAttributes must be specified"
        raise Invalid(
            f'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: '
            f'Invalid value: "null": {detail}',
            group="authorization.k8s.io",
            kind="SelfSubjectAccessReview",
            causes=[
                Cause("FieldValueInvalid", f'Invalid value: "null": {detail}', "spec.resourceAttributes")
            ],
        )
