"""Reads no fault rule can touch skip the proxy's hop; with a rule active they go through it."""

from __future__ import annotations

import pytest

from harness.registry import Publisher, RegistryClient, RegistryError
from harness.registry.faults import FaultProxy, Reset, Respond

pytestmark = pytest.mark.registry


@pytest.fixture
def proxy(registry):
    with Publisher(registry.address) as publisher:
        publisher.publish("m", "v1.0.0", channels=["stable"])
    with FaultProxy(registry.address) as fault_proxy:
        yield fault_proxy


def _client(proxy: FaultProxy, *, bypass: bool) -> RegistryClient:
    transport = proxy.bypass() if bypass else None
    return RegistryClient(f"{proxy.address}/deckhouse/modules", scheme="HTTP", transport=transport)


def test_reads_go_straight_to_the_registry_while_no_rule_is_active(proxy):
    with _client(proxy, bypass=True) as client:
        assert client.list_tags() == ["m"]
        proxy.stop()  # nothing listens at the proxy's address any more ...
        image = client.read_image("m/release", "stable")  # ... and the reads still succeed
        assert b'"v1.0.0"' in image.files["version.json"]
    assert proxy.requests == 3  # counted as the proxy counts them: tags, manifest, layer


def test_an_active_rule_sends_the_reads_through_the_proxy_until_it_is_spent(proxy):
    rule = proxy.fail(Respond(503), method="GET", path=r"/release/manifests/stable$", times=1)
    with _client(proxy, bypass=True) as client:
        with pytest.raises(RegistryError, match=r"manifests/stable: UNAVAILABLE: service unavailable$"):
            client.digest("m/release", "stable")
        assert proxy.hits(rule) == 1
        proxy.stop()  # the rule is spent: reads go straight to the registry again
        assert client.digest("m/release", "stable").startswith("sha256:")


def _tag_list_errors(*clients: RegistryClient) -> list[str]:
    """What each client's tag listing fails with."""
    messages = []
    for client in clients:
        with pytest.raises(RegistryError) as failed:
            client.list_tags()
        messages.append(str(failed.value))
    return messages


def test_errors_name_the_proxy_as_they_do_through_it(proxy, registry):
    rule = proxy.fail(Reset(), path="/tags/list")
    with _client(proxy, bypass=True) as bypassing, _client(proxy, bypass=False) as plain:
        reset = _tag_list_errors(bypassing, plain)
        assert reset[0] == reset[1]
        assert f"read tcp {proxy.address}: read: connection reset by peer" in reset[0]
        proxy.remove(rule)
        registry.stop()  # the registry is down: a direct dial is refused, as the proxy reports it
        refused = _tag_list_errors(bypassing, plain)
    assert refused[0] == refused[1]
    assert refused[0].endswith(f"dial tcp {proxy.address}: connect: connection refused")


def test_a_client_with_the_bypass_loads_no_trust_store(proxy, monkeypatch):
    """A scan builds a client each time: loading the system CAs (~20 ms) for plain HTTP is waste."""
    import ssl

    loads = []
    original = ssl.SSLContext.load_verify_locations

    def counting(self, *args, **kwargs):
        loads.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    with _client(proxy, bypass=True) as client:
        assert client.list_tags() == ["m"]
    assert loads == []
