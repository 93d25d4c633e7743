"""A simulator scenario run loads what it uses: no kubernetes client, a garbage collector tuned for tests."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from harness.steps.gc_plugin import THRESHOLDS

ROOT = Path(__file__).resolve().parents[2]


def test_a_simulator_run_never_imports_the_kubernetes_client_nor_anyio(tmp_path):
    """The kubernetes client (~0.4 s of imports per process) is for real clusters only; anyio's
    pytest plugin (~0.2 s) is switched off in pyproject.toml, nothing uses it; httpx's own CLI
    (click and rich, ~90 ms) is kept out by ``harness/__init__.py``; the report renderers'
    jinja2 (~40 ms) waits for the reports to be written, which xdist workers never do."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import sys\n"
        "def pytest_collection_finish(session):\n"
        "    heavy = ('kubernetes', 'anyio', 'rich', 'click', 'jinja2')\n"
        "    print('HEAVY', sorted(m for m in sys.modules if m.split('.')[0] in heavy)[:3])\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-s",
            "-p",
            "probe",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "scenarios",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        check=False,
    )
    assert "HEAVY []" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]
    assert " tests collected" in done.stdout or " test collected" in done.stdout


def test_this_process_runs_with_the_tuned_collector_and_a_frozen_startup_heap():
    """This very test process loaded the plugin from the root conftest."""
    assert gc.get_threshold() == THRESHOLDS
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_the_controller_plugins_and_the_run_command_load_no_http_client():
    """The xdist controller and ``dkp-harness run`` (until it starts pytest) never talk to a
    registry: importing their plugins and option parsers leaves httpx (~0.2 s with httpcore) out."""
    code = (
        "import sys\n"
        "import harness.steps.plugin, harness.report.plugin, harness.steps.schedule_plugin\n"
        "import harness.target.plugin, harness.cli.run\n"
        "from harness.registry import Credentials\n"
        "loaded = [m for m, module in sys.modules.items() if module is not None]\n"
        "print(sorted(m for m in loaded if m.split('.')[0] in ('httpx', 'httpcore'))[:3])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]", done.stdout
