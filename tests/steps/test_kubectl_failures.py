"""`When I run `kubectl …`` heeds kubectl's exit code: a command that changes the cluster and fails
stops the scenario at that step, with kubectl's error in the message and the run in the evidence;
a read that fails is judged by the step that compares its output, as before."""

from __future__ import annotations

import json
import shutil
from types import SimpleNamespace
from typing import Any

import pytest

from harness.report.status import Status, failure_status
from harness.steps.kubectl import KubectlFailed, KubectlResult

pytest_plugins = ["pytester"]

NOT_FOUND = 'Error from server (NotFound): modulereleases.deckhouse.io "module-one-0.7.24" not found\n'
UNKNOWN = 'Error: unknown command "sl" for "kubectl"\n\nDid you mean this?\n\tlogs\n\tcp\n\n'


class _Evidence:
    def __init__(self) -> None:
        self.runs: list[tuple[str, str]] = []
        self.rows: list[str | None] = []

    def kubectl(
        self, command: str, output: str, expected: str | None = None, *, row: str | None = None
    ) -> None:
        self.runs.append((command, output))
        self.rows.append(row)


class _Kubectl:
    """Answers every command with one result, as kubectl would have printed it."""

    def __init__(self, stderr: str, returncode: int) -> None:
        self.stderr, self.returncode = stderr, returncode

    def run(self, command: str) -> KubectlResult:
        return KubectlResult(command, "", self.stderr, self.returncode)


def _world(stderr: str, returncode: int = 1) -> Any:
    kubectl = _Kubectl(stderr, returncode)
    return SimpleNamespace(
        kubectl_binary="kubectl",
        kubectl=lambda: kubectl,
        check=lambda attempt: attempt(),  # the simulator's: once
        target=SimpleNamespace(before_write=lambda: None),
        expect=lambda text: text,
        evidence=_Evidence(),
        last=None,
        retrying=False,
    )


def test_a_failed_write_fails_its_own_step_with_kubectls_error_and_is_recorded():
    from harness.steps.library.kubectl import run_kubectl

    world = _world(NOT_FOUND)
    command = 'kubectl annotate mr module-one-0.7.24 modules.deckhouse.io/approved="true"'
    with pytest.raises(KubectlFailed) as caught:
        run_kubectl(world, command)
    assert failure_status(caught.value) is Status.ERROR
    assert str(caught.value) == f"`{command}` failed (exit 1): {NOT_FOUND.strip()}"
    assert world.evidence.runs == [(command, NOT_FOUND)]


@pytest.mark.parametrize(
    "command", ["kubectl get mr module-one-0.7.24", "kubectl -n d8-system logs -l app=deckhouse", "get mr"]
)
def test_a_failed_read_is_left_to_the_step_that_compares_it(command):
    from harness.steps.library.kubectl import output_contains, run_kubectl

    world = _world(NOT_FOUND)
    run_kubectl(world, command)
    assert world.evidence.runs == []
    with pytest.raises(AssertionError, match=r"failed \(exit 1\): Error from server \(NotFound\)"):
        output_contains(world, "module-one")
    assert len(world.evidence.runs) == 1


def test_kubectls_error_is_its_error_line_and_the_hint_below_it_not_the_last_suggestion():
    result = KubectlResult("kubectl sl", "", UNKNOWN, 1)
    assert (
        result.error_text == 'Error: unknown command "sl" for "kubectl"\n  Did you mean this?\n  logs\n  cp'
    )


def test_a_word_kubectl_took_for_a_plugin_is_named_as_the_unknown_command():
    """The harness puts --kubeconfig first, so kubectl answers an unknown command with a plugin
    error naming the scenario's kubeconfig path, which says nothing to the author."""
    stderr = "error: flags cannot be placed before plugin name: --kubeconfig=/tmp/dkp-x/kubeconfig\n"
    result = KubectlResult("kubectl ls /", "", stderr, 1)
    assert result.error_text.startswith('unknown command "ls" for "kubectl": the step runs kubectl')
    assert "/tmp/dkp-x" not in result.error_text


FEATURE = """\
Feature: kubectl that fails

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module     | version | channels |
      | module-one | v0.7.24 | stable   |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And 3 minutes pass

  Scenario: A typo in the release name
    When I run `kubectl annotate mr module-one-0.7.24 modules.deckhouse.io/approved="true"`
    Then the ModuleRelease "module-one-v0.7.24" has a message containing "approved"

  Scenario: Not a kubectl command
    When I run `ls /`
    Then the output contains "bin"

  Scenario: A read that fails is judged where it is compared
    When I run `kubectl get mr module-one-v0.7.99`
    Then the output contains "module-one"

  Scenario: A resource type no cluster has
    When I run `kubectl get mdule`
    Then the output contains "module-one"
"""


@pytest.mark.registry
@pytest.mark.skipif(shutil.which("kubectl") is None, reason="the scenario runs the real kubectl")
def test_failed_kubectl_commands_on_the_simulator(pytester, feature_project):
    feature_project("kubectl_fails", FEATURE)
    recorder = pytester.inline_run(
        "-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist",
        "-p", "harness.report.plugin", "--conformance-report", "out",
    )  # fmt: skip
    recorder.assertoutcome(failed=4)
    errors = {call.step.line_number: call.exception for call in recorder.getcalls("pytest_bdd_step_error")}
    assert sorted(errors) == [12, 16, 21, 24]  # the commands' own lines, the compare step of the read
    assert isinstance(errors[12], KubectlFailed)
    assert 'modulereleases.deckhouse.io "module-one-0.7.24" not found' in str(errors[12])
    assert isinstance(errors[16], KubectlFailed)
    assert 'unknown command "ls" for "kubectl"' in str(errors[16])
    assert type(errors[21]) is AssertionError
    assert 'modulereleases.deckhouse.io "module-one-v0.7.99" not found' in str(errors[21])
    assert 'the server doesn\'t have a resource type "mdule"' in str(errors[24])

    report = json.loads((pytester.path / "out" / "conformance.json").read_text())
    [feature] = report["features"]
    scenarios = {s["name"]: s for s in feature["scenarios"]}
    typo = scenarios["A typo in the release name"]
    assert typo["status"] == "error"
    [run] = typo["evidence"]["kubectl_runs"]
    assert run["command"].startswith("kubectl annotate mr module-one-0.7.24")
    assert "NotFound" in run["output"]
    assert scenarios["Not a kubectl command"]["status"] == "error"
    assert scenarios["A read that fails is judged where it is compared"]["status"] == "failed"
    assert scenarios["A resource type no cluster has"]["status"] == "error"


def test_a_column_the_output_does_not_print_is_the_scenarios_mistake_with_the_nearest_column():
    from harness.steps.errors import ScenarioError
    from harness.steps.library.kubectl import row_reads

    world = _world("", returncode=0)
    table = "NAME      COUNT   SYNC   MSG\nexample   1       3m     \n"
    world.last = KubectlResult("kubectl get ms", table, "", 0)
    with pytest.raises(ScenarioError) as caught:
        row_reads(world, "example", [["COUNTS", "1"]])
    message = str(caught.value)
    assert "`kubectl get ms` prints no column 'COUNTS' (did you mean 'COUNT'?" in message
    assert "its columns: NAME, COUNT, SYNC, MSG" in message
    row_reads(world, "example", [["COUNT", "1"]])  # the column as printed passes


def test_a_resource_type_the_cluster_does_not_have_is_the_scenarios_mistake_even_for_a_read():
    """`kubectl get modul` failed the comparing step as if DKP showed nothing: a typo, not a claim."""
    from harness.steps.errors import ScenarioError
    from harness.steps.library.kubectl import run_kubectl

    world = _world('error: the server doesn\'t have a resource type "modul"\n')
    with pytest.raises(ScenarioError) as caught:
        run_kubectl(world, "kubectl get modul")
    assert failure_status(caught.value) is Status.ERROR
    assert "`kubectl get modul` failed (exit 1)" in str(caught.value)
    assert "`module`, `mr` (ModuleRelease)" in str(caught.value)


@pytest.mark.parametrize(
    ("command", "advice"),
    [
        ("kubectl get ms -w", "-w makes kubectl go on until it is stopped: drop it"),
        ("kubectl wait --for=delete mr/x", "it waited for something that did not come"),
    ],
)
def test_a_kubectl_call_that_does_not_end_is_stopped_with_why(monkeypatch, tmp_path, command, advice):
    import subprocess

    from harness.steps import kubectl as module

    def never_ends(argv: list[str], **kwargs: Any) -> None:
        raise subprocess.TimeoutExpired(argv, kwargs["timeout"])

    monkeypatch.setattr(module.subprocess, "run", never_ends)
    runner = module.Kubectl("kubectl", tmp_path / "kubeconfig", tmp_path)
    with pytest.raises(KubectlFailed) as caught:
        runner.run(command)
    assert str(caught.value).startswith(f"`{command}` did not end within 30 s and was stopped: {advice}")
    assert str(tmp_path) not in str(caught.value)  # no kubeconfig path, no binary path
    assert failure_status(caught.value) is Status.ERROR


def test_a_write_naming_an_object_not_there_yet_is_run_again_as_a_check_is_on_a_real_cluster():
    """The page's `kubectl annotate mr …` right after a rescan: on a real cluster DKP may not have
    made the release yet; the write waited for nothing and ended "could not check", where the
    step `When I annotate the ModuleRelease …` is retried until the release is there."""
    from harness.steps.library.kubectl import run_kubectl

    answers = [KubectlResult("c", "", NOT_FOUND, 1), KubectlResult("c", "", NOT_FOUND, 1)]
    answers.append(KubectlResult("c", "modulerelease.deckhouse.io/module-one-v0.7.24 annotated\n", "", 0))

    def eventually(attempt: Any) -> Any:  # a real target's check: again after an assertion
        for _ in range(5):
            try:
                return attempt()
            except AssertionError:
                continue
        return attempt()

    world = _world(NOT_FOUND)
    world.kubectl = lambda: SimpleNamespace(run=lambda command: answers.pop(0))
    world.check = eventually
    run_kubectl(world, 'kubectl annotate mr module-one-v0.7.24 modules.deckhouse.io/approved="true"')
    assert answers == [] and world.last.returncode == 0 and world.evidence.runs == []


def test_a_row_check_records_the_row_under_the_clusters_name():
    """On a real cluster the step looks up `module-one-qa7e2`; the report looked up `module-one`
    and showed "(row not found)" under "as expected"."""
    from harness.steps.library.kubectl import row_reads

    world = _world("", returncode=0)
    world.expect = lambda text: text.replace("module-one", "module-one-qa7e2")
    world.last = KubectlResult(
        "kubectl get module", "NAME               WEIGHT\nmodule-one-qa7e2   900\n", "", 0
    )
    row_reads(world, "module-one", [["WEIGHT", "900"]])
    assert world.evidence.rows == ["module-one-qa7e2"]
