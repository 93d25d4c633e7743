"""Careless and hostile command lines: refused before any work, saying what is wrong and how to fix it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.cli import _checks, main

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]


class _Result:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def cli(capsys, monkeypatch):
    """The CLI in-process (argument checks happen before any work, so nothing else runs)."""
    monkeypatch.delenv(_checks.AUTH_ENV, raising=False)

    def run(*args: str) -> _Result:
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return _Result(code, out, err)

    return run


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI as a user runs it: a real process, so ``ps``-visible argv and exit codes are real."""
    clean = {k: v for k, v in os.environ.items() if k != _checks.AUTH_ENV}
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**clean, **(env or {})},
    )


@pytest.mark.parametrize(
    ("registry", "expected"),
    [
        ("", "--registry is empty"),
        ("http://127.0.0.1:5000", "has a scheme (http://)"),
        ("127.0.0.1:5000/deckhouse", "without a path"),
        ("127.0.0.1:http", "port must be a number"),
        ("127.0.0.1:70000", "port must be a number"),
        ("127.0.0.1:\u00b2", "port must be a number"),
        ("127.0.0.1:\u0663", "port must be a number"),
        ("127.0.0.1:\uff15000", "port must be a number"),
        ("bad host:5000", "is not a host name"),
    ],
)
def test_publish_refuses_a_bad_registry_address_before_any_network_call(cli, registry, expected):
    result = cli("publish", "--registry", registry, "--module", "m", "--version", "v1.0.0")
    assert result.returncode == 4
    assert expected in result.stderr
    assert "e.g. --registry 127.0.0.1:5000" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--module", "Bad_Name", "--version", "v1.0.0"), "'Bad_Name' is not a valid module name"),
        (("--module", "m", "--version", "1.0"), "'1.0' is not a version"),
        (("--module", "m", "--version", "v1.0.0", "--channel", "Stable!"), "not a release channel"),
        (("--module", "m", "--version", "v1.0.0", "--weight", "-3"), "--weight -3 is out of range"),
        (("--spec", "/no/such/spec.yaml"), "no such file"),
    ],
)
def test_publish_refuses_bad_module_arguments_with_a_fix(cli, args, expected):
    result = cli("publish", "--registry", "127.0.0.1:1", *args)
    assert result.returncode == 4
    assert expected in result.stderr


def test_time_advance_with_a_negative_duration_is_explained_by_the_real_command(tmp_path):
    result = _cli("time", "--state-dir", str(tmp_path), "advance", "-5m")
    assert result.returncode == 4
    assert "virtual time only moves forward" in result.stderr and "usage:" not in result.stderr


def test_a_password_on_the_command_line_is_refused_and_never_echoed():
    for command in (("registry", "--backend", "distribution"), ("publish", "--registry", "127.0.0.1:1")):
        result = _cli(*command, "--auth", "alice:TopSecret")
        assert result.returncode == 4
        assert _checks.AUTH_ENV in result.stderr and "--auth-file" in result.stderr
        assert "TopSecret" not in result.stderr + result.stdout


def test_credentials_come_from_a_file_or_the_environment(tmp_path, monkeypatch):
    secret = tmp_path / "auth"
    secret.write_text("alice:s3cret\n")
    found = _checks.credentials(secret)
    assert found is not None and (found.username, found.password) == ("alice", "s3cret")
    monkeypatch.setenv(_checks.AUTH_ENV, "bob:pw")
    found = _checks.credentials(None)
    assert found is not None and found.username == "bob"
    secret.write_text("no-colon")
    with pytest.raises(_checks.UsageError, match="must hold USER:PASSWORD") as caught:
        _checks.credentials(secret)
    assert "no-colon" not in str(caught.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-5m", "virtual time only moves forward"),
        ("100000000d", "past the year 9999"),
        ("99999999999999d", "past the year 9999"),
        ("5 parsecs", "invalid duration"),
    ],
)
def test_time_advance_refuses_bad_durations_without_a_sandbox(cli, tmp_path, value, expected):
    result = cli("time", "--state-dir", str(tmp_path), "advance", value)
    assert result.returncode == 4, result.stderr
    assert expected in result.stderr
    assert "usage:" not in result.stderr and "Traceback" not in result.stderr


def test_time_set_and_module_names_are_checked_before_contacting_the_sandbox(cli, tmp_path):
    result = cli("time", "--state-dir", str(tmp_path), "set", "tomorrow")
    assert result.returncode == 4 and "use RFC 3339" in result.stderr
    result = cli("module", "enable", "Bad_Name", "--state-dir", str(tmp_path))
    assert result.returncode == 4 and "not a valid module name" in result.stderr


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30))
def test_any_registry_text_is_either_accepted_as_host_port_or_explained(text):
    try:
        value = _checks.registry_address(text)
    except _checks.UsageError as exc:
        assert "--registry" in str(exc) and "e.g." in str(exc)
    else:
        assert "://" not in value and "/" not in value and value.strip() == value


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=20))
def test_any_duration_text_is_either_a_forward_duration_or_explained(text):
    try:
        delta = _checks.forward_duration(text)
    except _checks.UsageError as exc:
        assert str(exc)
    else:
        assert delta.total_seconds() >= 0


def test_the_control_endpoint_bounds_what_it_reads():
    import http.client

    from harness.cli._control import ControlServer

    server = ControlServer({("POST", "/echo"): lambda body: {"got": sorted(body)}}, "tok")
    server.start()
    try:
        port = int(server.url.rsplit(":", 1)[1])
        for body, headers, expected in (
            (b"{}", {"Content-Length": str(10**9)}, 413),
            (b"[1]", {}, 400),
            (b'{"a": 1}', {}, 200),
        ):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.putrequest("POST", "/echo")
            conn.putheader("Authorization", "Bearer tok")
            conn.putheader("Content-Length", headers.get("Content-Length", str(len(body))))
            conn.endheaders()
            conn.send(body)
            response = conn.getresponse()
            assert response.status == expected, response.read()
            conn.close()
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--deckhouse-version", "abc"), "Deckhouse version 'abc' is not understood"),
        (("--kubernetes-version", "1.x"), "is not a Kubernetes version"),
        (("--release-channel", "Bogus"), "use one of Alpha, Beta, EarlyAccess, Stable, RockSolid"),
    ],
)
def test_serve_checks_its_settings_before_touching_the_state_dir(cli, tmp_path, args, expected):
    state = tmp_path / "state"
    result = cli("serve", "--state-dir", str(state), *args)
    assert result.returncode == 4
    assert expected in result.stderr
    assert not state.exists()


def test_apiserver_reports_an_unwritable_kubeconfig(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = _cli("apiserver", "--kubeconfig", str(blocker / "kc"))
    assert result.returncode == 4
    assert "cannot write it" in result.stderr and "Traceback" not in result.stderr


def test_a_worker_count_beyond_the_machine_is_refused_before_any_worker_starts(cli, monkeypatch):
    # `-n 100000` (a typo) made pytest-xdist fork Python processes until the machine ran out.
    from harness.cli import run as run_module

    def no_pytest(command):
        raise AssertionError("pytest must not start for a refused command line")

    monkeypatch.setattr(run_module, "run_pytest", no_pytest)
    most = run_module.max_workers()
    result = cli("run", "-n", "100000", "features/approval")
    assert result.returncode == 4
    assert "argument -n: 100000 workers is more than this machine can run" in result.stderr
    assert f"give at most {most} (4 per CPU), or auto" in result.stderr
    assert run_module.worker_count(str(most)) == str(most)


@pytest.mark.parametrize(
    "args",
    [
        ("run", "--report-dir", ""),
        ("serve", "--state-dir", " "),
        ("time", "--state-dir", "", "now"),
        ("report", "compare", "", "reports"),
    ],
)
def test_an_empty_path_is_refused_not_taken_as_the_current_directory(cli, args, tmp_path, monkeypatch):
    # Path("") is ".": `--report-dir "$REPORTS"` with the variable unset wrote the reports here.
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.returncode == 4
    assert "the path is empty (an unset shell variable?)" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("scale", ["inf", "1e400", "2000000"])
def test_a_time_scale_past_the_calendar_is_refused_before_the_sandbox_starts(cli, tmp_path, scale):
    # --time-scale inf started the sandbox and ended it in "cannot convert float NaN to integer".
    from harness.clock import MAX_TIME_SCALE, ScaledClock

    result = cli("serve", "--state-dir", str(tmp_path), "--time-scale", scale)
    assert result.returncode == 4
    assert f"the time scale must be at most 1000000 (a virtual year in about 32 seconds), got {scale}" in (
        result.stderr
    )
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="at most 1000000"):
        ScaledClock(float(scale))
    assert ScaledClock(MAX_TIME_SCALE).scale == MAX_TIME_SCALE


@pytest.mark.parametrize("version", ["", "  "])
def test_an_empty_deckhouse_version_is_refused_not_taken_as_the_pages_era(cli, tmp_path, version):
    # `--deckhouse-version "$VERSION"` with the variable unset ran v1.67.0 without a word (the -k
    # matches nothing: had the option been taken, the run would end 5, "no scenario matched")
    result = cli("run", "--deckhouse-version", version, "-k", "no_scenario_zz", "--report-dir", str(tmp_path))
    assert result.returncode == 4, result.stderr
    assert f"Deckhouse version {version!r} is empty" in result.stderr
    assert "leave the option out for the page's era" in result.stderr


def test_pytests_own_deckhouse_version_option_refuses_an_empty_value(pytester):
    pytester.makeconftest('pytest_plugins = ["harness.steps.eras_plugin"]')
    result = pytester.runpytest_inprocess("--dkp-deckhouse-version=")
    assert result.ret == 4
    assert "Deckhouse version '' is empty" in result.stderr.str()
