"""A registry (or fault proxy) that dies is noticed at once and restarted where it was, data intact.

No sleeps: each test waits on the supervisor's own death/restart counters with a bounded timeout.
"""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path

import httpx
import pytest

from harness.registry import Publisher, RegistryClient
from harness.registry.backends import DistributionBackend
from harness.registry.errors import RegistryError
from harness.registry.faults import FaultProxy

pytestmark = pytest.mark.registry

RESTART_WITHIN = 1.0  # seconds: the promise is "within a second"


def _zombie_or_gone(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().split()[2] == "Z"


def test_kill_9_is_followed_by_a_restart_on_the_same_address_with_everything_published(
    registry_binary, caplog
):
    caplog.set_level(logging.WARNING, logger="harness.registry")
    with DistributionBackend(binary=registry_binary) as backend:
        address, first = backend.address, backend.pid
        with Publisher(backend.address) as pub:
            digests = pub.publish("module-one", "v1.2.3", channels=["stable"])
        supervisor = backend.supervisor
        assert supervisor is not None and first is not None

        os.kill(first, signal.SIGKILL)

        assert supervisor.wait_restarts(1, RESTART_WITHIN), backend.logs()[-600:]
        assert backend.address == address and backend.pid not in (None, first)
        assert not Path(f"/proc/{first}").exists(), "the dead child was reaped, not left a zombie"
        with RegistryClient.for_source(f"{address}/deckhouse/modules", scheme="HTTP") as client:
            assert client.list_tags() == ["module-one"]
            image = client.read_image("module-one/release", "stable")
        assert image.digest == digests["module-one/release:stable"]
        assert b"v1.2.3" in image.files["version.json"]
        with Publisher(address) as pub:
            pub.publish("module-two", "v0.1.0", channels=["stable"])  # and it takes new pushes

    messages = [r.getMessage() for r in caplog.records if r.name == "harness.registry"]
    assert any(f"pid {first}" in m and "died (killed by SIGKILL)" in m for m in messages), messages
    assert any("restarted on " + address in m for m in messages), messages
    assert "died (killed by SIGKILL)" in backend.logs()


def test_a_stopped_registry_is_not_restarted(registry_binary):
    backend = DistributionBackend(binary=registry_binary)
    backend.start()
    supervisor, pid, address = backend.supervisor, backend.pid, backend.address
    assert supervisor is not None and pid is not None
    backend.stop()
    assert supervisor.restarts == 0 and supervisor.deaths == 0
    assert _zombie_or_gone(pid) and not Path(f"/proc/{pid}").exists()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://{address}/v2/", verify=False)


def test_while_held_down_the_registry_refuses_and_comes_back_on_release(registry_binary):
    with DistributionBackend(binary=registry_binary) as backend:
        supervisor = backend.supervisor
        assert supervisor is not None and backend.pid is not None
        with Publisher(backend.address) as pub:
            pub.publish("module-one", "v1.0.0", channels=["stable"])
        with supervisor.held():
            os.kill(backend.pid, signal.SIGKILL)
            assert supervisor.wait_deaths(1, RESTART_WITHIN)
            with pytest.raises(httpx.ConnectError):
                httpx.get(f"http://{backend.address}/v2/", verify=False)
            assert supervisor.restarts == 0
        assert supervisor.wait_restarts(1, RESTART_WITHIN)
        assert httpx.get(f"http://{backend.address}/v2/deckhouse/modules/tags/list", verify=False).json()[
            "tags"
        ] == ["module-one"]


def test_through_the_fault_proxy_a_dead_registry_reads_as_a_refused_dial(registry_binary):
    with DistributionBackend(binary=registry_binary) as backend, FaultProxy(backend.address) as proxy:
        supervisor = backend.supervisor
        assert supervisor is not None and backend.pid is not None
        repo = f"{proxy.address}/deckhouse/modules"
        with Publisher(backend.address) as pub:
            pub.publish("module-one", "v1.0.0")
        with supervisor.held():
            os.kill(backend.pid, signal.SIGKILL)
            assert supervisor.wait_deaths(1, RESTART_WITHIN)
            with (
                RegistryClient.for_source(repo, scheme="HTTP") as client,
                pytest.raises(RegistryError) as caught,
            ):
                client.list_tags()
        assert str(caught.value) == (
            f'Get "http://{proxy.address}/v2/deckhouse/modules/tags/list?n=1000": '
            f"dial tcp {proxy.address}: connect: connection refused"
        )
        assert supervisor.wait_restarts(1, RESTART_WITHIN)
        with RegistryClient.for_source(repo, scheme="HTTP") as client:
            assert client.list_tags() == ["module-one"]


def test_the_fault_proxy_restarts_its_accept_loop_on_the_same_address(registry, caplog):
    caplog.set_level(logging.WARNING, logger="harness.registry")
    with FaultProxy(registry.address) as proxy:
        address = proxy.address
        server = proxy._server
        assert server is not None

        def crash() -> None:
            raise RuntimeError("accept loop crashed")

        server._handle_request_noblock = crash  # type: ignore[method-assign]
        with pytest.raises(httpx.TransportError):  # this connection is never served
            httpx.get(f"http://{address}/v2/", timeout=RESTART_WITHIN, verify=False)
        assert proxy.wait_restarts(1, RESTART_WITHIN)
        assert proxy.address == address
        assert httpx.get(f"http://{address}/v2/", verify=False).status_code == 200
    messages = [r.getMessage() for r in caplog.records]
    assert any("fault proxy on " + address in m and "accept loop crashed" in m for m in messages), messages
