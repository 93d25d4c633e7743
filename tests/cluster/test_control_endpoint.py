"""The sandbox's control endpoint and the light client the time/settle/module commands use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cli._control import ControlError, ControlServer, call

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(tmp_path):
    routes = {
        ("GET", "/now"): lambda body: {"now": "2024-12-16T09:00:00Z"},
        ("POST", "/echo"): lambda body: {"got": body},
        ("POST", "/bad"): lambda body: {"x": body["missing"]},
    }
    control = ControlServer(routes, token="t0ken")
    control.start()
    control.write_state(tmp_path)
    yield control
    control.stop()


def test_a_call_with_the_token_gets_the_answer(server, tmp_path):
    assert call(tmp_path, "GET", "/now") == {"now": "2024-12-16T09:00:00Z"}
    assert call(tmp_path, "POST", "/echo", {"a": [1, 2]}) == {"got": {"a": [1, 2]}}


def test_errors_come_back_with_the_servers_reason(server, tmp_path):
    with pytest.raises(ControlError, match="no control route GET /nope"):
        call(tmp_path, "GET", "/nope")
    with pytest.raises(ControlError, match="'missing'"):
        call(tmp_path, "POST", "/bad", {})
    state = json.loads((tmp_path / "control.json").read_text())
    (tmp_path / "control.json").write_text(json.dumps({**state, "token": "wrong"}))
    with pytest.raises(ControlError, match="missing or wrong control token") as caught:
        call(tmp_path, "GET", "/now")
    assert "wrong" not in str(caught.value).replace("missing or wrong", "")


def test_a_stopped_sandbox_is_reported_as_not_answering(tmp_path):
    control = ControlServer({}, token="t")
    control.start()
    control.write_state(tmp_path)
    control.stop()
    with pytest.raises(ControlError, match="does not answer"):
        call(tmp_path, "GET", "/now")
    with pytest.raises(ControlError, match="no sandbox is running"):
        call(tmp_path / "elsewhere", "GET", "/now")


def test_a_state_dir_that_is_a_file_is_named_as_such(tmp_path):
    """It printed Python's ``[Errno 20] Not a directory`` for ``DIR/control.json``."""
    a_file = tmp_path / "state"
    a_file.write_text("")
    with pytest.raises(
        ControlError, match=r"--state-dir .*state is a file, not a directory: give the directory"
    ):
        call(a_file, "GET", "/now")


def test_client_commands_import_neither_tls_nor_email_nor_http_server(server, tmp_path):
    code = (
        "import sys\n"
        "from harness.cli import main\n"
        f"rc = main(['time', '--state-dir', {str(tmp_path)!r}, 'now'])\n"
        "heavy = sorted(m for m in ('ssl', 'email', 'http.server', 'http.client', 'urllib.request',"
        " 'harness.cluster', 'harness.cli.serve', 'shutil', 'lzma', 'datetime', 'typing', 'argparse')"
        " if m in sys.modules)\n"
        "print(rc, heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr
    assert "2024-12-16T09:00:00Z" in done.stdout
