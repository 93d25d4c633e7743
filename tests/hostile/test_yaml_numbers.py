"""Plain YAML scalars read as go-yaml v2 reads them, as values and as keys.

``sigs.k8s.io/yaml`` (kube-apiserver's and kubectl's YAML-to-JSON conversion) decodes with its copy
of go-yaml v2, whose resolver (``goyaml.v2/resolve.go``) is not PyYAML's YAML 1.1 one: ``1e30`` and
``1E3`` are floats there (PyYAML: strings, as it wants a dot and a signed exponent), ``0o17`` is 15
(PyYAML: a string), ``08`` the float 8 (PyYAML: a string), ``13:30`` a string (PyYAML: the base-60
integer 810 in a body), ``y`` and ``N`` booleans (PyYAML: strings), and a float that overflows
(``1e400``) stays the text written. The API server and the steps read YAML with the same loader
rules, so a docstring means what the file means to kubectl.
"""

from __future__ import annotations

import pytest

from harness.kube.go_scalars import go_number
from harness.steps.documents import parse_documents
from tests.hostile.conftest import Hostile

MODULECONFIGS = "/apis/deckhouse.io/v1alpha1/moduleconfigs"
VALUES = (
    "    a: 1e30\n    b: 1E3\n    c: .5\n    d: +1.5\n    e: 0x1F\n    f: 0o17\n    g: 1_000\n"
    "    h: 017\n    i: 08\n    j: 13:30\n    k: y\n    l: 1e400\n    m: 1.\n    v: N\n    o: 1_0.5\n"
    "    p: -0b101\n    q: '1e30'\n    r: 0x_1F\n    s: 1e\n    t: .e5\n"
)
READ = {
    "a": 1e30,
    "b": 1000,
    "c": 0.5,
    "d": 1.5,
    "e": 31,
    "f": 15,
    "g": 1000,
    "h": 15,
    "i": 8,
    "j": "13:30",
    "k": True,
    "l": "1e400",
    "m": 1,
    "v": False,
    "o": 10.5,
    "p": -5,
    "q": "1e30",
    "r": 31,
    "s": "1e",
    "t": ".e5",
}
KEYS = "    1e30: a\n    1E3: b\n    .5: c\n    0x1F: d\n    0o17: e\n    1_000: f\n    y: g\n    13:30: h\n"
KEYS_READ = {"1e+30": "a", "1000": "b", "0.5": "c", "31": "d", "15": "e", "true": "g", "13:30": "h"}
KEYS_READ["1000"] = "f"  # 1E3 and 1_000 are one JSON key: the later one wins, as in the conversion


def _module_config(name: str, settings: str) -> bytes:
    head = f"apiVersion: deckhouse.io/v1alpha1\nkind: ModuleConfig\nmetadata:\n  name: {name}\n"
    return f"{head}spec:\n  settings:\n{settings}".encode()


@pytest.mark.parametrize(("settings", "read"), [(VALUES, READ), (KEYS, KEYS_READ)], ids=["values", "keys"])
def test_the_api_server_reads_yaml_numbers_as_go_yaml(hostile: Hostile, settings: str, read: dict):
    name = f"numbers-{len(read)}"
    body = _module_config(name, settings)
    created = hostile.request("POST", MODULECONFIGS, body, headers={"Content-Type": "application/yaml"})
    assert created.status == 201, created.body
    assert created.json()["spec"]["settings"] == read
    hostile.assert_healthy()


@pytest.mark.parametrize(("settings", "read"), [(VALUES, READ), (KEYS, KEYS_READ)], ids=["values", "keys"])
def test_a_steps_yaml_reads_them_as_kubectl_does(settings: str, read: dict):
    [document] = parse_documents(f"kind: ConfigMap\nmetadata: {{name: n}}\ndata:\n  settings:\n{settings}")
    assert document["data"]["settings"] == read


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("0", 0),
        ("-0", 0),
        ("00", 0),
        ("0X1f", 31),
        ("0B11", 3),
        ("+0o17", 15),
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", 2**63),  # ParseUint: a uint64
        ("-9223372036854775809", -9.223372036854775809e18),  # beyond int64, not a uint64: a float
        ("18446744073709551616", 1.8446744073709552e19),
        ("0x10000000000000000", None),  # beyond uint64 and no float form: text
        ("1e-400", 0.0),
        ("-.5", -0.5),
        ("1.5e3", 1500.0),
        ("._5", None),
        ("1__0", 10),
        ("0b2", None),
        ("1:20", None),
        ("+", None),
    ],
)
def test_go_number(text: str, number: float | None):
    found = go_number(text)
    assert found == number and type(found) is type(number)
