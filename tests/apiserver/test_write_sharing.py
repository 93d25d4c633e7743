"""A patch shares what it does not touch with the stored object; the write path relies on it.

``field_ownership.record_update`` does not walk subtrees a patch left as they were, and the typed
decode check does not re-check them. These tests compare against the plain definitions on
seeded random objects and patches: the managed fields must come out the same, shared or not.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from harness.apiserver import field_ownership as fo
from harness.apiserver.typedfields import decode_error


def _reference(old: dict[str, Any], new: dict[str, Any], manager: str, now: str, sub: str | None) -> None:
    """``record_update`` by its definition: every leaf of ``new`` compared with ``old``; fields no
    longer present are nobody's (structured-merge-diff's ``compare.Removed``)."""
    present = fo.leaf_paths(new)
    changed = {p for p in present if fo._value(old, p) != fo._value(new, p)}
    entries = fo._entries(old)
    if not changed:
        for e in entries:
            e["fieldsV1"] = fo.to_fields_v1(fo.from_fields_v1(e.get("fieldsV1") or {}) & present)
        fo._set_entries(new, entries)
        return
    mine: set[fo.Path] = set()
    rest = []
    for e in entries:
        owned = fo.from_fields_v1(e.get("fieldsV1") or {})
        if fo._same_owner(e, manager, "Update", sub):
            mine = owned
            continue
        e["fieldsV1"] = fo.to_fields_v1((owned - changed) & present)
        rest.append(e)
    rest.append(fo._entry(manager, "Update", "v1", now, (mine | changed) & present, sub))
    fo._set_entries(new, rest)


def _value(rnd: random.Random, depth: int) -> Any:
    if depth > 2 or rnd.random() < 0.4:
        return rnd.choice([1, "a", "b", None, [1], {}, True])
    return {rnd.choice("xyz"): _value(rnd, depth + 1) for _ in range(rnd.randint(0, 3))}


def _patched(rnd: random.Random, obj: dict[str, Any]) -> dict[str, Any]:
    """A shallow copy with a few top-level or second-level values replaced (the rest shared)."""
    out = dict(obj)
    out["metadata"] = dict(obj["metadata"])
    for _ in range(rnd.randint(0, 3)):
        key = rnd.choice(["spec", "status", "data"])
        if rnd.random() < 0.5 and isinstance(out.get(key), dict) and out[key]:
            out[key] = dict(out[key])
            out[key][rnd.choice(sorted(out[key]))] = _value(rnd, 1)
        else:
            out[key] = _value(rnd, 0)
    return out


def test_record_update_on_shared_objects_gives_the_managed_fields_of_its_definition():
    rnd = random.Random(12)
    for _ in range(2000):
        labels = {k: rnd.choice("ab") for k in rnd.sample("pqr", rnd.randint(0, 3))}
        shared: dict[str, Any] = {
            "apiVersion": "v1",
            "kind": "K",
            "metadata": {"name": "n", "labels": labels},
        }
        for key in rnd.sample(["spec", "status", "data"], rnd.randint(1, 3)):
            shared[key] = _value(rnd, 0)
        plain = copy.deepcopy(shared)
        for step in range(4):
            manager, sub = rnd.choice("abc"), rnd.choice([None, "status"])
            new_shared = _patched(rnd, shared)
            new_plain = copy.deepcopy(new_shared)
            fo.record_update(
                shared, new_shared, manager=manager, api_version="v1", now=str(step), subresource=sub
            )
            _reference(plain, new_plain, manager, str(step), sub)
            assert new_shared == new_plain
            shared, plain = new_shared, new_plain


def test_the_decode_check_skips_only_what_the_stored_object_shares():
    stored = {"metadata": {"name": "n", "labels": {"a": "b"}}}
    shared = {"metadata": dict(stored["metadata"])}
    assert decode_error("things", "Thing", shared, builtin=False, stored=stored) is None
    bad = {"metadata": {**stored["metadata"], "labels": {"a": 1}}}  # a new value: checked
    assert "cannot unmarshal number" in str(
        decode_error("things", "Thing", bad, builtin=False, stored=stored)
    )
