"""Registries reused between clusters: the next user finds an empty, serving registry, nothing else."""

from __future__ import annotations

import threading

import httpx
import pytest

from harness.registry import Publisher, RegistryClient, RegistryError
from harness.registry.backends.base import READY_TIMEOUT
from harness.registry.backends.pool import RegistryPool
from harness.registry.backends.process import LogBuffer

from .conftest import ALICE

pytestmark = pytest.mark.registry


@pytest.fixture
def pool(registry_binary):
    pool = RegistryPool(binary=registry_binary)
    try:
        yield pool
    finally:
        pool.close()


def _publish(backend) -> dict[str, str]:
    with Publisher(backend.finish_start(), seed_storage=backend.blob_seed_root) as publisher:
        return publisher.publish("module-one", "v1.2.3", channels=["stable"])


def test_a_released_registry_comes_back_empty_with_an_empty_log(pool):
    first = pool.acquire()
    digests = _publish(first)
    with RegistryClient(f"{first.address}/deckhouse/modules", scheme="HTTP") as client:
        assert client.list_tags() == ["module-one"]
    assert first.wait_for_log("GET /v2/"), first.logs()  # written just after the answer
    address, pid = first.address, first.pid
    pool.release(first)
    assert pool.idle() == 1

    second = pool.acquire()
    assert second is first and (second.address, second.pid) == (address, pid)  # the same process
    assert second.logs() == ""
    with RegistryClient(f"{second.address}/deckhouse/modules", scheme="HTTP") as client:
        with pytest.raises(RegistryError, match="NAME_UNKNOWN"):  # what a fresh registry answers
            client.list_tags()
    # Not even by digest: the manifest the first user published is gone.
    manifest = httpx.get(
        f"http://{second.address}/v2/deckhouse/modules/module-one/release/manifests/"
        + digests["module-one/release:stable"],
        headers={"Accept": "application/vnd.oci.image.manifest.v1+json"},
    )
    assert manifest.status_code == 404, manifest.text
    pool.release(second)


def test_a_blob_served_before_the_reset_is_unknown_after_it(pool):
    backend = pool.acquire()
    _publish(backend)
    with RegistryClient(f"{backend.address}/deckhouse/modules", scheme="HTTP") as client:
        descriptor = client.manifest("module-one/release", "stable").layers[0]
        assert client.blob("module-one/release", descriptor)  # served once: cached, if a cache ran
    pool.release(backend)
    again = pool.acquire()
    url = f"http://{again.address}/v2/deckhouse/modules/module-one/release/blobs/{descriptor['digest']}"
    assert httpx.head(url, verify=False).status_code == 404
    assert httpx.get(url, verify=False).status_code == 404
    pool.release(again)


def test_registries_are_kept_apart_by_credentials(pool):
    plain = pool.acquire()
    plain.finish_start()
    pool.release(plain)
    protected = pool.acquire(ALICE)
    assert protected is not plain
    protected_address = protected.finish_start()
    assert httpx.get(f"http://{protected_address}/v2/", verify=False).status_code == 401
    pool.release(protected)
    assert pool.acquire(ALICE) is protected
    assert pool.acquire() is plain


def test_a_registry_stopped_by_its_user_is_not_handed_on(pool):
    backend = pool.acquire()
    backend.finish_start()
    backend.stop()
    pool.release(backend)
    assert pool.idle() == 0
    fresh = pool.acquire()
    assert fresh is not backend
    fresh.finish_start()
    pool.release(fresh)


def test_close_stops_every_idle_registry(pool):
    backend = pool.acquire()
    address = backend.finish_start()
    pool.release(backend)
    pool.close()
    assert pool.idle() == 0
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://{address}/v2/", timeout=2, verify=False)


FENCE = '"GET /v2/?dkp-harness-reset=f00d HTTP/1.1"'


def test_late_log_lines_of_the_previous_user_do_not_reach_the_next_one():
    # The registry logs a request after answering it: the previous user's last line may come in
    # after it is done. The watcher thread appends what the registry writes, in its order.
    log = LogBuffer()
    log.append("listening on 127.0.0.1:5000\n")
    watchers: list[threading.Thread] = []

    def registry_writes() -> None:
        lines = [
            '127.0.0.1 - - "PUT /v2/deckhouse/modules/manifests/m HTTP/1.1" 400\n',  # late
            'level=info msg="response completed" http.request.uri="/v2/?dkp-harness-reset=f00d"\n',
            f"127.0.0.1 - - {FENCE} 200 2\n",
            '127.0.0.1 - - "GET /v2/deckhouse/modules/tags/list HTTP/1.1" 404\n',  # the next user
        ]
        watchers.append(threading.Thread(target=lambda: [log.append(line) for line in lines]))
        watchers[0].start()

    assert log.clear_through(FENCE, registry_writes, timeout=READY_TIMEOUT)
    watchers[0].join()
    assert log.text() == '127.0.0.1 - - "GET /v2/deckhouse/modules/tags/list HTTP/1.1" 404\n'


def test_a_fence_that_never_comes_clears_the_log_and_says_so():
    log = LogBuffer()
    log.append("a line of the previous user\n")
    assert log.clear_through(FENCE, lambda: None, timeout=0) is False
    assert log.text() == ""
    log.append(f"127.0.0.1 - - {FENCE} 200 2\n")  # too late: no longer a fence, just a line
    assert log.text() == f"127.0.0.1 - - {FENCE} 200 2\n"
