"""The compiled validity check never vouches for an object jsonschema would reject."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from harness.apiserver.crds import default_crd_dir, load_crd_dir
from harness.apiserver.schema import _root_draft4
from harness.apiserver.schema_precheck import compile_check, draft4_validator, is_date_time

_SCALARS: list[Any] = [None, True, False, 0, 1, -3, 2.5, 7.0, "", "a", "HTTP", "8:00", "12:30", "x" * 9]
_SCALARS += ["2024-12-18T15:00:00Z", "2024-02-30T15:00:00Z", "2024-12-18T15:00:00.5+03:00"]


def _schema(rng: random.Random, depth: int, *, exact: bool) -> dict[str, Any]:
    """A random Draft 4 schema; ``exact`` keeps to keywords the check models without giving up."""
    kinds = ["string", "integer", "number", "boolean", "null"] + (["object", "array"] if depth else [])
    kind = rng.choice(kinds)
    node: dict[str, Any] = {}
    if rng.random() < 0.8:
        node["type"] = [kind, "null"] if rng.random() < 0.2 else kind
    if kind == "object":
        names = rng.sample(["a", "b", "c", "d"], rng.randint(0, 3))
        node["properties"] = {n: _schema(rng, depth - 1, exact=exact) for n in names}
        if names and rng.random() < 0.5:
            node["required"] = rng.sample(names, rng.randint(1, len(names)))
        extra = rng.random()
        if extra < 0.3:
            node["additionalProperties"] = False
        elif extra < 0.5:
            node["additionalProperties"] = _schema(rng, depth - 1, exact=exact)
    elif kind == "array":
        node["items"] = _schema(rng, depth - 1, exact=exact)
        if rng.random() < 0.3:
            node["minItems"], node["maxItems"] = 1, 2
        if not exact and rng.random() < 0.3:
            node["uniqueItems"] = True
    elif kind == "string":
        roll = rng.random()
        if roll < 0.3:
            node["pattern"] = r"^\d+:\d\d$"
        elif roll < 0.5:
            node["minLength"], node["maxLength"] = 1, 4
        elif roll < 0.7 and not exact:
            node["enum"] = ["HTTP", "HTTPS", 1, True]
        elif roll < 0.8:
            node["format"] = "date-time"
        elif roll < 0.85:
            node["format"] = "int-or-string"  # a format kube does not check: never refused
    elif kind in ("integer", "number"):
        if rng.random() < 0.5:
            node["minimum"], node["exclusiveMinimum"] = 0, rng.random() < 0.5
        if rng.random() < 0.3:
            node["maximum"], node["exclusiveMaximum"] = 7, rng.random() < 0.5
        if not exact and rng.random() < 0.2:
            node["multipleOf"] = 2
    if depth and rng.random() < 0.15:
        node["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if not exact and depth and rng.random() < 0.1:
        node["oneOf"] = [{"type": "integer"}, {"type": "number"}]
    return node


def _value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth and roll < 0.3:
        return {k: _value(rng, depth - 1) for k in rng.sample(["a", "b", "c", "d", "e"], rng.randint(0, 4))}
    if depth and roll < 0.45:
        return [_value(rng, depth - 1) for _ in range(rng.randint(0, 3))]
    return rng.choice(_SCALARS)


def _pairs(seed: int, *, exact: bool, count: int = 3000) -> list[tuple[dict[str, Any], Any]]:
    rng = random.Random(seed)
    return [(_schema(rng, 3, exact=exact), _value(rng, 3)) for _ in range(count)]


def test_a_value_the_check_accepts_is_always_valid_for_jsonschema():
    vouched = 0
    for schema, value in _pairs(11, exact=False):
        if compile_check(schema)(value):
            vouched += 1
            assert draft4_validator(schema).is_valid(value), (schema, value)
    assert vouched > 300  # the fast path is really taken, not just always declined


def test_within_the_modelled_keywords_the_check_agrees_with_jsonschema_both_ways():
    for schema, value in _pairs(12, exact=True):
        assert compile_check(schema)(value) == draft4_validator(schema).is_valid(value), (
            schema,
            value,
        )


@pytest.mark.parametrize(
    ("schema", "value", "expected"),
    [
        ({"type": "integer"}, True, False),  # a boolean is not an integer
        ({"type": "number"}, 1, True),
        ({"minimum": 1, "exclusiveMinimum": True}, 1, False),
        ({"maximum": 1, "exclusiveMaximum": True}, 0.5, True),
        ({"enum": ["A", "B"]}, "B", True),
        ({"enum": ["A", "B"]}, "C", False),
        ({"properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"a": "x", "b": 1}, False),
        ({"additionalProperties": {"type": "integer"}}, {"x": 1, "y": 2}, True),
        ({"type": ["string", "null"]}, None, True),
        ({"required": ["a"]}, "not an object", True),
        ({"type": "string", "format": "date-time"}, "garbage-time", False),
        ({"type": "string", "format": "date-time"}, "2024-12-18T15:00:00Z", True),
        ({"format": "date-time"}, 5, True),  # a format constrains strings only
        ({"type": "string", "format": "hostname"}, "not a hostname!", True),
    ],
)
def test_keyword_semantics_follow_draft_4(schema, value, expected):
    assert compile_check(schema)(value) is expected
    assert draft4_validator(schema).is_valid(value) is expected


def test_every_shipped_crd_version_compiles_and_vouches_for_a_minimal_object():
    for rt in load_crd_dir(default_crd_dir()):
        if rt.schema is None:
            continue
        check = compile_check(_root_draft4(rt.schema._key))
        minimal = {"apiVersion": rt.resource.api_version, "kind": rt.resource.kind, "metadata": {"name": "x"}}
        assert check(minimal) == jsonschema.Draft4Validator(_root_draft4(rt.schema._key)).is_valid(minimal)


_VALID_THEN_INVALID = """
import sys
from harness.apiserver import ApiServer
from harness.api import kinds
from harness.clock import VirtualClock
from harness.kube.errors import Invalid

client = ApiServer(VirtualClock()).client()
source = {"apiVersion": "deckhouse.io/v1alpha1", "kind": "ModuleSource", "metadata": {"name": "ok"},
          "spec": {"registry": {"repo": "registry.example.com/modules"}}}
client.create(kinds.MODULE_SOURCE, source)
print("after a valid write:", "jsonschema" in sys.modules)
bad = {**source, "metadata": {"name": "bad"}, "spec": {"registry": {"repo": 7}}}
try:
    client.create(kinds.MODULE_SOURCE, bad)
except Invalid as exc:
    print("after an invalid write:", "jsonschema" in sys.modules, exc)
"""


def test_jsonschema_is_imported_only_for_an_object_the_compiled_check_cannot_vouch_for():
    """Valid writes never need jsonschema (its import is ~60 ms in every process that starts an
    API server: each sandbox, each CLI command); an invalid one still gets jsonschema's field error."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _VALID_THEN_INVALID], capture_output=True, text=True, cwd=root, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[0] == "after a valid write: False", done.stdout
    assert lines[1].startswith("after an invalid write: True"), done.stdout
    assert "spec.registry.repo" in lines[1], done.stdout


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2024-12-18T15:00:00Z", True),
        ("2024-12-18t15:00:00z", True),
        ("2024-12-18T15:00:00.123456789Z", True),
        ("2024-12-18T15:00:00+03:00", True),
        ("2024-12-18T15:00:00.5-07:30", True),
        ("2024-02-29T00:00:00Z", True),  # a leap day
        ("2000-02-29T00:00:00Z", True),
        ("1900-02-29T00:00:00Z", False),
        ("2023-02-29T00:00:00Z", False),
        ("2024-04-31T00:00:00Z", False),
        ("2024-13-01T00:00:00Z", False),
        ("2024-12-18T24:00:00Z", False),
        ("2024-12-18T23:60:00Z", False),
        ("2024-12-18T15:00:00", False),  # no zone
        ("2024-12-18 15:00:00Z", False),
        ("2024-12-18", False),
        ("24-12-18T15:00:00Z", False),
        ("2024-12-18T15:00:00+0300", False),
        ("\uff12\uff10\uff12\uff14-12-18T15:00:00Z", False),  # fullwidth digits: Go reads ASCII only
        ("2024-12-18T15:00:00Z\n", False),
        ("garbage-time", False),
        ("not-a-time", False),
        ("", False),
    ],
)
def test_date_time_is_kube_openapis_is_date_time(text, valid):
    assert is_date_time(text) is valid
    schema = {"type": "string", "format": "date-time"}
    assert compile_check(schema)(text) is valid
    assert draft4_validator(schema).is_valid(text) is valid
