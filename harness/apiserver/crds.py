"""Load ``apiextensions.k8s.io/v1`` CustomResourceDefinition YAML into served resource types.

Each served version becomes one :class:`ResourceType`; unserved versions (``served: false``, as
ModulePullOverride v1alpha1) are not reachable at all, as on a real cluster. Parsed files are
cached per process by path, size and modification time, so every server after the first one in a
test process builds its catalogue from memory.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from harness.apiserver.catalog import PrinterColumn, ResourceType
from harness.apiserver.schema import StructuralSchema
from harness.kube.fast_yaml import SAFE_LOADER
from harness.kube.objects import Obj
from harness.kube.resources import Resource

__all__ = [
    "CrdError",
    "default_crd_dir",
    "load_crd_dir",
    "load_crd_layers",
    "load_crds",
    "types_from_crd",
]


class CrdError(ValueError):
    """A CRD file cannot be served; the message names the file and the problem."""


def default_crd_dir() -> Path:
    """``<repo>/fixtures/crds``, located from this package, not from the working directory."""
    return Path(__file__).resolve().parents[2] / "fixtures" / "crds"


_AGE = PrinterColumn(
    name="Age",
    type="date",
    json_path=".metadata.creationTimestamp",
    description="CreationTimestamp is a timestamp representing the server time when this object was created.",
)


def _columns(version: dict[str, Any]) -> tuple[PrinterColumn, ...]:
    cols = tuple(
        PrinterColumn(
            name=str(c["name"]),
            type=str(c.get("type", "string")),
            json_path=str(c["jsonPath"]),
            description=str(c.get("description", "")),
            priority=int(c.get("priority", 0)),
            format=str(c.get("format", "")),
        )
        for c in version.get("additionalPrinterColumns") or []
    )
    # kube-apiserver serves an Age column when a CRD declares none.
    return cols or (_AGE,)


def types_from_crd(crd: dict[str, Any], origin: str = "<memory>") -> list[ResourceType]:
    """The served versions of one CRD document."""
    if crd.get("apiVersion") != "apiextensions.k8s.io/v1":
        raise CrdError(
            f"{origin}: apiVersion {crd.get('apiVersion')!r} is not supported; use apiextensions.k8s.io/v1"
        )
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    try:
        group, plural, kind = spec["group"], names["plural"], names["kind"]
    except KeyError as exc:
        raise CrdError(
            f"{origin}: CRD is missing spec.{exc.args[0]} (need spec.group, names.plural, names.kind)"
        ) from exc
    versions = spec.get("versions") or []
    storage = [v["name"] for v in versions if v.get("storage")]
    if len(storage) != 1:
        raise CrdError(f"{origin}: exactly one version must have storage: true, found {storage or 'none'}")
    namespaced = spec.get("scope", "Namespaced") == "Namespaced"
    out: list[ResourceType] = []
    for version in versions:
        if not version.get("served", False):
            continue
        schema = (version.get("schema") or {}).get("openAPIV3Schema")
        warning = None
        if version.get("deprecated"):
            warning = version.get("deprecationWarning") or f"{group}/{version['name']} {kind} is deprecated"
        out.append(
            ResourceType(
                resource=Resource(group, str(version["name"]), plural, kind, namespaced),
                singular=str(names.get("singular") or kind.lower()),
                storage_version=storage[0],
                short_names=tuple(names.get("shortNames") or ()),
                categories=tuple(names.get("categories") or ()),
                status_subresource="status" in (version.get("subresources") or {}),
                columns=_columns(version),
                schema=StructuralSchema(schema) if schema else None,
                deprecation_warning=warning,
            )
        )
    return out


class _Parsed(NamedTuple):
    types: tuple[ResourceType, ...]
    documents: tuple[Obj, ...]
    """The CRD documents as read (shared by every server of the process: never changed)."""


@lru_cache(maxsize=64)
def _load_file(path: str, _mtime_ns: int, _size: int) -> _Parsed:
    text = Path(path).read_text(encoding="utf-8")
    try:
        # libyaml's parser when PyYAML has it (~10x faster on the CRD files, read in every process);
        # on an error the pure-Python parser reads it again, so the message is PyYAML's usual one.
        docs = list(yaml.load_all(text, Loader=SAFE_LOADER))
    except yaml.YAMLError:
        try:
            docs = list(yaml.safe_load_all(text))
        except yaml.YAMLError as exc:
            raise CrdError(f"{path}: not valid YAML: {exc}") from exc
    crds = [doc for doc in docs if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition"]
    types = [rt for doc in crds for rt in types_from_crd(doc, path)]
    return _Parsed(tuple(types), tuple(crds))


def load_crd_dir(directory: Path) -> list[ResourceType]:
    """All served types from ``*.yaml``/``*.yml`` in ``directory`` (sorted by file name)."""
    return load_crd_layers([directory])


def load_crd_layers(directories: Sequence[Path]) -> list[ResourceType]:
    """Served types from layered CRD directories, sorted by file name.

    A file in a later directory replaces the file of the same name in an earlier one, the way a
    newer Deckhouse release ships a newer revision of a CRD (``fixtures/crds/eras/<version>``
    over ``fixtures/crds``). Sub-directories are not read.
    """
    return [rt for parsed in _parse_layers(directories) for rt in parsed.types]


def load_crds(directories: Sequence[Path]) -> tuple[list[ResourceType], list[Obj]]:
    """What :func:`load_crd_layers` serves, and the CustomResourceDefinition documents it came from.

    The documents are shared with every other server of the process: read them, never change them.
    """
    parsed = _parse_layers(directories)
    return [rt for p in parsed for rt in p.types], [doc for p in parsed for doc in p.documents]


def _parse_layers(directories: Sequence[Path]) -> list[_Parsed]:
    files: dict[str, Path] = {}
    for directory in directories:
        if not directory.is_dir():
            raise CrdError(
                f"CRD directory {directory} does not exist: "
                "pass crd_dir=/--crds pointing at the CRD YAML files"
            )
        for path in directory.iterdir():
            if path.suffix in (".yaml", ".yml") and path.is_file():
                files[path.name] = path
    parsed: list[_Parsed] = []
    for name in sorted(files):
        st = os.stat(files[name])
        parsed.append(_load_file(str(files[name]), st.st_mtime_ns, st.st_size))
    return parsed
