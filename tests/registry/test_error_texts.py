"""The exact error texts DKP surfaces, produced from a real registry's answers."""

from __future__ import annotations

import pytest

from harness.registry import RegistryAuthError, RegistryClient, RegistryError
from harness.registry.credentials import Credentials, encode_docker_cfg

from .conftest import ALICE

pytestmark = pytest.mark.registry


def test_missing_channel_gives_the_documented_manifest_unknown_text(publisher, client, registry):
    publisher.publish("module-1", "v1.0.0", channels=["alpha"])
    with pytest.raises(RegistryError) as caught:
        client.read_image("module-1/release", "stable")
    assert str(caught.value) == (
        f"GET http://{registry.address}/v2/deckhouse/modules/module-1/release/manifests/stable: "
        "MANIFEST_UNKNOWN: manifest unknown; map[Tag:stable]"
    )
    assert caught.value.status_code == 404


def test_digest_of_a_missing_channel_fails_the_same_way(publisher, client, registry):
    publisher.publish("module-1", "v1.0.0")
    with pytest.raises(
        RegistryError, match=r"manifests/lts: MANIFEST_UNKNOWN: manifest unknown; map\[Tag:lts\]$"
    ):
        client.digest("module-1/release", "lts")


def test_tags_of_a_missing_repository_give_name_unknown(client, registry):
    with pytest.raises(RegistryError) as caught:
        client.list_tags("nope")
    assert str(caught.value) == (
        f"GET http://{registry.address}/v2/deckhouse/modules/nope/tags/list?n=1000: "
        "NAME_UNKNOWN: repository name not known to registry; map[name:deckhouse/modules/nope]"
    )


def test_a_missing_blob_gives_blob_unknown(publisher, client, registry):
    publisher.publish("m", "v1.0.0")
    missing = "sha256:" + "0" * 64
    with pytest.raises(RegistryError) as caught:
        client.blob("m", {"digest": missing, "size": 1})
    assert str(caught.value) == (
        f"GET http://{registry.address}/v2/deckhouse/modules/m/blobs/{missing}: "
        f"BLOB_UNKNOWN: blob unknown to registry; {missing}"
    )


def test_anonymous_access_to_a_protected_registry_gives_unauthorized(auth_registry, make_client):
    client = make_client(f"{auth_registry.address}/deckhouse/modules")
    with pytest.raises(RegistryError) as caught:
        client.list_tags()
    assert str(caught.value) == (
        f"GET http://{auth_registry.address}/v2/deckhouse/modules/tags/list?n=1000: UNAUTHORIZED: "
        "authentication required; [map[Action:pull Class: Name:deckhouse/modules Type:repository]]"
    )
    assert caught.value.status_code == 401


def test_wrong_password_gives_unauthorized_without_leaking_it(auth_registry, make_client):
    cfg = encode_docker_cfg(auth_registry.address, Credentials("alice", "not-the-password"))
    client = make_client(f"{auth_registry.address}/deckhouse/modules", docker_cfg=cfg)
    with pytest.raises(RegistryError, match="UNAUTHORIZED: authentication required") as caught:
        client.list_tags()
    assert "not-the-password" not in str(caught.value) + repr(caught.value) + repr(client)


def test_right_credentials_from_the_docker_cfg_host_entry_succeed(auth_registry, make_client):
    from harness.registry import Publisher

    with Publisher(auth_registry.address, auth=ALICE) as pub:
        pub.publish("module-one", "v1.0.0", channels=["stable"])
    cfg = encode_docker_cfg(auth_registry.address, ALICE)
    client = make_client(f"{auth_registry.address}/deckhouse/modules", docker_cfg=cfg)
    assert client.list_tags() == ["module-one"]
    assert b"v1.0.0" in client.read_image("module-one/release", "stable").files["version.json"]


def test_a_docker_cfg_for_another_host_is_the_credentials_not_found_error(auth_registry):
    cfg = encode_docker_cfg("registry.example.com", ALICE)
    repo = f"{auth_registry.address}/deckhouse/modules"
    with pytest.raises(RegistryAuthError) as caught:
        RegistryClient.for_source(repo, docker_cfg=cfg, scheme="HTTP")
    assert str(caught.value) == f'"{repo}" credentials not found in the dockerCfg'


def test_an_unreachable_registry_gives_go_url_error_text(make_client):
    import socket

    with socket.socket() as sock:  # a port nobody listens on: bound, never listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        client = make_client(f"127.0.0.1:{port}/deckhouse/modules")
        with pytest.raises(RegistryError) as caught:
            client.list_tags()
    assert str(caught.value) == (
        f'Get "http://127.0.0.1:{port}/v2/deckhouse/modules/tags/list?n=1000": '
        f"dial tcp 127.0.0.1:{port}: connect: connection refused"
    )


@pytest.mark.parametrize("code", [-2, -3], ids=["no-such-name", "no-resolver"])
def test_a_name_that_does_not_resolve_reads_as_gos_lookup_error(code):
    import socket

    import httpx

    from harness.registry.transport import network_error

    failure = httpx.ConnectError(f"[Errno {code}] lookup failed")
    failure.__cause__ = socket.gaierror(code, "Name or service not known")
    error = network_error("GET", "https://registry.invalid.example:5000/v2/", failure)
    assert str(error) == (
        'Get "https://registry.invalid.example:5000/v2/": '
        "dial tcp: lookup registry.invalid.example: no such host"
    )


def test_https_to_a_plain_http_registry_reads_as_gos_error(registry, make_client):
    client = make_client(f"{registry.address}/deckhouse/modules", scheme="HTTPS")
    with pytest.raises(RegistryError) as caught:
        client.list_tags()
    assert str(caught.value) == (
        f'Get "https://{registry.address}/v2/deckhouse/modules/tags/list?n=1000": '
        "http: server gave HTTP response to HTTPS client"
    )


def test_a_run_on_a_live_cluster_says_which_option_reaches_a_plain_http_registry():
    from types import SimpleNamespace

    from harness.registry.transport import PLAIN_HTTP_ANSWER
    from harness.steps.library.registry import _scheme_hint

    refused = RegistryError(f'Put "https://r.example/v2/x": {PLAIN_HTTP_ANSWER}')
    live = SimpleNamespace(target=SimpleNamespace(kind="kubeconfig"))
    with pytest.raises(RegistryError, match=r"speaks plain HTTP: add --registry-scheme http\)$"):
        with _scheme_hint(live):  # type: ignore[arg-type]
            raise refused
    with pytest.raises(RegistryError) as caught:
        with _scheme_hint(SimpleNamespace(target=SimpleNamespace(kind="simulator"))):  # type: ignore[arg-type]
            raise refused
    assert caught.value is refused  # the simulator picks its own scheme: nothing to add
