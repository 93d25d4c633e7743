"""``Accept: application/yaml``: kube-apiserver answers in YAML, the harness answered JSON.

kube-apiserver's YAML serializer writes an object's JSON through ``sigs.k8s.io/yaml``'s
``JSONToYAML`` (go-yaml v2), the same conversion kubectl's ``-o yaml`` makes of the JSON it read:
so what kubectl prints for an object is what the server must send for it. The strings below are
the cases go-yaml's emitter treats apart: quoting when the text would read back as another value
(numbers, booleans, timestamps, ``""``), single quotes for indicators, escapes, literal blocks
with their chomping and indentation hints, folding past 80 columns, NEL folded by the re-read,
and go-yaml's key order."""

from __future__ import annotations

import json
import os
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.apiserver import ApiServer
from harness.clock import VirtualClock
from harness.steps.kubectl import GO_DEFAULTS

from .conftest import fixture_crds_or_skip

KUBECTL = shutil.which("kubectl")
CM = "/api/v1/namespaces/default/configmaps"
YAML = {"Accept": "application/yaml"}
LONG = " ".join(["word"] * 30)
DATA = {
    "plain": "hello world", "num": "123", "float": "1.5", "exp": "1e3", "true": "true", "y": "y",
    "no": "NO", "empty": "", "space": " lead", "trail": "trail ", "colon": "a: b", "colon2": "a:b",
    "hash": "a #b", "hash2": "a#b", "dash": "- x", "dash2": "-x", "star": "*x", "q": "'quoted'",
    "dq": '"dq"', "ts": "2024-12-16T09:00:00Z", "date": "2024-12-16", "multi": "line1\nline2\n",
    "multi2": "line1\nline2", "multi3": "a\n\n", "multi4": " lead\nx", "tab": "a\tb", "long": LONG,
    "longdq": "x" * 70 + " " + "y" * 30 + "  z", "longsq": "- " + "word " * 25 + "end",
    "uni": "привет мир", "emoji": "ok 😀", "base60": "13:30", "hex": "0x1F", "null": "null",
    "tilde": "~", "bang": "!x", "q2": "it's", "brace": "{a}", "comma": "a,b", "qm": "? x",
    "dot3": "...x", "bs": "back\\slash", "crlf": "a\r\nb", "nel": "a\x85b", "nel2": "a \x85\x85 b",
    "ctl": "a\x01b", "inf": ".inf", "under": "1_000", "plus": "+1", "10": "a", "9": "b", "a10": "c",
    "a9": "d", "A": "e", "_u": "f", "a.b": "g", "007": "k", "07": "l", "0": "m",
}  # fmt: skip
SETTINGS = {
    "i": 5, "f": 1.5, "big": 12345678901234567890, "neg": -3, "e": 1e-7, "E": 1e25, "whole": 2.0,
    "list": [[1, 2], [{"a": 1, "b": []}], {}, None, True], "nested": {"x": {"y": "z"}},
    "k: x": 1, "true": 2, "1": 3, "": 4, "a b": 5,
}  # fmt: skip


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[ApiServer, httpx.Client]]:
    server = ApiServer(VirtualClock(), crd_dir=fixture_crds_or_skip())
    server.start(tls=True)
    assert server.ca_pem is not None
    (tmp_path / "ca.pem").write_bytes(server.ca_pem)
    client = httpx.Client(
        base_url=server.url or "",
        headers={"Authorization": f"Bearer {server.token}"},
        verify=ssl.create_default_context(cafile=str(tmp_path / "ca.pem")),
    )
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "o", "annotations": {"long": LONG}}}
    assert client.post(CM, json={**cm, "data": DATA}).status_code == 201
    mc = {"apiVersion": "deckhouse.io/v1alpha1", "kind": "ModuleConfig", "metadata": {"name": "global"}}
    created = client.post(
        "/apis/deckhouse.io/v1alpha1/moduleconfigs", json={**mc, "spec": {"version": 1, "settings": SETTINGS}}
    )
    assert created.status_code == 201, created.text
    yield server, client
    client.close()
    server.stop()


def test_an_object_a_list_and_an_error_come_as_yaml_when_asked(served):
    _server, client = served
    got = client.get(f"{CM}/o", headers=YAML)
    assert got.headers["content-type"] == "application/yaml"
    # go-yaml's key order: other characters before letters, digit runs by number, shorter first
    head = 'apiVersion: v1\ndata:\n  _u: f\n  "0": m\n  "07": l\n  "007": k\n  "9": b\n  "10": a\n'
    assert got.text.startswith(head)
    listed = client.get(CM, headers=YAML)
    assert listed.text.startswith("apiVersion: v1\nitems:\n- apiVersion: v1\n")
    missing = client.get(f"{CM}/nowhere", headers=YAML)
    assert (missing.status_code, missing.headers["content-type"]) == (404, "application/yaml")
    assert missing.text == (
        "apiVersion: v1\ncode: 404\ndetails:\n  kind: configmaps\n  name: nowhere\nkind: Status\n"
        'message: configmaps "nowhere" not found\nmetadata: {}\nreason: NotFound\nstatus: Failure\n'
    )
    table = client.get(CM, headers={"Accept": "application/yaml;as=Table;v=v1;g=meta.k8s.io"})
    assert table.text.startswith("apiVersion: meta.k8s.io/v1\ncolumnDefinitions:\n- description: ")


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/json, application/yaml", "application/json"),
        ("application/json;q=0.5, application/yaml", "application/yaml"),
        ("application/yaml;as=Bogus;v=v1;g=meta.k8s.io, application/json", "application/json"),
        ("*/*", "application/json"),
    ],
)
def test_the_first_servable_clause_picks_the_media_type(served, accept: str, media: str):
    _server, client = served
    assert client.get(f"{CM}/o", headers={"Accept": accept}).headers["content-type"] == media


def test_version_and_openapi_stay_json(served):
    _server, client = served
    assert client.get("/version", headers=YAML).headers["content-type"] == "application/json"
    assert client.get("/openapi/v3", headers=YAML).headers["content-type"] == "application/json"


@pytest.mark.kubectl
@pytest.mark.slow
@pytest.mark.parametrize("path", [f"{CM}/o", "/apis/deckhouse.io/v1alpha1/moduleconfigs/global"])
def test_the_yaml_is_what_kubectl_makes_of_the_same_object(served, tmp_path: Path, path: str):
    """kubectl ``-o yaml`` runs the same JSON-to-YAML conversion over the object it read."""
    if KUBECTL is None:
        pytest.skip("kubectl not found")
    server, client = served
    kubeconfig = server.write_kubeconfig(tmp_path / "kubeconfig")
    kind, name = ("cm", "o") if "configmaps" in path else ("mc", "global")
    printed = subprocess.run(
        [
            KUBECTL,
            "--kubeconfig",
            str(kubeconfig),
            "--cache-dir",
            str(tmp_path / "c"),
            "get",
            kind,
            name,
            "-o",
            "yaml",
            "--show-managed-fields",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**GO_DEFAULTS, **os.environ},
    )
    assert printed.returncode == 0, printed.stderr
    assert client.get(path, headers=YAML).text == printed.stdout
    assert json.loads(client.get(path).text)["metadata"]["name"] == name
