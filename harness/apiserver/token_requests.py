"""``serviceaccounts/token``: the TokenRequest ``kubectl create token`` posts, and the bearer tokens
it returns.

kube-apiserver serves the subresource for ``create`` only (``pkg/registry/core/serviceaccount/
storage/token.go`` in kubernetes/kubernetes, Kubernetes 1.32): the account must exist (else its
``404``), ``spec.expirationSeconds`` defaults to an hour and must lie within 10 minutes and 2^32
seconds (``ValidateTokenRequest``: a ``422`` on ``TokenRequest.authentication.k8s.io ""``), the
audiences default to the API server's own (kubeadm's ``--api-audiences``, the issuer
``https://kubernetes.default.svc.cluster.local``), and the answer is the TokenRequest with
``status.token`` (an RS256 JWT, :mod:`~harness.apiserver.jwt_rs256`) and
``status.expirationTimestamp``; nothing is stored. The claims are those of ``pkg/serviceaccount/
claims.go``: ``aud``, ``exp``, ``iat``, ``iss``, ``jti``, ``kubernetes.io`` (namespace and the
account's name and uid), ``nbf`` and ``sub`` (``system:serviceaccount:NS:NAME``).

The server then takes such a token as a bearer token (:func:`authenticate`), as kube-apiserver's
service account authenticator does: signed by this process's key, not expired on the cluster's
clock, for one of the API audiences, and for an account that still exists with the same uid. The
request is then the account's: ``kubectl auth whoami`` names it. Authorisation is not modelled,
so the account may do what the admin may (a real cluster's RBAC would allow it next to nothing).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from harness.apiserver import jwt_rs256
from harness.apiserver.catalog import ResourceType
from harness.apiserver.request import Backend, Request, Response
from harness.kube.errors import BadRequest, Cause, Invalid, MethodNotAllowed, NotFound
from harness.kube.objects import Obj

__all__ = ["ISSUER", "authenticate", "token_request"]

ISSUER = "https://kubernetes.default.svc.cluster.local"
"""kubeadm's ``--service-account-issuer``; its ``--api-audiences`` default to it."""
_API_AUDIENCES = (ISSUER,)
_HOUR = 3600
_MIN_SECONDS, _MAX_SECONDS = 600, 1 << 32
_ACCOUNTS = ("", "serviceaccounts")


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _accounts(b: Backend) -> ResourceType:
    return b.catalog.storage_type(_ACCOUNTS)


def token_request(b: Backend, req: Request) -> Response:
    """A ``create`` of ``serviceaccounts/NAME/token``; any other verb is the 405 of a route that
    does not exist."""
    if req.verb != "create":
        raise MethodNotAllowed("the server does not allow this method on the requested resource")
    body = req.body if isinstance(req.body, dict) else None
    if body is None:
        raise BadRequest("the body of a TokenRequest must be a JSON object")
    namespace, name = req.namespace or "default", req.name or ""
    account = b.store.find(_ACCOUNTS, namespace, name)
    if account is None:
        raise NotFound(f'serviceaccounts "{name}" not found', name=name, kind="serviceaccounts")
    given = body.get("spec")
    spec: dict[str, Any] = given if isinstance(given, dict) else {}
    seconds = _expiration(spec.get("expirationSeconds"))
    audiences = spec.get("audiences") or list(_API_AUDIENCES)
    now = b.clock.now()
    expires = now + timedelta(seconds=seconds)
    claims = {
        "aud": audiences,
        "exp": _epoch(expires),
        "iat": _epoch(now),
        "iss": ISSUER,
        "jti": str(uuid.uuid4()),
        "kubernetes.io": {
            "namespace": namespace,
            "serviceaccount": {"name": name, "uid": account["metadata"].get("uid", "")},
        },
        "nbf": _epoch(now),
        "sub": f"system:serviceaccount:{namespace}:{name}",
    }
    answer: Obj = {
        "kind": "TokenRequest",
        "apiVersion": "authentication.k8s.io/v1",
        "metadata": {"namespace": namespace, "creationTimestamp": None},
        "spec": {
            "audiences": audiences,
            "expirationSeconds": seconds,
            "boundObjectRef": spec.get("boundObjectRef"),
        },
        "status": {
            "token": jwt_rs256.encode(claims, jwt_rs256.signing_key()),
            "expirationTimestamp": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    }
    return Response(201, answer)


def _expiration(given: Any) -> int:
    """``spec.expirationSeconds``, defaulted to an hour, within ``ValidateTokenRequest``'s bounds."""
    if given is None:
        return _HOUR
    if not isinstance(given, int) or isinstance(given, bool):
        json_type = {str: "string", list: "array", dict: "object", bool: "bool"}.get(type(given), "number")
        raise BadRequest(
            'TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal '
            f"{json_type} into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64"
        )
    if _MIN_SECONDS <= given <= _MAX_SECONDS:
        return given
    message = (
        "may not specify a duration less than 10 minutes"
        if given < _MIN_SECONDS
        else "may not specify a duration larger than 2^32 seconds"
    )
    cause = Cause("FieldValueInvalid", f"Invalid value: {given}: {message}", "spec.expirationSeconds")
    raise Invalid(
        f'TokenRequest.authentication.k8s.io "" is invalid: {cause.field}: {cause.message}',
        group="authentication.k8s.io",
        kind="TokenRequest",
        causes=[cause],
    )


def authenticate(b: Backend, token: str) -> dict[str, Any] | None:
    """The user info of a token :func:`token_request` issued that is still good now, else None."""
    key = jwt_rs256.made_key()
    claims = jwt_rs256.decode(token, key) if key is not None and token.count(".") == 2 else None
    if claims is None or claims.get("iss") != ISSUER:
        return None
    now = _epoch(b.clock.now())
    if not isinstance(claims.get("exp"), int) or not claims["exp"] > now >= claims.get("nbf", 0):
        return None
    if not set(claims.get("aud") or ()) & set(_API_AUDIENCES):
        return None
    bound = claims.get("kubernetes.io") or {}
    namespace, named = bound.get("namespace", ""), bound.get("serviceaccount") or {}
    b.on_demand.refresh(_accounts(b))
    account = b.store.find(_ACCOUNTS, namespace, named.get("name", ""))
    if account is None or account["metadata"].get("uid") != named.get("uid"):
        return None
    if account["metadata"].get("deletionTimestamp"):
        return None
    return {
        "username": claims["sub"],
        "uid": named["uid"],
        "groups": ["system:serviceaccounts", f"system:serviceaccounts:{namespace}", "system:authenticated"],
        "extra": {"authentication.kubernetes.io/credential-id": [f"JTI={claims['jti']}"]},
    }
