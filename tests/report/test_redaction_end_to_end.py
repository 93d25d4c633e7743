"""Secrets planted in every place a scenario can put text never reach any report file."""

from __future__ import annotations

import base64
import json

import pytest

from .conftest import LEAN_SUBPROCESS

pytest_plugins = ["pytester"]

AUTH = base64.b64encode(b"alice:DockerPw-5151").decode()
DOCKER_CFG = base64.b64encode(
    json.dumps({"auths": {"registry.example.com": {"auth": AUTH}}}).encode()
).decode()
SECRETS = {
    "step text": "S3cretStepPw",
    "docker config blob": DOCKER_CFG,
    "docker config auth": AUTH,
    "docker password": "DockerPw-5151",
    "bearer token": "EvidenceBearerTok123",
    "url password": "UrlPw999",
    "failure message": "FailureTok777",
    "registered literal": "LiteralSecret-4242",
}

FEATURE = f'''\
Feature: Private registry

  @claim:MS-01
  Scenario: Credentials everywhere
    Given the registry login is "alice" with password=S3cretStepPw
    And the ModuleSource
      """
      spec:
        registry:
          repo: registry.example.com/modules
          dockerCfg: {DOCKER_CFG}
      """
    Then the sync fails

  @claim:MS-03
  Scenario: A harness error echoes a generated password
    Given a generated password is refused
'''

STEPS = """\
from pytest_bdd import given, parsers, scenarios, then

from harness.report.redaction import register_secret

scenarios("features/private.feature")


@given(parsers.re('the registry login is "alice" with (?P<cred>.+)'))
def _(conformance_evidence, cred):
    conformance_evidence.kubectl(
        "kubectl get ms -v=8",
        "GET /apis with Authorization: Bearer EvidenceBearerTok123\\nrepo https://alice:UrlPw999@registry.example.com",
    )


@given("the ModuleSource")
def _(conformance_evidence, docstring):
    conformance_evidence.objects_yaml("ModuleSource/private", docstring)
    conformance_evidence.diff("spec.registry.dockerCfg", "c2VjcmV0", "c2VjcmV0Mg==")


@then("the sync fails")
def _():
    print("debug: token: FailureTok777")
    assert False, "login rejected; token: FailureTok777"


@given("a generated password is refused")
def _(conformance_evidence):
    register_secret("LiteralSecret-4242")
    conformance_evidence.log(["htpasswd alice LiteralSecret-4242"])
    raise RuntimeError("registry refused LiteralSecret-4242")
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one-process", "xdist"])
def test_planted_secrets_appear_in_no_output_file(bdd_project, claims_yaml, workers):
    """Under xdist the report is written by the controller, which never ran a step (so never
    registered the step's literal secret): the workers' payloads must arrive redacted."""
    bdd_project.makefile(".feature", **{"features/private": FEATURE})
    bdd_project.makepyfile(test_private=STEPS)
    run = bdd_project.runpytest_subprocess if workers else bdd_project.runpytest
    lean = LEAN_SUBPROCESS if workers else ()
    result = run(
        "-p", "harness.report.plugin", "--conformance-report", "out", *workers, *lean, "test_private.py"
    )
    result.assert_outcomes(failed=2)
    outputs = {p.name: p.read_text() for p in (bdd_project.path / "out").iterdir()}
    assert len(outputs) == 4
    report = json.loads(outputs["conformance.json"])
    assert len([s for f in report["features"] for s in f["scenarios"]]) == 2
    for name, text in outputs.items():
        leaks = [what for what, secret in SECRETS.items() if secret in text]
        assert not leaks, f"{name} leaks: {leaks}"
    assert "&lt;redacted&gt;" in outputs["conformance.html"]


@pytest.mark.parametrize("secret", ["S3cretStepPw", "FailureTok777", "LiteralSecret-4242"])
def test_planted_secrets_stay_out_of_pytest_terminal_output(bdd_project, secret):
    bdd_project.makefile(".feature", **{"features/private": FEATURE})
    bdd_project.makepyfile(test_private=STEPS)
    result = bdd_project.runpytest("-p", "harness.report.plugin", "test_private.py")
    result.assert_outcomes(failed=2)
    assert secret not in result.stdout.str()
