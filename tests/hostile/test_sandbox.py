"""``dkp-harness serve`` defends its state dir: one sandbox per dir, no secrets left after any exit."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from harness.registry.backends.distribution import find_binary

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 60.0  # seconds for a real `serve` (registry + API server) to print its ready line
STATE_FILES = ("kubeconfig", "env", "control.json", "serve.lock", "tmp")


def _harness(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@contextmanager
def _serve(state: Path) -> Iterator[subprocess.Popen[str]]:
    """A running ``serve`` (ready); killed on the way out if the test did not end it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness", "serve", "--state-dir", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        ready, _, _ = select.select([proc.stdout], [], [], READY_TIMEOUT)
        line = proc.stdout.readline() if ready else ""  # type: ignore[union-attr]
        assert line.startswith("ready "), f"serve did not get ready: {line!r}"
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


@pytest.fixture
def registry_binary() -> None:
    if find_binary() is None:
        pytest.skip("OCI registry binary not found: install it with `apt-get install -y docker-registry`")


def test_serve_on_a_file_is_refused_without_a_traceback(tmp_path):
    target = tmp_path / "not-a-dir"
    target.write_text("x")
    result = _harness("serve", "--state-dir", str(target))
    assert result.returncode == 4
    assert "is a file, not a directory" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_second_serve_is_refused_and_sighup_leaves_nothing_behind(tmp_path, registry_binary):
    state = tmp_path / "state"
    with _serve(state) as first:
        kubeconfig = (state / "kubeconfig").read_text()
        second = _harness("serve", "--state-dir", str(state))
        assert second.returncode == 4
        assert f"belongs to a running sandbox (PID {first.pid})" in second.stderr
        assert (state / "kubeconfig").read_text() == kubeconfig  # the first sandbox is untouched
        assert (state / "control.json").exists()

        unknown = _harness("module", "enable", "no-such-module", "--state-dir", str(state))
        assert unknown.returncode == 1
        assert 'enable module failed: module "no-such-module" not found' in unknown.stderr

        first.send_signal(signal.SIGHUP)
        assert first.wait(timeout=60) == 0
    assert [name for name in STATE_FILES if (state / name).exists()] == []


@pytest.mark.slow
def test_after_kill_9_the_next_serve_removes_the_leftovers(tmp_path, registry_binary):
    state = tmp_path / "state"
    with _serve(state) as first:
        secrets_before = sorted(p.name for p in (state / "tmp").iterdir())
        assert any(name.startswith("dkp-harness-tls-") for name in secrets_before)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    assert (state / "tmp").exists() and (state / "kubeconfig").exists()  # what kill -9 leaves

    with _serve(state) as second:
        remaining = sorted(p.name for p in (state / "tmp").iterdir())
        assert not set(secrets_before) & set(remaining)
        second.send_signal(signal.SIGTERM)
        _, errors = second.communicate(timeout=60)
        assert second.returncode == 0
        assert "removed leftovers of a sandbox that did not stop cleanly" in errors
    assert [name for name in STATE_FILES if (state / name).exists()] == []
