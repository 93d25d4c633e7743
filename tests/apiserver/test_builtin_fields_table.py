"""The committed field table of the built-in kinds is what the generator makes of the client."""

from __future__ import annotations

import json

import pytest

from tools import gen_builtin_fields


def test_the_committed_table_is_the_generators_output():
    models = pytest.importorskip(
        "kubernetes.client.models", reason="the kubernetes client generates the table: install it"
    )
    committed = json.loads(gen_builtin_fields.OUT.read_text())
    assert gen_builtin_fields.build(models) == committed, "run: python -m tools.gen_builtin_fields"


def test_every_served_stored_built_in_kind_is_in_the_table():
    from harness.apiserver.catalog import core_types
    from harness.apiserver.leases import LEASE_TYPE

    stored = {rt.resource.plural for rt in [*core_types(), LEASE_TYPE] if not rt.create_only}
    assert stored == set(json.loads(gen_builtin_fields.OUT.read_text())["kinds"])
