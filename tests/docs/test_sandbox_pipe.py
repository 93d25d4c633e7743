"""The README starts the sandbox as `dkp-harness serve ... | tee LOG &`; stopping that job stops
the reader and the sandbox at once, and the sandbox must still stop cleanly and say nothing false."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from harness.registry.backends.distribution import find_binary

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 60.0  # seconds for a real `serve` (registry + API server) to print its ready line


def test_serve_stops_cleanly_when_its_reader_went_away_first(tmp_path):
    if find_binary() is None:
        pytest.skip("OCI registry binary not found: install it with `apt-get install -y docker-registry`")
    state = tmp_path / "state"
    state.mkdir()
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness", "serve", "--state-dir", str(state)],
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    os.close(write_end)
    try:
        line = b""
        while not line.endswith(b"\n"):
            ready, _, _ = select.select([read_end], [], [], READY_TIMEOUT)
            assert ready, f"serve did not finish its ready line: {line!r}"
            chunk = os.read(read_end, 4096)
            assert chunk, f"serve closed stdout before its ready line: {line!r}"
            line += chunk
        assert line.startswith(b"ready ")
        os.close(read_end)  # the reader (tee) is gone before the sandbox stops
        read_end = -1
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if read_end >= 0:
            os.close(read_end)
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=30)
    assert "cannot start" not in err, err
    assert "Broken pipe" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode == 0, err
    assert sorted(p.name for p in state.iterdir() if p.name in ("kubeconfig", "env", "control.json")) == []
