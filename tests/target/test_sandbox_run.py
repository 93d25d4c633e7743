"""End to end: `dkp-harness run --kubeconfig` against a `dkp-harness serve --time-scale` sandbox.

The sandbox is reached only through its kubeconfig and its registry address, exactly what a real
cluster offers. A representative subset runs: a check after a rescan wait, kubectl output, a scan
that fails at the first sync with a message that must not show the dockerCfg, a scenario that needs
virtual time (fault injection, skipped with its reason) and one that needs a registry the harness
starts (skipped). Afterwards the sandbox holds none of the run's objects and its Deckhouse log shows
the run's modules. Waiting is real here (a scaled 3-minute scan is about 3.5 wall seconds): that is
real-target mode's nature, and every wait is bounded by a deadline. So only one scenario of the
subset waits for a rescan: a second (the missing release channel, which had been here) cost every
``make test`` another 3.5 s on one worker for a path the first already takes.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness.target.kubeclient import KubernetesClient

ROOT = Path(__file__).resolve().parents[2]
RUN_ID = "qa7e2"
SUBSET = " or ".join(
    [
        "dkp_rescans_the_source_every_three_minutes",
        "synchronised_and_its_modules_appear",
        "dockercfg_without_an_entry_for_the_registry_host",
        "source_cannot_be_read_never_starts",
        "without_the_dockercfg",
    ]
)

pytestmark = [pytest.mark.slow, pytest.mark.registry]


def _ready_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    if not selector.select(timeout):
        raise AssertionError(f"the sandbox printed nothing within {timeout} s")
    return process.stdout.readline()


@pytest.fixture
def sandbox(tmp_path):
    if not any(shutil.which(b) for b in ("docker-registry", "registry", "zot")):
        pytest.skip("no OCI registry binary (docker-registry) on PATH")
    state = tmp_path / "sandbox"
    process = subprocess.Popen(
        # 60x, not faster: a check compares timestamps within 30 s of the scenario's timeline, and
        # at 120x the sandbox answering 0.3 s late under CI load was 36 s (a failed first sync).
        [sys.executable, "-m", "harness", "serve", "--state-dir", str(state), "--time-scale", "60"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = _ready_line(process, 60)
        assert line.startswith("ready "), line
        fields = dict(part.split("=", 1) for part in line.split()[1:])
        yield state, fields["REGISTRY"]
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()


def test_the_suite_runs_against_a_time_scaled_sandbox_through_its_kubeconfig_and_leaves_nothing(
    sandbox, tmp_path
):
    state, registry = sandbox
    reports = tmp_path / "reports"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    done = subprocess.run(
        [
            sys.executable, "-m", "harness", "run",
            "--kubeconfig", str(state / "kubeconfig"),
            "--registry", registry, "--registry-scheme", "http",
            "--run-id", RUN_ID, "--report-dir", str(reports),
            "--", "-k", SUBSET, "-n", "0", "-p", "no:randomly", "-p", "no:cacheprovider",
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env=env, check=False,
    )  # fmt: skip
    failures = [line for line in done.stdout.splitlines() if line.startswith(("E  ", "FAILED", "ERROR"))]
    assert done.returncode == 0, "\n".join(failures[-40:]) + done.stderr[-2000:]

    results = ET.parse(reports / "junit.xml").getroot()
    counts = {key: int(results.get(key, "-1")) for key in ("tests", "failures", "errors", "skipped")}
    assert counts == {"tests": 5, "failures": 0, "errors": 0, "skipped": 2}, counts
    reasons = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED [")]
    assert any("needs virtual time: a registry answering 500" in line for line in reasons), reasons
    assert any("needs a registry the harness starts itself" in line for line in reasons), reasons
    assert (reports / "conformance.json").is_file()
    target = json.loads((reports / "conformance.json").read_text())["target"]
    assert target["time_mode"] == "scaled x60", target  # the scale serve was started with, not x59

    client = KubernetesClient.from_kubeconfig(state / "kubeconfig")
    try:
        left = []
        for api_version, kind in (
            ("deckhouse.io/v1alpha1", "ModuleSource"),
            ("deckhouse.io/v1alpha1", "Module"),
            ("deckhouse.io/v1alpha1", "ModuleRelease"),
            ("deckhouse.io/v1alpha1", "ModuleConfig"),
            ("deckhouse.io/v1alpha2", "ModuleUpdatePolicy"),
        ):
            items = client.list(client.resolve(api_version, kind))
            left += [f"{kind}/{o['metadata']['name']}" for o in items if o["metadata"]["name"] != "deckhouse"]
        assert left == [], f"the run left objects on the sandbox: {left}"
        pods = client.list(client.resolve("v1", "Pod"), namespace="d8-system", label_selector="app=deckhouse")
        log = (
            client.request(
                "GET", f"/api/v1/namespaces/d8-system/pods/{pods[0]['metadata']['name']}/log", stream=True
            )
            .read()
            .decode()
        )
    finally:
        client.close()
    reconciled = [json.loads(line) for line in log.splitlines() if f"-{RUN_ID}" in line]
    assert any(entry.get("msg") == "module created" for entry in reconciled), log[-2000:]
