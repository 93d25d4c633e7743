"""A ``--kubeconfig`` that is not YAML, has fields of the wrong type, or names a server that refuses.

Before: each ended ``dkp-harness run`` in an INTERNALERROR (exit 3) with the kubernetes client's
or urllib3's traceback; a ``user:password@`` in the ``server:`` URL was printed in the error (and
would have reached ``conformance.json`` as the target's server). Now: exit 4, one line that says
what is wrong, no secret.
"""

from __future__ import annotations

import socket

import pytest

from harness.target.base import RegistryAccess
from harness.target.kubeclient import KubernetesClient, TargetConnectionError, without_userinfo
from harness.target.kubeconfig import Connection, TargetSettings

pytest_plugins = ["pytester"]

TOKEN = "kubeconfig-token-never-printed"
PASSWORD = "url-password-never-printed"


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _kubeconfig(server: str) -> str:
    return f"""\
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: {server}
    insecure-skip-tls-verify: true
users:
- name: u
  user:
    token: {TOKEN}
contexts:
- name: x
  context: {{cluster: c, user: u}}
current-context: x
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "this: is: not: yaml: [\n",
            "not valid YAML at line 1, column 9: mapping values are not allowed here",
        ),
        (f"users:\n- name: u\n  user:\n    token: {TOKEN}: x\n", "not valid YAML at line 4"),
        ("apiVersion: v1\nkind: Config\nclusters: 5\n", "a field has the wrong type"),
    ],
)
def test_a_kubeconfig_the_client_cannot_read_is_a_connection_error(tmp_path, text, expected):
    path = tmp_path / "kubeconfig"
    path.write_text(text)
    with pytest.raises(TargetConnectionError) as caught:
        KubernetesClient.from_kubeconfig(path)
    assert f"cannot use kubeconfig {path}: {expected}" in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_a_server_that_refuses_is_a_connection_error_without_the_secrets(tmp_path):
    path = tmp_path / "kubeconfig"
    path.write_text(_kubeconfig(f"https://admin:{PASSWORD}@127.0.0.1:{_closed_port()}"))
    registry = RegistryAccess(push="127.0.0.1:5000", pull="127.0.0.1:5000", scheme="http", credentials=None)
    with pytest.raises(TargetConnectionError) as caught:
        Connection.open(TargetSettings(path, registry))
    message = str(caught.value)
    assert "cannot use the cluster at https://***@127.0.0.1:" in message
    assert "Connection refused" in message
    assert PASSWORD not in message and TOKEN not in message


def test_the_run_refuses_such_a_kubeconfig_as_a_usage_error_not_an_internal_one(pytester, tmp_path):
    path = tmp_path / "kubeconfig"
    path.write_text(_kubeconfig(f"https://127.0.0.1:{_closed_port()}"))
    pytester.makeconftest("")
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    result = pytester.runpytest_inprocess(
        "-p", "harness.target.plugin", f"--dkp-kubeconfig={path}", "--dkp-registry=127.0.0.1:5000",
        "--dkp-registry-scheme=http", "-p", "no:randomly", "-p", "no:cacheprovider",
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    text = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in text
    assert "GET https://127.0.0.1:" in text and "/version failed" in text
    assert TOKEN not in text


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://admin:pw@10.0.0.1:6443", "https://***@10.0.0.1:6443"),
        ("https://10.0.0.1:6443", "https://10.0.0.1:6443"),
        ("https://a@b:pw@host", "https://***@host"),
    ],
)
def test_the_server_is_shown_without_its_userinfo(url, shown):
    assert without_userinfo(url) == shown
