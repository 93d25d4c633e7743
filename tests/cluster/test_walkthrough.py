"""The README walkthrough, performed for real: `dkp-harness serve` in the background, real kubectl.

The sandbox is a process of its own and kubectl a real subprocess (with the test's own
``--cache-dir``), as a user runs them. The other ``dkp-harness`` commands (``publish``, ``time``,
``module``) run through the CLI's ``main`` in this process, with the user's arguments and its exit
code: they reach the sandbox the way a user's would (its registry, its state folder's control
endpoint), and a Python process started for each cost ~0.1 s of CPU; ``python -m harness`` as a
process is the subject of ``tests/hostile/test_cli.py`` and ``tests/registry/test_cli.py``. The only
wait is on the serve process announcing readiness on stdout (bounded). The sandbox is stopped with
SIGTERM and must remove its state files.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from harness.registry.backends.distribution import find_binary
from harness.steps.kubectl import GO_DEFAULTS
from tests.cli_in_process import run_cli

pytestmark = [pytest.mark.kubectl, pytest.mark.registry, pytest.mark.slow]

READY_TIMEOUT = 30.0  # seconds for `serve` to print its ready line
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def sandbox(tmp_path):
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl not found: install it (e.g. `apt-get install kubectl`) to run the walkthrough")
    if find_binary() is None:
        pytest.skip("OCI registry binary not found: install it with `apt-get install -y docker-registry`")
    state = tmp_path / "state"
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness", "serve", "--state-dir", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([proc.stdout], [], [], READY_TIMEOUT)
        line = proc.stdout.readline() if ready else ""
        assert line.startswith("ready "), (
            f"serve did not get ready: {line!r} {proc.stderr.read() if proc.poll() else ''}"
        )
        env = dict(part.split("=", 1) for part in line.split()[1:])
        yield Sandbox(state, env, tmp_path / "kube-cache")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, errors = proc.communicate(timeout=30)  # also closes the pipes
    assert proc.returncode == 0, errors
    assert not any((state / name).exists() for name in ("kubeconfig", "env", "control.json", "tmp"))


class Sandbox:
    def __init__(self, state: Path, env: dict[str, str], cache: Path):
        self.state = state
        self.registry = env["REGISTRY"]
        self.env = {**GO_DEFAULTS, **os.environ, "KUBECONFIG": env["KUBECONFIG"]}  # for kubectl
        self.cache = cache

    def harness(self, *args: str) -> str:
        """``dkp-harness ARGS``, which must succeed: its output."""
        code, out, err = run_cli(*args)
        assert code == 0, f"dkp-harness {' '.join(args)} failed: {err}"
        return out

    def control(self, *args: str) -> str:
        return self.harness(*args[:1], "--state-dir", str(self.state), *args[1:])

    def kubectl(self, *args: str) -> str:
        return self._run(["kubectl", "--cache-dir", str(self.cache), *args])

    def apply(self, text: str) -> str:
        path = self.state / "manifest.yaml"
        path.write_text(text)
        return self.kubectl("apply", "-f", str(path))  # no settle: reads wait for the controllers

    def rows(self, *args: str) -> dict[str, list[str]]:
        """``kubectl get`` output as NAME → the other columns split on runs of spaces."""
        lines = self.kubectl("get", *args).splitlines()
        return {line.split()[0]: line.split()[1:] for line in lines[1:]}

    def _run(self, argv: list[str]) -> str:
        done = subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{' '.join(argv)} failed: {done.stderr}"
        return done.stdout

    def publish(self, module: str, version: str) -> None:
        self.harness(
            "publish",
            "--registry",
            self.registry,
            "--module",
            module,
            "--version",
            version,
            "--channel",
            "stable",
        )


SOURCE = """apiVersion: deckhouse.io/v1alpha1
kind: ModuleSource
metadata:
  name: example
spec:
  registry:
    repo: {registry}/deckhouse/modules
    scheme: HTTP
"""
POLICY = """apiVersion: deckhouse.io/v1alpha2
kind: ModuleUpdatePolicy
metadata:
  name: manual
spec:
  releaseChannel: Stable
  update:
    mode: Manual
"""
CONFIG = """apiVersion: deckhouse.io/v1alpha1
kind: ModuleConfig
metadata:
  name: module-one
spec:
  enabled: true
  source: example
  updatePolicy: manual
"""
APPROVAL = "Release is waiting for the 'modules.deckhouse.io/approved: \"true\"' annotation"


def test_documented_flow_from_source_to_approved_update(sandbox):
    sandbox.publish("module-one", "v0.7.23")
    sandbox.publish("module-two", "v1.2.5")
    sandbox.apply(SOURCE.format(registry=sandbox.registry))
    assert sandbox.kubectl("get", "ms").split("\n")[0].split() == ["NAME", "COUNT", "SYNC", "MSG"]
    assert sandbox.rows("ms")["example"][0] == "2"

    sandbox.apply(POLICY)
    sandbox.apply(CONFIG)
    assert sandbox.rows("module", "module-one")["module-one"][-3:] == ["Downloading", "False", "False"]
    assert sandbox.control("time", "advance", "5s").strip() == "2024-12-16T09:00:05Z"
    assert sandbox.rows("module", "module-one")["module-one"][-3:] == ["Installing", "False", "False"]
    sandbox.control("time", "advance", "10s")
    assert sandbox.rows("module", "module-one")["module-one"] == ["900", "example", "Ready", "True", "True"]

    sandbox.publish("module-one", "v0.7.24")
    assert sandbox.control("time", "advance", "3m").strip() == "2024-12-16T09:03:15Z"
    pending = sandbox.kubectl(
        "get", "mr", "module-one-v0.7.24", "-o", "jsonpath={.status.phase}|{.status.message}"
    )
    assert pending == f"Pending|{APPROVAL}"
    assert sandbox.rows("mr")["module-one-v0.7.24"][:2] == ["Pending", "manual"]

    sandbox.kubectl(
        "annotate", "mr", "module-one-v0.7.24", "modules.deckhouse.io/approved=true"
    )  # shell: ="true"
    phases = {name: cols[0] for name, cols in sandbox.rows("mr").items()}
    assert phases == {"module-one-v0.7.23": "Superseded", "module-one-v0.7.24": "Deployed"}

    # The README shows the Module as YAML at the end of its run: uid, resourceVersion, condition
    # order and times are all deterministic, so its captured text must be what kubectl prints.
    sandbox.control("time", "advance", "15s")
    shown = sandbox.kubectl("get", "module", "module-one", "-o", "yaml")
    assert shown.rstrip("\n") == _readme_capture("$ kubectl get module module-one -o yaml")


def _readme_capture(command: str) -> str:
    """The output the README's captured run shows for ``command`` (up to the next blank line)."""
    text = README.read_text()
    start = text.index(command + "\n") + len(command) + 1
    return text[start : text.index("\n\n", start)]


def test_module_enable_cli_talks_to_the_running_sandbox(sandbox):
    code, _, err = run_cli("module", "enable", "module-x", "--state-dir", str(sandbox.state))
    assert code == 1
    assert 'enable module failed: module "module-x" not found' in err
    assert "module-x" not in sandbox.kubectl("get", "mc", "-o", "name")
    sandbox.publish("module-x", "v1.0.0")
    sandbox.apply(SOURCE.format(registry=sandbox.registry))
    assert "module-x" in sandbox.kubectl("get", "modules", "-o", "name")
    assert sandbox.control("module", "enable", "module-x").strip() == "Module module-x enabled"
    assert sandbox.kubectl("get", "mc", "module-x", "-o", "jsonpath={.spec.enabled}") == "true"
    sandbox.control("module", "disable", "module-x")
    assert sandbox.kubectl("get", "mc", "module-x", "-o", "jsonpath={.spec.enabled}") == "false"
    # The page's own command: deckhouse-controller in the leading Deckhouse pod.
    page = "-n d8-system exec svc/deckhouse-leader -c deckhouse -- deckhouse-controller module enable".split()
    assert sandbox.kubectl(*page, "module-x") == "Module module-x enabled\n"
    enabled = "jsonpath={.status.conditions[?(@.type=='EnabledByModuleConfig')].status}"
    assert sandbox.kubectl("get", "module", "module-x", "-o", enabled) == "True"  # the controllers saw it


def _refused_time(sandbox, *words: str) -> str:
    """``dkp-harness time`` that must fail (exit 1): its stderr."""
    code, out, err = run_cli("time", "--state-dir", str(sandbox.state), *words)
    assert code == 1, out
    return err


def test_time_cannot_go_back_and_says_why(sandbox):
    assert "only moves forward" in _refused_time(sandbox, "set", "2024-01-01T00:00:00Z")
    # The scenarios' spelling of a duration works too, quoted or not.
    assert sandbox.control("time", "advance", "2", "minutes").strip() == "2024-12-16T09:02:00Z"
    assert sandbox.control("time", "advance", "1 hour and 30 seconds").strip() == "2024-12-16T10:02:30Z"
    # A jump of decades would hold the sandbox for hours (the controllers take every look on the
    # way): at most a year per command.
    far = _refused_time(sandbox, "set", "9999-12-31T23:59:59Z")
    assert "the sandbox moves at most 366 days per command" in far
