"""The controller side of the plugin: collect finished scenarios, print progress, write the files.

Only the process without ``workerinput`` (the only process when xdist is off) registers a
:class:`Controller`. It learns about scenarios only from test reports, which is all that
pytest-xdist forwards from its workers.
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from harness.report.assemble import assemble_run
from harness.report.claims import Catalogue
from harness.report.model import Run, ScenarioResult, StepCatalogueEntry
from harness.report.write import write_reports

__all__ = ["PAYLOAD_KEY", "STATE", "STEP_CATALOGUE", "Controller", "SessionState"]

#: The ``user_properties`` key under which a finished scenario travels, as JSON.
PAYLOAD_KEY = "harness.report.scenario"
STEP_CATALOGUE = pytest.StashKey[list[StepCatalogueEntry]]()
# Held in a dict so freezegun (which patches module attributes) cannot freeze the run header.
_WALL: dict[str, Callable[[], float]] = {"time": time.time}


class SessionState:
    """The catalogue in use and the scenarios received so far."""

    def __init__(self, catalogue: Catalogue | None, catalogue_path: Path) -> None:
        self.catalogue = catalogue
        self.catalogue_path = catalogue_path
        self.scenarios: dict[str, ScenarioResult] = {}
        self.started = _WALL["time"]()


STATE = pytest.StashKey[SessionState]()


class Controller:
    """Registered as a plugin object in the controller process only."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self._written: list[Path] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        payload = next((v for k, v in report.user_properties if k == PAYLOAD_KEY), None)
        if payload is None:
            return
        scenario = ScenarioResult.from_dict(json.loads(str(payload)))
        self.config.stash[STATE].scenarios[scenario.nodeid] = scenario
        if self.config.getoption("--conformance-progress"):
            self._print_progress(scenario)

    def pytest_report_teststatus(
        self, report: pytest.TestReport, config: pytest.Config
    ) -> tuple[str, str, str] | None:
        """With --conformance-progress the scenario lines replace pytest's progress dots."""
        if not config.getoption("--conformance-progress") or report.when != "call":
            return None
        if hasattr(report, "wasxfail"):
            return None
        return report.outcome, "", report.outcome.upper()

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        target = self.config.getoption("--conformance-report")
        if not target:
            return
        self._written = write_reports(self.run(), Path(self.config.invocation_params.dir, target))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        """Name the report once pytest's progress line is closed (sessionfinish is too early)."""
        if self._written:
            terminalreporter.write_sep("-", f"conformance report: {self._written[0]}")

    def run(self) -> Run:
        """The report model of everything received so far."""
        state = self.config.stash[STATE]
        run = assemble_run(
            state.scenarios.values(),
            state.catalogue,
            started_at=datetime.fromtimestamp(state.started, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            duration=_WALL["time"]() - state.started,
            step_catalogue=self.config.stash.get(STEP_CATALOGUE, None),
            docs_base=self.config.getoption("--docs-base-url"),
            environment=self._environment(state),
        )
        if state.catalogue is None:
            run.problems.insert(0, f"no claims catalogue at {state.catalogue_path}; claims are not shown")
        return run

    def _print_progress(self, scenario: ScenarioResult) -> None:
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None:
            return
        claims = ",".join(scenario.claims) or "-"
        reporter.ensure_newline()
        reporter.write_line(f"{scenario.status.value.upper():<9} {claims} {scenario.name}")

    def _environment(self, state: SessionState) -> dict[str, str]:
        workers = getattr(self.config.option, "numprocesses", None)
        return {
            "pytest": pytest.__version__,
            "workers": str(workers or 1),
            "python": platform.python_version(),
            "claims catalogue": state.catalogue_path.name,
        }
