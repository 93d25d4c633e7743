from __future__ import annotations

import base64
import json

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
