"""pytest plugin for the shortcuts differential test: dumps each scenario's observable outcome.

Loaded with ``-p tests.dkp.differential.dump_plugin`` into a pytest run of ``scenarios/``; for every
scenario that started a cluster it writes ``<DKP_DIFF_DUMP>/<test id>.json`` holding every
committed version of every object (the history the steps and the report read, timelines included)
and the Deckhouse log. Identifiers the API server draws at random (``metadata.uid``) are left out.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

DUMP_ENV = "DKP_DIFF_DUMP"


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "uid"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


@pytest.fixture(autouse=True)
def _dump_outcome(request: pytest.FixtureRequest) -> Iterator[None]:
    target = os.environ.get(DUMP_ENV)
    if not target or "world" not in request.fixturenames:
        yield
        return
    world = request.getfixturevalue("world")  # set up first, so it is torn down after this
    yield
    if not world.started:
        return
    history = [
        {"at": v.at.isoformat(), "kind": v.kind, "name": v.name, "deleted": v.deleted, "obj": _strip(v.obj)}
        for v in world.history.versions
    ]
    outcome = {
        "test": request.node.nodeid,
        "history": history,
        "timeline": [[c.at.isoformat(), c.kind, c.name, c.phase] for c in world.history.timeline()],
        "log": world.cluster.log.lines(),
    }
    name = hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:16] + ".json"
    (Path(target) / name).write_text(json.dumps(outcome, indent=1, sort_keys=True, default=str))
