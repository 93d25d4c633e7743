from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.report.redaction import REDACTED, redact, redact_value, register_secret

DOCKER_CFG = base64.b64encode(
    json.dumps(
        {"auths": {"registry.example.com": {"auth": base64.b64encode(b"alice:Pa55word!").decode()}}}
    ).encode()
).decode()


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"spec:\n  registry:\n    dockerCfg: {DOCKER_CFG}\n", DOCKER_CFG),
        (f'{{"dockerCfg": "{DOCKER_CFG}"}}', DOCKER_CFG),
        ("password: hunter2-long", "hunter2-long"),
        ("--password=hunter2-long --verbose", "hunter2-long"),
        ("{'token': 'tok-123456'}", "tok-123456"),
        ("Authorization: Bearer abc.def-ghi", "abc.def-ghi"),
        ('"Authorization": "Basic YWxpY2U6c2VjcmV0"', "YWxpY2U6c2VjcmV0"),
        ("curl -H 'Bearer s3cr3t-token-value' http://x", "s3cr3t-token-value"),
        ("pull from https://alice:Pa55word@registry.example.com/v2/", "Pa55word"),
        (f"blob {DOCKER_CFG} end", DOCKER_CFG),
        ('"{\\"auths\\": {\\"r\\": {\\"auth\\": \\"YWxpY2U6\\"}}}"', "YWxpY2U6"),
        ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl here", "eyJzdWIiOiJhbGljZSJ9"),
        # kube-apiserver's summary of an unreadable body: its first 30 bytes, cut inside a value
        ('is unrecognized (must be of type ConfigMap): ... ({"data":{"password":"hunter2hu)', "hunter2hu"),
        ("{'token': 'tok-12345", "tok-12345"),
    ],
)
def test_secrets_are_replaced_wherever_they_appear(text, secret):
    cleaned = redact(text)
    assert secret not in cleaned
    assert REDACTED in cleaned


def test_redaction_is_idempotent_and_keeps_ordinary_text():
    text = "module-one is Ready; digest sha256:" + "a" * 64 + "; tokens: 5; auth:\n  htpasswd: {}"
    assert redact(text) == text
    once = redact("password: x1y2z3 and Bearer abcdef")
    assert redact(once) == once


def test_redacting_json_text_keeps_it_valid_json():
    document = json.dumps({"msg": "login failed; password: hunter2-long", "cfg": f"dockerCfg: {DOCKER_CFG}"})
    assert "hunter2-long" not in redact(document)
    json.loads(redact(document))


def test_values_of_secret_keys_are_dropped_in_structured_data():
    value = {
        "spec": {"registry": {"repo": "r.example.com/m", "dockerCfg": "short"}},
        "items": [{"token": "t0k"}],
    }
    cleaned = redact_value(value)
    assert cleaned["spec"]["registry"] == {"repo": "r.example.com/m", "dockerCfg": REDACTED}
    assert cleaned["items"] == [{"token": REDACTED}]


def test_registered_literals_are_redacted_even_without_a_pattern():
    register_secret("plain-generated-pw-71")
    assert redact("htpasswd user alice plain-generated-pw-71 ok") == "htpasswd user alice <redacted> ok"


def test_very_short_registered_values_are_ignored_to_keep_reports_readable():
    register_secret("ab")
    assert redact("about a tab") == "about a tab"


def test_a_text_redacted_before_a_secret_was_registered_is_redacted_after_it():
    """Short texts' results are remembered; registering a secret must not leave a stale one."""
    text = "the step printed late-registered-pw-5512 here"
    assert redact(text) == text
    register_secret("late-registered-pw-5512")
    assert redact(text) == "the step printed <redacted> here"
    assert redact_value({"message": text}) == {"message": "the step printed <redacted> here"}


def _b64(data: bytes | str) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


LEGACY_DOCKER_CFG = _b64(json.dumps({"127.0.0.1:1": {"auth": "dXNlcjpQYTU1dzByZFhZWg=="}}))
FOLDED = " ".join(DOCKER_CFG[i : i + 20] for i in range(0, len(DOCKER_CFG), 20))
FOLDED_LINES = "\n      ".join(DOCKER_CFG[i : i + 40] for i in range(0, len(DOCKER_CFG), 40))


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"dockerCfg {LEGACY_DOCKER_CFG} rejected", LEGACY_DOCKER_CFG),
        (f'"message": "bad {LEGACY_DOCKER_CFG}"', LEGACY_DOCKER_CFG),
        ("the auth dXNlcjpQYTU1dzByZFhZWg== was refused", "dXNlcjpQYTU1dzByZFhZWg=="),
        ("htpasswd --password Hunter2Long -B", "Hunter2Long"),
        ("docker login -u alice -p Hunter2Long 127.0.0.1:5000", "Hunter2Long"),
        ("pull alice:Pw55wordXYZ@127.0.0.1:5000/deckhouse/modules", "Pw55wordXYZ"),
        ("credentials: alice:Pw55wordXYZ", "Pw55wordXYZ"),
        ("DKP_HARNESS_REGISTRY_AUTH=alice:Pw55wordXYZ dkp-harness run", "Pw55wordXYZ"),
        (f"data:\n  .dockerconfigjson-ish {_b64(DOCKER_CFG)}\n", _b64(DOCKER_CFG)),
        (f"dockerCfg: {FOLDED}", DOCKER_CFG[40:60]),
        (f"dockerCfg: >-\n      {FOLDED_LINES}\n", DOCKER_CFG[40:80]),
        (f"path /{DOCKER_CFG} end", DOCKER_CFG[8:]),
        (
            'status: {message: "cannot pull http://alice:Wr0ngPa55XYZ@127.0.0.1:5000/deckhouse/modules"}',
            "Wr0ngPa55XYZ",
        ),
        ('{"message": "http:\\/\\/alice:Wr0ngPa55XYZ@127.0.0.1:5000\\/deckhouse"}', "Wr0ngPa55XYZ"),
    ],
    ids=[
        "legacy-dockercfg",
        "legacy-dockercfg-in-json",
        "bare-auth",
        "long-option",
        "short-p-on-login",
        "userinfo-without-scheme",
        "credentials-key",
        "env-variable",
        "double-base64",
        "folded-with-spaces",
        "folded-over-lines",
        "glued-to-a-slash",
        "repo-url",
        "escaped-repo-url",
    ],
)
def test_credentials_in_less_obvious_shapes_are_replaced(text, secret):
    cleaned = redact(text)
    assert secret not in cleaned, cleaned
    assert REDACTED in cleaned
    assert redact(cleaned) == cleaned


@pytest.mark.parametrize(
    "text",
    [
        "mkdir -p /tmp/x && ssh -p 22 host",
        "image registry.example.com/m:v1.0.0@sha256:" + "a" * 64,
        "nginx:1.25@sha256:" + "b" * 64,
        "resourceVersion: 123456789012, uid 3f2c1a9e-8b7d-4c6e-9f10-abcdefabcdef",
        "mail alice@example.com, clone git@github.com:org/repo.git at 12:30:45",
        "ModuleSource example-source is Ready; conformance-harness deckhouse-modules downloaded",
        "tokens: 5; max_tokens=7; --token-file /var/run/token.txt; --password-stdin",
        "the registry requires the credentials of user alice",
    ],
)
def test_ordinary_text_near_the_new_shapes_is_kept(text):
    assert redact(text) == text


def test_the_step_that_generates_registry_credentials_registers_them():
    from types import SimpleNamespace

    from harness.steps.library.registry import require_auth

    world = SimpleNamespace(options=SimpleNamespace(credentials=None), require_not_started=lambda what: None)
    require_auth(world, "alice")
    password = world.options.credentials.password
    auth = _b64(f"alice:{password}")
    assert redact(f"htpasswd line alice {password} ok") == "htpasswd line alice <redacted> ok"
    assert redact(f"auth {auth}") == "auth <redacted>"


REDACT_RUNS = (
    "import sys\n"
    "from harness.report.redaction import redact\n"
    "for unit in ('+', '%', 'a.', 'a-', 'A+', 'eyJaaaaaaaaa.'):\n"
    "    redact(unit * (300_000 // len(unit)))\n"
    "print('done', flush=True)\n"
)


def test_redaction_of_long_runs_ends_promptly():
    """Runs of ``+``, ``%`` or dotted words (a failing step's output can hold one) made the
    user-info patterns re-scan the run from every position: 100 kB took 10 s, 1 MB hours, while
    the stop signals were held. The wait is bounded; it fails, rather than hangs, when it regresses:
    six runs of 300 kB take ~0.5 s when linear and over a minute when quadratic (~90 s each)."""
    worker = subprocess.Popen(
        [sys.executable, "-c", REDACT_RUNS],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    try:
        out, _ = worker.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.communicate()
        raise AssertionError("redacting six 300 kB runs took over a minute") from None
    assert out == "done\n"
