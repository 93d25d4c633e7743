"""Image building remembers its results: the same bytes as building afresh, and exact keys."""

from __future__ import annotations

import gzip

import pytest

from harness.registry import archive, images, layout
from harness.registry.mediatypes import sha256_digest
from harness.registry.memo import Memo, frozen


def test_keys_keep_every_values_type():
    keys = [frozen(v) for v in (1, 1.0, True, "1", b"1", None, [1], {"a": 1}, {"a": 1.0})]
    assert None not in keys
    assert len(set(keys)) == len(keys)
    assert frozen({"a": [1, {"b": None}]}) == frozen({"a": [1, {"b": None}]})


@pytest.mark.parametrize("value", [{1: "a"}, (1, 2), {"a": (1,)}, [object()], {"a": {"b": {1, 2}}}])
def test_anything_but_plain_data_has_no_key(value):
    assert frozen(value) is None


def test_a_memo_makes_each_key_once_and_forgets_the_oldest():
    made: list[str] = []

    def make(key: str):
        return lambda: made.append(key) or key.upper()

    memo = Memo[str](2)
    assert memo.get("a", make("a")) == "A"
    assert memo.get("a", make("a")) == "A"
    assert memo.get("b", make("b")) == "B"
    assert memo.get("a", make("a")) == "A"  # a is now the newest
    assert memo.get("c", make("c")) == "C"  # b, the oldest, goes
    assert memo.get("b", make("b")) == "B"
    assert memo.get(None, make("n")) == "N" and memo.get(None, make("n")) == "N"
    assert made == ["a", "b", "c", "b", "n", "n"]
    assert len(memo) == 2


def test_a_remembered_image_is_the_image_built_afresh():
    files = {"module.yaml": b"name: module-one\n", "version.json": b'{"version": "v1.2.3"}'}
    first = images.build_image(files, labels={"x": "1"})
    again = images.build_image(dict(reversed(list(files.items()))), labels={"x": "1"})
    layer = archive.build_layer(files)
    fresh = images.manifest_for(layer, sha256_digest(gzip.decompress(layer)), labels={"x": "1"})
    assert first == again == fresh
    other = images.build_image(files, labels={"x": "2"})  # labels are in the config, not the layer
    assert other.digest != first.digest
    assert set(other.blobs) - set(first.blobs) and set(other.blobs) & set(first.blobs)


def test_remembered_yaml_is_the_yaml_dumped_afresh():
    module = layout.ModuleVersion("module-one", "v1.2.3", weight=910, requirements={"deckhouse": ">= 1.60"})
    assert module.definition() == module.definition()
    assert module.definition() == b"name: module-one\nrequirements:\n  deckhouse: '>= 1.60'\nweight: 910\n"
    # a weight of 1 and of True would be the same key without the types: they are not the same YAML
    assert layout._yaml({"weight": 1}) == b"weight: 1\n"
    assert layout._yaml({"weight": True}) == b"weight: true\n"
