"""The committed field table of the built-in kinds is what the generator makes of the client."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

_GENERATOR = Path(__file__).resolve().parents[2] / "tools" / "gen_builtin_fields.py"


def _load_generator():
    """The generator by its path: ``tools`` is no installed package, and ``from tools import`` only
    worked under ``python -m pytest`` (the current directory on ``sys.path``); the console
    script ``pytest`` failed the whole collection on it."""
    spec = importlib.util.spec_from_file_location("gen_builtin_fields", _GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen_builtin_fields = _load_generator()


def test_the_committed_table_is_the_generators_output():
    models = pytest.importorskip(
        "kubernetes.client.models", reason="the kubernetes client generates the table: install it"
    )
    committed = json.loads(gen_builtin_fields.OUT.read_text())
    assert gen_builtin_fields.build(models) == committed, "run: python -m tools.gen_builtin_fields"
    schemas = json.loads(gen_builtin_fields.SCHEMAS_OUT.read_text())
    assert gen_builtin_fields.build_schemas(models) == schemas, "run: python -m tools.gen_builtin_fields"


def test_every_served_stored_built_in_kind_is_in_the_table():
    from harness.apiserver.catalog import core_types
    from harness.apiserver.idle_kinds import IDLE_TYPES
    from harness.apiserver.leases import LEASE_TYPE

    served = [*core_types(), *IDLE_TYPES, LEASE_TYPE]
    stored = {rt.resource.plural for rt in served if not rt.create_only}
    assert stored == set(json.loads(gen_builtin_fields.OUT.read_text())["kinds"])
