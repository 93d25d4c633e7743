"""The scenario behind a node id, for the controller of a pytest-xdist run, which never collects.

Every process notes the scenarios it collected as skeletons (:mod:`harness.report.unfinished`),
and an xdist worker ships them only when it ends. A worker that crashed before its end shipped
nothing: a scenario lost with it (the one it was running, or one it never started because no
worker was left) was reported by its node id alone, with no name, no feature and no claims, so
its claims "held" on the account of their other scenarios, or dropped out of the report.

The controller knows the node ids (``pytest_xdist_node_collection_finished``); a test of the
feature binding (:func:`harness.steps.binding.bind_features`) is named from its feature file and
scenario, so the controller walks the same names (:func:`harness.bound_features.bound_tests`) over
the features folders the module binds (the default ``<module folder>/../features`` or the
``features_dir`` its call names, read without importing it: :mod:`harness.report.binding_folders`),
parsing the files itself. A node id of any other test, or of a module whose folder cannot be read
from its source (a helper's return value, an environment variable), stays bare.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from harness.bound_features import BoundTest, bound_tests
from harness.report.binding_folders import bound_folders
from harness.report.example_ids import example_for, rows_by_id
from harness.report.recorder import ScenarioRecorder, scenario_result
from harness.report.redaction import redact_value

__all__ = ["NodeScenarios"]

_CLAIM_TAG = "claim:"
_DEVIATION_TAG = "deviation"
_BINDING_CALL = "bind_features"
_NODE = re.compile(r"^(?P<module>[^:]+)::(?:.*::)?(?P<function>[^:\[]+)(?:\[(?P<param>.*)\])?$")


class NodeScenarios:
    """Skeletons (as :func:`harness.report.unfinished.skeletons` makes them) from node ids alone."""

    def __init__(self, rootpath: Path) -> None:
        self._root = rootpath
        self._modules: dict[Path, dict[str, BoundTest]] = {}

    @property
    def root(self) -> Path:
        """The folder node ids are relative to (pytest's rootpath)."""
        return self._root

    def skeleton(self, nodeid: str) -> dict[str, Any] | None:
        """The redacted result dict of the scenario ``nodeid`` stands for (not reached), or None."""
        match = _NODE.match(nodeid)
        if match is None:
            return None
        bound = self._bound(self._root / match["module"]).get(match["function"])
        if bound is None or bound.template is None:
            return None
        template = bound.template
        tags = template.tags | template.feature.tags | (template.rule.tags if template.rule else set())
        result = scenario_result(
            nodeid,
            template,
            example_for(template, match["param"]),
            self._root,
            ScenarioRecorder(),
            claims=sorted({t.removeprefix(_CLAIM_TAG) for t in tags if t.startswith(_CLAIM_TAG)}),
            deviation=_DEVIATION_TAG in tags,
        )
        return dict(redact_value(result.to_dict()))

    def node_ids(self, module: str, *, escaped: bool = True) -> list[str]:
        """Every node id the binding module ``module`` (relative to the root) makes: one per
        scenario, one per Examples row of an Outline (``escaped`` as pytest escapes the ids)."""
        out: list[str] = []
        for name, bound in self._bound(self._root / module).items():
            rows = rows_by_id(bound.template, escaped=escaped) if bound.template is not None else []
            out += [f"{module}::{name}[{row_id}]" for row_id, _ in rows] or [f"{module}::{name}"]
        return out

    def _bound(self, module: Path) -> dict[str, BoundTest]:
        """The tests a binding module makes, by name; none for a module that does not bind."""
        if module not in self._modules:
            self._modules[module] = _tests_of(module)
        return self._modules[module]


def _tests_of(module: Path) -> dict[str, BoundTest]:
    """The tests of every ``bind_features`` call of ``module``, a later call's names made unique
    against the earlier ones' as the binding makes them in the one namespace."""
    try:
        binds = _BINDING_CALL in module.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    folders = bound_folders(module) if binds else None
    tests: dict[str, BoundTest] = {}
    for folder in folders or []:
        tests.update({test.name: test for test in bound_tests(folder, taken=set(tests))})
    return tests
