"""How credentials are chosen from a ModuleSource's dockerCfg (DKP go_lib/dependency/cr)."""

from __future__ import annotations

import base64
import json

import pytest

from harness.registry.credentials import Credentials, credentials_for, encode_docker_cfg, host_of
from harness.registry.errors import RegistryAuthError, RegistryError


def _cfg(auths, *, encode=True):
    text = json.dumps({"auths": auths})
    return base64.b64encode(text.encode()).decode() if encode else text


def _auth(user, password):
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def test_empty_docker_cfg_means_anonymous():
    assert credentials_for("r.example/deckhouse/modules", "") is None


def test_entry_is_chosen_by_host_ignoring_path_and_scheme():
    cfg = _cfg(
        {
            "other.example": {"auth": _auth("wrong", "x")},
            "https://r.example:8032/foo/bar": {"auth": _auth("user", "b")},
        }
    )
    assert credentials_for("r.example:8032/modules", cfg) == Credentials("user", "b")


def test_port_is_part_of_the_host():
    cfg = _cfg({"r.example:8033": {"auth": _auth("a", "b")}})
    with pytest.raises(RegistryAuthError) as caught:
        credentials_for("r.example:8032/modules", cfg)
    assert str(caught.value) == '"r.example:8032/modules" credentials not found in the dockerCfg'
    assert isinstance(caught.value, RegistryError)


def test_raw_json_is_used_when_base64_decoding_fails():
    cfg = _cfg({"127.0.0.1:5000": {"username": "u", "password": "p"}}, encode=False)
    assert credentials_for("127.0.0.1:5000/deckhouse/modules", cfg) == Credentials("u", "p")


def test_a_docker_cfg_that_is_not_json_has_no_entries():
    with pytest.raises(RegistryAuthError, match="credentials not found in the dockerCfg"):
        credentials_for("dev-registry.deckhouse.io/deckhouse/modules", "YXNiCg==")


def test_auth_field_wins_over_username_and_password():
    cfg = _cfg({"h": {"auth": _auth("from-auth", "p1"), "username": "from-fields", "password": "p2"}})
    assert credentials_for("h/r", cfg) == Credentials("from-auth", "p1")


def test_an_empty_entry_is_anonymous():
    assert credentials_for("h/r", _cfg({"h": {}})) is None


def test_password_never_appears_in_repr():
    creds = Credentials("alice", "top-secret")
    assert "top-secret" not in repr(creds)
    assert "alice" in repr(creds)


def test_cli_credentials_without_a_colon_are_rejected_with_the_expected_form():
    with pytest.raises(ValueError, match="USER:PASSWORD"):
        Credentials.parse("alice")


def test_encoded_docker_cfg_round_trips_through_the_selection():
    cfg = encode_docker_cfg("127.0.0.1:5000", Credentials("alice", "pw:with:colons"))
    assert credentials_for("127.0.0.1:5000/x", cfg) == Credentials("alice", "pw:with:colons")


@pytest.mark.parametrize(
    ("reference", "host"),
    [
        ("r.example:5000/a/b", "r.example:5000"),
        ("https://r.example/a", "r.example"),
        ("r.example", "r.example"),
    ],
    ids=["with-port", "with-scheme", "bare"],
)
def test_host_of_strips_scheme_and_path(reference, host):
    assert host_of(reference) == host
