"""The registry's JSON documents checked for the shape Go decodes them into, before anything reads them.

DKP pulls with go-containerregistry, which decodes a manifest into ``v1.Manifest`` (its ``layers``
a list of ``v1.Descriptor``), an index into ``v1.IndexManifest`` and a tag list into
``{name string; tags []string}``; a registry that answers with another shape (``"layers": "abc"``,
a size that is text, a tag that is a number) makes ``encoding/json`` fail with its own sentence,
which DKP puts in the ModuleSource's or ModuleRelease's status. Read unchecked, such a document
made the simulated controllers crash with a Python ``AttributeError`` instead; here it becomes a
:class:`~harness.registry.errors.RegistryError` with Go's words::

    json: cannot unmarshal string into Go struct field Manifest.layers of type []v1.Descriptor

Sources: ``pkg/v1/manifest.go`` of google/go-containerregistry (the structs and JSON names), and
``encoding/json``'s ``UnmarshalTypeError`` (``Go struct field <Struct>.<path> of type <type>``,
the struct being the innermost one, the path the JSON names from the top).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.registry.errors import RegistryError

__all__ = ["checked_index", "checked_manifest", "checked_tags"]

_DESCRIPTOR_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("mediaType", "str", "types.MediaType"),
    ("size", "int", "int64"),
    ("digest", "str", "v1.Hash"),
)


def checked_manifest(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """``document`` if it decodes as ``v1.Manifest``: ``layers`` a list of descriptors."""
    _list_of_descriptors(document, "layers", "Manifest")
    config = document.get("config")
    if config is not None:
        _descriptor(config, "config", "Manifest", "v1.Descriptor")
    return document


def checked_index(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """``document`` if it decodes as ``v1.IndexManifest`` and each entry names a manifest."""
    _list_of_descriptors(document, "manifests", "IndexManifest")
    for entry in document.get("manifests") or []:
        if not entry.get("digest"):
            raise RegistryError("the image index lists a manifest without a digest")
    return document


def checked_tags(document: Mapping[str, Any]) -> list[str]:
    """The ``tags`` of a tag list page (``null`` entries read as ``""``, as Go leaves them)."""
    tags = document.get("tags")
    if tags is None:
        return []
    if not isinstance(tags, list):
        raise _type_error(tags, "Tags", "tags", "[]string")
    for tag in tags:
        if tag is not None and not isinstance(tag, str):
            raise _type_error(tag, "Tags", "tags", "string")
    return ["" if tag is None else tag for tag in tags]


def _list_of_descriptors(document: Mapping[str, Any], key: str, struct: str) -> None:
    items = document.get(key)
    if items is None:
        return
    if not isinstance(items, list):
        raise _type_error(items, struct, key, "[]v1.Descriptor")
    for item in items:
        _descriptor(item, key, struct, "v1.Descriptor")


def _descriptor(item: Any, path: str, struct: str, go_type: str) -> None:
    if item is None:
        return  # Go leaves a null element at its zero value
    if not isinstance(item, dict):
        raise _type_error(item, struct, path, go_type)
    for name, kind, field_type in _DESCRIPTOR_FIELDS:
        value = item.get(name)
        if value is None:
            continue
        if kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            raise _type_error(value, "Descriptor", f"{path}.{name}", field_type)
        if kind == "str" and not isinstance(value, str):
            raise _type_error(value, "Descriptor", f"{path}.{name}", field_type)


def _type_error(value: Any, struct: str, path: str, go_type: str) -> RegistryError:
    return RegistryError(
        f"json: cannot unmarshal {_json_kind(value)} into Go struct field {struct}.{path} of type {go_type}"
    )


def _json_kind(value: Any) -> str:
    """How ``encoding/json`` names a JSON value in a type error (a fraction: ``number 1.5``)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, float):
        return f"number {value:g}" if not value.is_integer() else "number"
    if isinstance(value, int):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
