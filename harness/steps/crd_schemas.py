"""The DKP kinds' schemas from the project's CRD files, for the lint (no cluster to ask there).

The run reads a kind's schema from the cluster it runs against (``World.schema_of``); the lint
runs before any cluster exists, so it reads the same CustomResourceDefinitions from
``fixtures/crds`` (the page's era) and ``fixtures/crds/eras/<version>/`` (what later Deckhouse
releases changed). A field is the scenario's typo only when no era's schema has it: a scenario
may be meant for any Deckhouse version.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from harness.kube.fast_yaml import SAFE_LOADER
from harness.steps.schema_fields import UnknownField, UnsupportedValue, unknown_fields, unsupported_values

__all__ = ["printer_columns", "unknown_in_every_era", "unsupported_in_every_era"]

_Found = TypeVar("_Found", UnknownField, UnsupportedValue)

CRD_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "crds"


@functools.lru_cache(maxsize=1)
def _crds() -> list[dict[str, Any]]:
    """Every CustomResourceDefinition of every era's CRD files."""
    # libyaml's loader: the first seed of every worker process reads them (pure Python: ~70 ms)
    files = sorted(CRD_DIR.rglob("*.yaml"))
    documents = [d for path in files for d in yaml.load_all(path.read_text(), Loader=SAFE_LOADER)]
    return [d for d in documents if isinstance(d, dict) and d.get("kind") == "CustomResourceDefinition"]


@functools.lru_cache(maxsize=1)
def printer_columns() -> frozenset[str]:
    """The column headers kubectl prints for the DKP kinds in some era (``NAME`` and the CRDs'
    ``additionalPrinterColumns``, upper-cased as kubectl prints them)."""
    names = {"NAME", "AGE"}
    for crd in _crds():
        for version in crd.get("spec", {}).get("versions") or []:
            names.update(
                str(c.get("name", "")).upper() for c in version.get("additionalPrinterColumns") or []
            )
    return frozenset(names)


@functools.lru_cache(maxsize=1)
def _schemas() -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(kind, version) → its ``openAPIV3Schema`` in every CRD file that defines it."""
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for crd in _crds():
        kind = str(crd.get("spec", {}).get("names", {}).get("kind", ""))
        for version in crd.get("spec", {}).get("versions") or []:
            schema = (version.get("schema") or {}).get("openAPIV3Schema")
            if isinstance(schema, dict):
                found.setdefault((kind, str(version.get("name"))), []).append(schema)
    return found


def unknown_in_every_era(kind: str, version: str, document: Any) -> list[UnknownField]:
    """The fields of ``document`` no era's schema of ``kind`` at ``version`` has (none: no CRD)."""
    return _in_every_era(kind, version, lambda schema: unknown_fields(document, schema))


def unsupported_in_every_era(kind: str, version: str, document: Any) -> list[UnsupportedValue]:
    """The values of ``document`` that no era's schema of ``kind`` at ``version`` allows."""
    return _in_every_era(kind, version, lambda schema: unsupported_values(document, schema))


def _in_every_era(kind: str, version: str, find: Callable[[dict[str, Any]], list[_Found]]) -> list[_Found]:
    """What ``find`` finds at the same path in every era's schema of the kind (a scenario may be
    meant for any Deckhouse version: a field or value one era has is not a mistake)."""
    schemas = _schemas().get((kind, version), [])
    if not schemas:
        return []
    per_era = [find(schema) for schema in schemas]
    everywhere = set.intersection(*({m.path for m in mistakes} for mistakes in per_era))
    return [m for m in per_era[0] if m.path in everywhere]
