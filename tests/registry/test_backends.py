"""Backend lifecycles: addresses, auth, logs, cleanup, and the ``auto`` choice."""

from __future__ import annotations

import os

import httpx
import pytest

from harness.registry import Publisher
from harness.registry.backends import (
    BackendUnavailable,
    DistributionBackend,
    ExternalBackend,
    ZotBackend,
    choose_auto,
    create_backend,
    selection,
)

from .conftest import ALICE

pytestmark = pytest.mark.registry


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie would still exist; the backend waits for its child, so none should remain
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] != "Z"


def test_distribution_listens_on_loopback_and_answers_v2(registry):
    host, port = registry.address.split(":")
    assert host == "127.0.0.1" and int(port) > 0
    response = httpx.get(f"http://{registry.address}/v2/", verify=False)
    assert response.status_code == 200
    assert response.headers["docker-distribution-api-version"] == "registry/2.0"


def test_stop_removes_the_process_and_the_temp_dir(registry_binary):
    backend = DistributionBackend(binary=registry_binary)
    backend.start()
    workdir, pid = backend.workdir, backend.pid
    assert workdir is not None and workdir.exists() and pid is not None
    backend.stop()
    assert not workdir.exists()
    assert not _process_exists(pid)
    backend.stop()  # idempotent


def test_logs_survive_stop(registry_binary):
    with DistributionBackend(binary=registry_binary) as backend:
        httpx.get(f"http://{backend.address}/v2/", verify=False)
    assert "listening on 127.0.0.1:" in backend.logs()
    assert '"GET /v2/ HTTP/1.1" 200' in backend.logs()


def test_a_failed_start_leaves_nothing_behind(tmp_path):
    fake = tmp_path / "docker-registry"
    fake.write_text("#!/bin/sh\necho 'configuration error: nope' >&2\nexit 1\n")
    fake.chmod(0o755)
    backend = DistributionBackend(binary=str(fake))
    with pytest.raises(
        BackendUnavailable, match=r"exited while starting; its log ends:\n.*configuration error"
    ):
        backend.start()
    assert backend.workdir is None
    with pytest.raises(RuntimeError, match="not started"):
        _ = backend.address


def test_basic_auth_is_required_and_the_password_is_stored_only_as_bcrypt(own_auth_registry):
    assert httpx.get(f"http://{own_auth_registry.address}/v2/", verify=False).status_code == 401
    assert (
        httpx.get(
            f"http://{own_auth_registry.address}/v2/", auth=("alice", "s3cret-pass"), verify=False
        ).status_code
        == 200
    )
    htpasswd = (own_auth_registry.workdir / "htpasswd").read_text()
    assert htpasswd.startswith("alice:$2b$") and "s3cret-pass" not in htpasswd
    assert "s3cret-pass" not in repr(own_auth_registry) + own_auth_registry.logs()


def test_delete_is_enabled_in_the_registry_we_configure(registry):
    with Publisher(registry.address) as pub:
        pub.publish("m", "v1.0.0", channels=["stable"])
        pub.remove_tag("m/release", "stable")


def test_external_backend_has_no_lifecycle(registry):
    backend = ExternalBackend(f"http://{registry.address}")
    with backend:
        assert backend.address == registry.address
        assert backend.workdir is None
    assert httpx.get(f"http://{registry.address}/v2/", verify=False).status_code == 200


def test_external_backend_rejects_a_path():
    with pytest.raises(ValueError, match="HOST:PORT"):
        ExternalBackend("127.0.0.1:5000/deckhouse")


def test_auto_prefers_zot_in_docker_when_the_image_is_present(monkeypatch):
    monkeypatch.setattr(selection, "docker_image_present", lambda image, host=None: True)
    assert isinstance(choose_auto(), ZotBackend)


def test_auto_falls_back_to_the_registry_binary(monkeypatch, registry_binary):
    monkeypatch.setattr(selection, "docker_image_present", lambda image, host=None: False)
    backend = choose_auto(credentials=ALICE)
    assert isinstance(backend, DistributionBackend)
    assert backend.credentials == ALICE


def test_auto_without_docker_or_binary_says_how_to_get_a_registry(monkeypatch):
    monkeypatch.setattr(selection, "docker_image_present", lambda image, host=None: False)
    monkeypatch.setattr(selection, "find_binary", lambda: None)
    with pytest.raises(BackendUnavailable) as caught:
        choose_auto()
    message = str(caught.value)
    assert "apt-get install docker-registry" in message
    assert "zot" in message and "--backend external" in message


def test_a_docker_daemon_that_does_not_answer_means_docker_is_not_used(tmp_path):
    assert selection.docker_image_present("any", f"unix://{tmp_path}/no.sock") is False


def test_unknown_backend_names_list_the_choices():
    with pytest.raises(ValueError, match="auto, distribution, zot, external"):
        create_backend("podman")


@pytest.mark.docker
def test_zot_backend_in_docker_serves_the_dkp_layout(docker_registry_image, make_client):
    image, docker_host = docker_registry_image
    backend = ZotBackend(image=image, credentials=ALICE, docker_host=docker_host)
    with backend:
        container = backend.container_id
        assert backend.address.startswith("127.0.0.1:")
        with Publisher(backend.address, auth=ALICE, storage_root=backend.storage_root) as pub:
            pub.publish("module-one", "v1.2.3", channels=["stable"])
        from harness.registry.credentials import encode_docker_cfg

        client = make_client(
            f"{backend.address}/deckhouse/modules", docker_cfg=encode_docker_cfg(backend.address, ALICE)
        )
        assert client.list_tags() == ["module-one"]
        assert b"v1.2.3" in client.read_image("module-one/release", "stable").files["version.json"]
        workdir = backend.workdir
    assert workdir is not None and not workdir.exists()
    from harness.registry.backends.zot import docker_client

    docker = docker_client(docker_host)
    try:
        assert container not in [c.id for c in docker.containers.list(all=True)]
    finally:
        docker.close()


def test_a_forgotten_stop_is_done_at_interpreter_exit(registry_binary):
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "from harness.registry.backends import DistributionBackend\n"
        "b = DistributionBackend(); b.start(); print(b.workdir, b.pid, flush=True)"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, timeout=60
    )
    workdir, pid = result.stdout.split()
    assert not Path(workdir).exists()
    assert not Path(f"/proc/{pid}").exists()


def test_the_registry_runs_with_a_lazier_garbage_collector(registry):
    """Distribution 2.8 makes ~140 KB of garbage per request; GOGC=1000 halves its CPU per request."""
    with open(f"/proc/{registry.pid}/environ", "rb") as environ:
        variables = dict(item.split(b"=", 1) for item in environ.read().split(b"\0") if b"=" in item)
    assert variables[b"GOGC"] == b"1000"
    assert variables[b"GOMEMLIMIT"] == b"512MiB"


def test_a_garbage_collector_setting_of_the_environment_wins():
    from harness.registry.backends.process import go_runtime_environment

    assert go_runtime_environment({"GOGC": "50", "PATH": "/bin"}) == {
        "GOGC": "50",
        "GOMEMLIMIT": "512MiB",
        "PATH": "/bin",
    }
