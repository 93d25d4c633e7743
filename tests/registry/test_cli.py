"""``dkp-harness registry`` and ``dkp-harness publish`` as a user runs them.

Subprocesses where the process is part of the subject (the entry point, its exit codes, the
``registry`` command's signals and children); the other publishes run through the CLI's ``main``
in this process (``tests/cli_in_process.py``).
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import tarfile
from pathlib import Path

import httpx
import pytest

from tests.cli_in_process import run_cli

from .conftest import FIXTURES

pytestmark = pytest.mark.registry

ROOT = Path(__file__).resolve().parents[2]
AUTH_ENV = "DKP_HARNESS_REGISTRY_AUTH"
ACCEPT = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"


def _cli(*args: str, auth: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != AUTH_ENV}
    if auth is not None:
        env[AUTH_ENV] = auth  # credentials never go on the command line
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
        env=env,
    )


def _bare_read(address: str, name: str, tag: str, file: str) -> bytes:
    """Pull one file the way any OCI client would, without harness code."""
    with httpx.Client(base_url=f"http://{address}", verify=False) as http:
        manifest = http.get(f"/v2/{name}/manifests/{tag}", headers={"Accept": ACCEPT}).json()
        blob = http.get(f"/v2/{name}/blobs/{manifest['layers'][0]['digest']}").content
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        member = tar.extractfile(file)
        assert member is not None
        return member.read()


def test_published_modules_are_visible_to_a_plain_http_client(registry):
    result = _cli(
        "publish",
        "--registry",
        registry.address,
        "--module",
        "module-one",
        "--version",
        "v1.2.3",
        "--channel",
        "stable",
        "--channel",
        "alpha",
        "--weight",
        "910",
        "--requires-deckhouse",
        ">= 1.60",
    )
    assert result.returncode == 0, result.stderr
    assert (
        _cli(
            "publish", "--registry", registry.address, "--module", "module-two", "--version", "0.9.0"
        ).returncode
        == 0
    )
    tags = httpx.get(f"http://{registry.address}/v2/deckhouse/modules/tags/list", verify=False).json()["tags"]
    assert sorted(tags) == ["module-one", "module-two"]
    version = _bare_read(registry.address, "deckhouse/modules/module-one/release", "stable", "version.json")
    assert json.loads(version) == {"version": "v1.2.3"}
    assert f"{registry.address}/deckhouse/modules/module-one/release:stable sha256:" in result.stdout


def test_publish_spec_from_the_fixtures(registry):
    code, _, err = run_cli(
        "publish", "--registry", registry.address, "--spec", str(FIXTURES / "two-modules.yaml")
    )
    assert code == 0, err
    version = _bare_read(registry.address, "deckhouse/modules/module-one/release", "alpha", "version.json")
    assert json.loads(version) == {"version": "v1.3.0"}


def test_publish_with_auth_and_hook_error(auth_registry, monkeypatch):
    publish = ("publish", "--registry", auth_registry.address, "--module", "m", "--version", "v1.0.0")
    monkeypatch.setenv(AUTH_ENV, "alice:s3cret-pass")  # credentials never go on the command line
    code, _, err = run_cli(*publish, "--hook-error", "boom")
    assert code == 0, err
    monkeypatch.setenv(AUTH_ENV, "alice:wrong")
    code, _, err = run_cli(*publish)
    assert code == 1
    assert "UNAUTHORIZED" in err and "wrong" not in err


def test_publish_without_a_module_explains_the_arguments(registry):
    result = _cli("publish", "--registry", registry.address)
    assert result.returncode == 4
    assert "--module NAME and --version vX.Y.Z (or use --spec FILE)" in result.stderr


def test_registry_command_prints_only_the_address_and_cleans_up_on_sigterm(registry_binary):
    process = subprocess.Popen(
        [sys.executable, "-m", "harness", "registry", "--backend", "distribution"],
        env={**os.environ, AUTH_ENV: "alice:pw"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        line = process.stdout.readline().strip()
        host, _, port = line.partition(":")
        assert host == "127.0.0.1" and port.isdigit()
        assert httpx.get(f"http://{line}/v2/", verify=False).status_code == 401
        assert httpx.get(f"http://{line}/v2/", auth=("alice", "pw"), verify=False).status_code == 200
        children = _children(process.pid)
        assert children, "the registry runs as a child process"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert process.stdout.read() == ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://{line}/v2/", verify=False)


def test_registry_command_with_a_bad_auth_value_says_the_expected_form():
    result = _cli("registry", "--backend", "distribution", auth="alice")
    assert result.returncode == 4
    assert "USER:PASSWORD" in result.stderr


def _children(pid: int) -> list[int]:
    """Children of every thread of ``pid`` (the registry is started by its supervisor thread)."""
    found: list[int] = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(p) for p in path.read_text().split()]
    return found


@pytest.fixture(autouse=True)
def _no_proxy_env(monkeypatch):
    for key in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(key, raising=False)


def test_publish_refuses_bad_accessibility_before_touching_the_registry(capsys):
    from harness.cli import main

    code = main(
        [
            "publish",
            "--registry",
            "127.0.0.1:9",
            "--module",
            "m",
            "--version",
            "v1.0.0",
            "--accessibility",
            "{ee: 1}",
        ]
    )
    assert code == 1
    assert "accessibility.ee must be a mapping with available and enabledInBundles" in capsys.readouterr().err
