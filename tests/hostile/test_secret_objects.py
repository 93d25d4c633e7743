"""A password planted in a Secret (any key) or a dockerCfg never reaches a report.

The values below are secret by place, not by key or shape: ``extra:`` is no secret-looking key,
and ``SHVudGVyMlBhc3N3b3Jk`` (base64 of "Hunter2Password") decodes to no docker config.
``kubectl get secret -o yaml`` printed them into the terminal and every report file.
"""

from __future__ import annotations

import base64
import json

import pytest

from harness.report import redaction
from harness.report.redaction import redact, redact_value
from harness.report.secret_objects import secret_values
from harness.steps.documents import parse_documents

SECRET_B64 = base64.b64encode(b"Hunter2Password").decode()
KUBECTL_YAML = f"""apiVersion: v1
data:
  extra: {SECRET_B64}
  plainkey: SHVudGVyMlBsYWluVmFsdWU=
  cert: |
    line one: x
    line two
kind: Secret
metadata:
  name: creds
  namespace: default
type: Opaque
"""


def test_kubectls_yaml_of_a_secret_keeps_its_keys_and_loses_its_values():
    shown = redact(KUBECTL_YAML)
    assert SECRET_B64 not in shown and "SHVudGVyMlBsYWluVmFsdWU" not in shown
    assert "line one" not in shown and "line two" not in shown
    assert "  extra: <redacted>" in shown and "  plainkey: <redacted>" in shown
    assert "name: creds" in shown and "type: Opaque" in shown


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"apiVersion": "v1", "kind": "Secret", "data": {"extra": SECRET_B64, "q": 'a"b'}}),
        json.dumps({"kind": "Secret", "data": {"extra": SECRET_B64}}, indent=4),
        json.dumps(
            json.dumps({"kind": "Secret", "stringData": {"extra": SECRET_B64}})
        ),  # JSON in a JSON string
        f"kind: Secret\nstringData: {{extra: {SECRET_B64}, other: 'x y'}}\n",
        f"items:\n- apiVersion: v1\n  data:\n    extra: {SECRET_B64}\n  kind: Secret\n",
    ],
)
def test_every_form_of_a_secret_is_redacted(text):
    shown = redact(text)
    assert SECRET_B64 not in shown
    assert "<redacted>" in shown


def test_a_configmap_alone_keeps_its_data():
    text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  extra: visible-value\n"
    assert redact(text) == text


def test_a_secret_value_keeps_its_keys_in_json_values():
    shown = redact_value({"kind": "Secret", "data": {"extra": SECRET_B64}, "metadata": {"name": "creds"}})
    assert shown == {"kind": "Secret", "data": {"extra": "<redacted>"}, "metadata": {"name": "creds"}}


def test_a_written_secret_and_a_dockercfg_register_their_values(monkeypatch):
    monkeypatch.setattr(redaction, "_registered", set())
    monkeypatch.setattr(redaction, "_registered_longest_first", ())
    auth = base64.b64encode(b"alice:Sup3rS3cretPW").decode()
    cfg = base64.b64encode(json.dumps({"auths": {"reg.example.com": {"auth": auth}}}).encode()).decode()
    parse_documents(
        f"kind: Secret\nmetadata: {{name: s}}\ndata:\n  extra: {SECRET_B64}\n  user: YWRtaW4=\n"
        f"---\nkind: ModuleSource\nspec:\n  registry:\n    dockerCfg: {cfg}\n"
    )
    # what kubectl's jsonpath prints, and a password copied into an annotation
    assert redact(f"{SECRET_B64}\nHunter2Password\nnote: pw is Sup3rS3cretPW") == (
        "<redacted>\n<redacted>\nnote: pw is <redacted>"
    )
    # a short or plain-word value ("admin") is not registered: it would hide every "admin" later
    assert "admin" in redact("user admin")


def test_plain_words_are_never_registered():
    assert secret_values({"kind": "Secret", "stringData": {"phase": "Deployed", "pw": "s3cr3t-value"}}) == [
        "s3cr3t-value"
    ]


ODD_DOCKER_CFGS = {
    "not base64": "not-base64!!Hunter2Password",
    "base64 of user:password": base64.b64encode(b"alice:Hunter2Password").decode(),
    "base64 of JSON without auths": base64.b64encode(json.dumps({"x": "Hunter2Password"}).encode()).decode(),
}


@pytest.mark.parametrize("cfg", ODD_DOCKER_CFGS.values(), ids=ODD_DOCKER_CFGS)
def test_a_dockercfg_that_is_no_docker_config_is_secret_whole(monkeypatch, cfg):
    # kubectl describe ms printed such a dockerCfg into the report whole, or all but
    # "not-base64"; base64 of a config without "auths" decodes to the password.
    monkeypatch.setattr(redaction, "_registered", set())
    monkeypatch.setattr(redaction, "_registered_longest_first", ())
    parse_documents(
        f"kind: ModuleSource\nmetadata: {{name: s}}\nspec:\n  registry:\n    dockerCfg: '{cfg}'\n"
    )
    decoded = base64.b64decode(cfg).decode() if cfg.isalnum() else ""
    shown = redact(f"the cfg is {cfg}\nit says {decoded}\n")
    assert shown == f"the cfg is <redacted>\nit says {'<redacted>' if decoded else ''}\n"


A_DOCKER_CONFIG = base64.b64encode(
    json.dumps(
        {"auths": {"reg.example": {"auth": base64.b64encode(b"alice:Hunter2Password").decode()}}}
    ).encode()
).decode()


@pytest.mark.parametrize(
    "cfg", [*ODD_DOCKER_CFGS.values(), A_DOCKER_CONFIG], ids=[*ODD_DOCKER_CFGS, "a config"]
)
def test_kubectl_describes_docker_cfg_field_is_redacted_and_the_next_field_kept(cfg):
    # a real docker config was redacted as base64 run folded over the line break: "Repo" went too
    described = f"Spec:\n  Registry:\n    Docker Cfg:  {cfg}\n    Repo:        127.0.0.1:5000/modules\n"
    assert redact(described) == (
        "Spec:\n  Registry:\n    Docker Cfg:  <redacted>\n    Repo:        127.0.0.1:5000/modules\n"
    )
