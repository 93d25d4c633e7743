"""pytest plugin for the shortcuts differential test: dumps each scenario's observable outcome.

Loaded with ``-p tests.dkp.differential.dump_plugin`` into a pytest run of ``scenarios/``; for every
scenario that started a cluster it writes ``<DKP_DIFF_DUMP>/<hash of the test id>.json`` holding
every committed version of every object (the history the steps and the report read), the phase
timeline and the Deckhouse log, just before the scenario's world closes. Identifiers the API
server draws at random (``metadata.uid``) are left out, and what depends on the free port the
registry got (its address, and the source's checksum of ``spec.registry``) is normalised.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from harness.api.annotations import REGISTRY_SPEC_CHECKSUM
from harness.steps.world import World

DUMP_ENV = "DKP_DIFF_DUMP"
_current: list[str] = [""]


_PORT = re.compile(r"(127\.0\.0\.1|localhost):\d+")


def _docker_cfg(value: str) -> str:
    """Inside base64 the credentials name the registry's free port and the run's random password."""
    try:
        text = _PORT.sub(r"\1:PORT", base64.b64decode(value).decode())
        return "<dockerCfg " + re.sub(r'"auth":\s*"[^"]*"', '"auth": "<per-run>"', text) + ">"
    except (ValueError, UnicodeDecodeError):
        return value


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: "<md5 of spec.registry>"
            if k == REGISTRY_SPEC_CHECKSUM
            else _docker_cfg(v)
            if k == "dockerCfg" and isinstance(v, str)
            else _strip(v)
            for k, v in value.items()
            if k != "uid"
        }
    if isinstance(value, str):
        return _PORT.sub(r"\1:PORT", value)
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _dump(world: World, target: Path) -> None:
    history = world.history
    outcome = {
        "test": _current[0],
        "history": [
            {
                "at": v.at.isoformat(),
                "kind": v.kind,
                "name": v.name,
                "deleted": v.deleted,
                "obj": _strip(v.obj),
            }
            for v in history.versions
        ],
        "timeline": [[c.at.isoformat(), c.kind, c.name, c.phase] for c in history.timeline()],
        "log": [_strip(line) for line in world.target.cluster.log.lines()],  # type: ignore[attr-defined]
    }
    name = hashlib.sha1(_current[0].encode()).hexdigest()[:16] + ".json"
    (target / name).write_text(json.dumps(outcome, indent=1, sort_keys=True, default=str))


_original_close = World.close


def _close_and_dump(self: World) -> None:
    target = os.environ.get(DUMP_ENV)
    if target and self.started:
        _dump(self, Path(target))
    _original_close(self)


World.close = _close_and_dump  # type: ignore[method-assign]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
    _current[0] = item.nodeid
    return (yield)
