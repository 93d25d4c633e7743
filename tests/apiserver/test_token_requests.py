"""``serviceaccounts/token`` (TokenRequest): ``kubectl create token`` and the token it prints.

kube-apiserver 1.32 serves the subresource for ``create`` (``pkg/registry/core/serviceaccount/
storage/token.go``): an RS256 JWT with the claims of ``pkg/serviceaccount/claims.go`` and its
expiry, an hour by default, between 10 minutes and 2^32 seconds. The token is then a bearer token
for the account until it expires or the account goes. The harness answered ``the server could not
find the requested resource``."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from datetime import timedelta

import httpx
import pytest

from harness.apiserver import ApiServer, jwt_rs256
from harness.clock import VirtualClock
from harness.steps.kubectl import GO_DEFAULTS

from .conftest import fixture_crds_or_skip

KUBECTL = shutil.which("kubectl")
TOKEN_PATH = "/api/v1/namespaces/default/serviceaccounts/default/token"
BODY = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {}}


@pytest.fixture
def served() -> tuple[ApiServer, VirtualClock, httpx.Client]:
    clock = VirtualClock()
    server = ApiServer(clock, crd_dir=fixture_crds_or_skip())
    url = server.start()
    client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {server.token}"})
    yield server, clock, client
    client.close()
    server.stop()


def _claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_a_token_request_answers_a_signed_token_with_its_claims_and_expiry(served):
    _server, clock, client = served
    answer = client.post(TOKEN_PATH, json=BODY)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["kind"], body["apiVersion"]) == ("TokenRequest", "authentication.k8s.io/v1")
    assert body["metadata"] == {"namespace": "default", "creationTimestamp": None}
    assert body["spec"] == {
        "audiences": ["https://kubernetes.default.svc.cluster.local"],
        "expirationSeconds": 3600,
        "boundObjectRef": None,
    }
    token = body["status"]["token"]
    account = client.get("/api/v1/namespaces/default/serviceaccounts/default").json()
    claims = _claims(token)
    now = int(clock.now().timestamp())
    assert claims == {
        "aud": ["https://kubernetes.default.svc.cluster.local"],
        "exp": now + 3600,
        "iat": now,
        "iss": "https://kubernetes.default.svc.cluster.local",
        "jti": claims["jti"],
        "kubernetes.io": {
            "namespace": "default",
            "serviceaccount": {"name": "default", "uid": account["metadata"]["uid"]},
        },
        "nbf": now,
        "sub": "system:serviceaccount:default:default",
    }
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "RS256", "kid": jwt_rs256.signing_key().key_id}
    assert jwt_rs256.decode(token, jwt_rs256.signing_key()) == claims
    expiry = body["status"]["expirationTimestamp"]
    assert expiry == clock.now().replace(microsecond=0).strftime("%Y-%m-%dT") + expiry[11:]
    assert list(body) == ["kind", "apiVersion", "metadata", "spec", "status"]


def _as(server: ApiServer, token: str) -> httpx.Client:
    return httpx.Client(base_url=server.url or "", headers={"Authorization": f"Bearer {token}"})


def test_the_token_is_a_bearer_token_for_the_account_until_it_expires_or_the_account_goes(served):
    server, clock, client = served
    token = client.post(TOKEN_PATH, json={**BODY, "spec": {"expirationSeconds": 600}}).json()["status"][
        "token"
    ]
    claims = _claims(token)
    review = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}
    with _as(server, token) as as_account:
        me = as_account.post("/apis/authentication.k8s.io/v1/selfsubjectreviews", json=review).json()
        assert me["status"]["userInfo"] == {
            "username": "system:serviceaccount:default:default",
            "uid": claims["kubernetes.io"]["serviceaccount"]["uid"],
            "groups": ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"],
            "extra": {"authentication.kubernetes.io/credential-id": [f"JTI={claims['jti']}"]},
        }
        assert as_account.get("/api/v1/namespaces/default/configmaps").status_code == 200
        clock.advance(timedelta(seconds=600))
        refused = as_account.get("/api/v1/namespaces/default/configmaps")
        assert (refused.status_code, refused.json()["reason"]) == (401, "Unauthorized")
    tampered = token[:-4] + ("BBBB" if token.endswith("AAAA") else "AAAA")
    with _as(server, tampered) as as_forger:
        assert as_forger.get("/api/v1/namespaces").status_code == 401
    fresh = client.post(TOKEN_PATH, json=BODY).json()["status"]["token"]
    with _as(server, fresh) as as_fresh:
        assert as_fresh.get("/api/v1/namespaces").status_code == 200
        assert client.delete("/api/v1/namespaces/default/serviceaccounts/default").status_code == 200
        assert as_fresh.get("/api/v1/namespaces").status_code == 401  # the new default has a new uid


@pytest.mark.parametrize(
    ("path", "spec", "code", "message"),
    [
        (TOKEN_PATH, {"expirationSeconds": 60}, 422, "may not specify a duration less than 10 minutes"),
        (
            TOKEN_PATH,
            {"expirationSeconds": 2**32 + 1},
            422,
            "may not specify a duration larger than 2^32 seconds",
        ),
        (TOKEN_PATH.replace("/default/token", "/nope/token"), {}, 404, 'serviceaccounts "nope" not found'),
    ],
)
def test_a_refused_token_request(served, path, spec, code, message):
    _server, _clock, client = served
    answer = client.post(path, json={**BODY, "spec": spec})
    assert answer.status_code == code
    status = answer.json()
    assert status["kind"] == "Status" and message in status["message"]
    if code == 422:
        seconds = spec["expirationSeconds"]
        assert status["message"] == (
            f'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: '
            f"{seconds}: {message}"
        )


def test_discovery_lists_the_token_subresource_and_a_get_is_a_405(served):
    _server, _clock, client = served
    listed = {r["name"]: r for r in client.get("/api/v1").json()["resources"]}
    assert listed["serviceaccounts/token"] == {
        "name": "serviceaccounts/token",
        "singularName": "",
        "namespaced": True,
        "group": "authentication.k8s.io",
        "version": "v1",
        "kind": "TokenRequest",
        "verbs": ["create"],
    }
    assert client.get(TOKEN_PATH).status_code == 405


@pytest.mark.kubectl
@pytest.mark.slow
def test_kubectl_create_token_prints_a_token_kubectl_can_use(served, tmp_path):
    if KUBECTL is None:
        pytest.skip("kubectl not found")
    server, _clock, _client = served
    server.stop()
    server.start(tls=True)
    kubeconfig = server.write_kubeconfig(tmp_path / "kubeconfig")
    env = {**GO_DEFAULTS, **os.environ}

    def kubectl(*args: str) -> subprocess.CompletedProcess[str]:
        command = [KUBECTL, "--kubeconfig", str(kubeconfig), "--cache-dir", str(tmp_path / "cache"), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)

    made = kubectl("create", "token", "default", "--duration", "20m")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert _claims(token)["exp"] - _claims(token)["iat"] == 1200
    whoami = kubectl("auth", "whoami", "--token", token)
    assert whoami.returncode == 0, whoami.stderr
    assert "system:serviceaccount:default:default" in whoami.stdout
    short = kubectl("create", "token", "default", "--duration", "1m")
    assert short.returncode == 1
    assert short.stderr.strip() == (
        'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: '
        "spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes"
    )
