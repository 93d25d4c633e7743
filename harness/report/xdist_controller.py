"""The controller side of the plugin: collect finished scenarios, print progress, write the files.

Only the process without ``workerinput`` (the only process when xdist is off) registers a
:class:`Controller`. It learns about scenarios only from test reports, which is all that
pytest-xdist forwards from its workers.
"""

from __future__ import annotations

import json
import platform
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from harness.report.assemble import assemble_run
from harness.report.attempts import merged_attempts
from harness.report.claims import Catalogue
from harness.report.derived_left_out import DESELECTING, derived_left_out
from harness.report.held_signals import HeldSignals
from harness.report.launcher import launched_by_cli
from harness.report.left_out import left_out_from, shipped_left_out
from harness.report.model import DEFAULT_TARGET, Run, ScenarioResult, StepCatalogueEntry
from harness.report.node_scenarios import NodeScenarios
from harness.report.page_expectation import PageExpectation
from harness.report.redaction import redact_value
from harness.report.run_target import RUN_TARGET_KEY
from harness.report.selection import selection_of
from harness.report.status import Status
from harness.report.unfinished import crash_of, skeletons_from, unfinished
from harness.report.visible_text import visible

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
        #: Every selected scenario, unfinished (``harness.report.unfinished``), by node id.
        self.expected: dict[str, dict[str, Any]] = {}
        #: xdist's message for each scenario whose worker crashed while running it.
        self.crashes: dict[str, str] = {}
        #: Why the run stopped before its end (``-x``), for the scenarios it never ran.
        self.stop_reason = "the run ended before this scenario started"
        #: Per claim, its scenarios the selection left out (``harness.report.left_out``).
        self.left_out: Counter[str] = Counter()
        #: Whether a worker shipped its left-out counts (one that ended did, even all zero).
        self.left_out_shipped = False
        #: The node ids the xdist workers collected (after deselection), as xdist tells the
        #: controller; a worker that crashed may have shipped no skeleton for them.
        self.collected: set[str] = set()


STATE = pytest.StashKey[SessionState]()
#: pytest's ini option that keeps node ids unescaped (``é`` instead of ``\xe9``).
_NO_ID_ESCAPING = "disable_test_id_escaping_and_forfeit_all_rights_to_community_support"
# Exit statuses after which the previous reports are kept: nothing ran, or the run was cut short.
_NOTHING_TO_REPORT = (
    pytest.ExitCode.NO_TESTS_COLLECTED,
    pytest.ExitCode.USAGE_ERROR,
    pytest.ExitCode.INTERRUPTED,
    pytest.ExitCode.INTERNAL_ERROR,
)


_NOT_PASSED = (Status.FAILED, Status.ERROR)


def _why_kept(any_scenario: bool, exitstatus: int) -> str:
    """Why this run wrote no report, for the line that says the previous one was kept.

    "No scenario ran" is said only when that is true: an interrupted run may have run many.
    """
    if not any_scenario:
        return "no scenario ran"
    if exitstatus == pytest.ExitCode.INTERRUPTED:
        return "the run was interrupted"
    return f"the run ended early (pytest exit code {int(exitstatus)})"


def _deviation_lines(scenarios: Iterable[ScenarioResult]) -> list[str]:
    """What the page's expectation of the failed ``@deviation`` scenarios showed, for the terminal:
    pytest prints each as FAILED, which cannot say that DKP now does what the page says."""
    failed = [s for s in scenarios if s.deviation and s.status is Status.FAILED]
    lines = []
    fixed = [s for s in failed if s.page_expectation == PageExpectation.MET]
    if fixed:
        lines.append(
            f"DKP now matches the page: {len(fixed)} known deviation scenario(s) are fixed "
            f"({_places(fixed)}): drop @deviation and the claim's deviation reason, and make the "
            "'the page says:' steps their Then steps; they fail until then"
        )
    neither = [s for s in failed if s.page_expectation == PageExpectation.NOT_MET]
    if neither:
        lines.append(
            f"deviation not observed: neither DKP's known behaviour nor the page's, in {len(neither)} "
            f"scenario(s) ({_places(neither)})"
        )
    return lines


def _places(scenarios: list[ScenarioResult]) -> str:
    return ", ".join(sorted(f"{s.feature_uri}:{s.line}" for s in scenarios))


class Controller:
    """Registered as a plugin object in the controller process only."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self._written: list[Path] = []
        self._kept: Path | None = None
        self._kept_because = ""
        self._failed_on_deviation = 0
        self._xfailed = 0
        self._rerun = 0
        self._write_error = ""
        self._stopped_while_writing = False
        self._held = HeldSignals()
        self._acted_on = 0
        self._told = 0

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        """An xdist worker ended: take the scenarios it collected (the same in every worker)."""
        state = self.config.stash[STATE]
        output = getattr(node, "workeroutput", None)
        for nodeid, skeleton in skeletons_from(output).items():
            state.expected.setdefault(nodeid, skeleton)
        if not state.left_out_shipped and shipped_left_out(output):
            state.left_out.update(left_out_from(output))
            state.left_out_shipped = True

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """Note what the workers collected: a scenario of a worker that crashes before its end is
        still named (:mod:`harness.report.node_scenarios`) and reported."""
        self.config.stash[STATE].collected.update(ids)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        payload = next((v for k, v in report.user_properties if k == PAYLOAD_KEY), None)
        if payload is None:
            crash = crash_of(report)
            if crash is not None:
                self.config.stash[STATE].crashes[report.nodeid] = crash
            return
        # Redacted now, as redacted_scenario would at the end: redaction only applies patterns in
        # this process (steps, which may register literal secrets, run in the workers), and the
        # run's last seconds are then spent on nothing but writing the files.
        scenario = ScenarioResult.from_dict(redact_value(json.loads(str(payload))))
        earlier = self.config.stash[STATE].scenarios.get(scenario.nodeid)
        if earlier is not None:
            scenario = merged_attempts(earlier, scenario)
        self.config.stash[STATE].scenarios[scenario.nodeid] = scenario
        if self.config.getoption("--conformance-progress"):
            self._print_progress(scenario)

    def pytest_report_teststatus(
        self, report: pytest.TestReport, config: pytest.Config
    ) -> tuple[str, str, str] | None:
        """With --conformance-progress the scenario lines replace pytest's progress dots."""
        if not config.getoption("--conformance-progress"):
            return None
        if hasattr(report, "wasxfail"):
            return None
        if report.when != "call":
            # A setup or teardown error, or a skip in setup (a scenario for another Deckhouse
            # version), is announced by the scenario line; no stray "E" or "s" glued to it.
            if report.failed:
                return "error", "", "ERROR"
            return ("skipped", "", "SKIPPED") if report.skipped else None
        return report.outcome, "", report.outcome.upper()

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> Generator[None, None, None]:
        """Write the reports, unless nothing ran; apply ``--fail-on-deviation``.

        A run that selected nothing, was refused or was interrupted leaves the previous reports
        byte for byte: overwriting a good report with an empty one loses the last real result.

        Before every other session-finish hook: every result is in once the test loop is over,
        and under xdist the next hook waits for the workers' processes to end (their last garbage
        collection, exit hooks and interpreter shutdown take them a few tenths of a second);
        written first, the reports are rendered meanwhile instead of after.

        From here to the end of pytest the stop signals (Ctrl-C, SIGTERM, SIGHUP) are held
        (:class:`~harness.report.held_signals.HeldSignals`): one that comes while the reports are
        written waits until the last file is in place, so the set is this run's, whole, and none
        ends pytest with a traceback in its summary or clean-up. The run then ends as interrupted
        (exit 2). One that comes before this hook ends the run as interrupted before anything is
        written, and the previous reports are kept.
        """
        self._held.start()
        self.config.add_cleanup(self._release_signals)
        self._finish(session, exitstatus)
        yield
        self._interrupt(session)

    def _finish(self, session: pytest.Session, exitstatus: int) -> None:
        state = self.config.stash[STATE]
        stopped = session.shouldstop or session.shouldfail  # -x, --maxfail: the rest never ran
        if stopped:
            state.stop_reason = f"the run stopped before it ({stopped})"
        elif state.crashes:
            state.stop_reason = "the run ended before it: a pytest-xdist worker crashed, none took it over"
        target = self.config.getoption("--conformance-report")
        # A scenario whose worker crashed ran too: a run whose only scenario crashed kept the
        # previous reports (which may say its claims hold) and said "no scenario ran".
        ran = bool(state.scenarios or state.crashes)
        if target:
            if ran and exitstatus not in _NOTHING_TO_REPORT:
                # Imported when needed: the renderers bring jinja2 (~40 ms of start-up) into
                # every process that loads this plugin, xdist workers included, which never write.
                from harness.report.write import ReportWriteError, write_reports

                try:
                    self._written = write_reports(self.run(), Path(self.config.invocation_params.dir, target))
                except ReportWriteError as exc:
                    self._write_error = str(exc)
                    session.exitstatus = pytest.ExitCode.TESTS_FAILED
                self._stopped_while_writing = bool(self._held.received)
            else:
                self._kept = Path(self.config.invocation_params.dir, target)
                self._kept_because = _why_kept(ran, exitstatus)
        not_passed = [s for s in state.scenarios.values() if s.status in _NOT_PASSED]
        xfailed = [s for s in not_passed if s.xfail is not None]
        rerun = [s for s in not_passed if s.attempts and s.xfail is None]
        if (xfailed or rerun) and exitstatus == pytest.ExitCode.OK:
            # pytest calls them "xfailed", or counts only a rerun's last pass, and exits 0; the
            # report calls them what they were, and the exit code agrees with the report.
            self._xfailed, self._rerun = len(xfailed), len(rerun)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        deviations = [s for s in state.scenarios.values() if s.status is Status.DEVIATION]
        if self.config.getoption("--fail-on-deviation") and deviations and exitstatus == pytest.ExitCode.OK:
            self._failed_on_deviation = len(deviations)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def _interrupt(self, session: pytest.Session) -> None:
        """A stop request held so far ends the run as interrupted (exit 2); the reports stay."""
        self._acted_on = len(self._held.received)
        if self._acted_on:
            session.exitstatus = pytest.ExitCode.INTERRUPTED

    def _release_signals(self) -> None:
        """The last clean-up of pytest: give the signals back; one that came after the session's
        end (during pytest's own clean-up) still makes the exit code 2, without a traceback."""
        late = len(self._held.received) > self._acted_on
        untold = len(self._held.received) > self._told
        self._held.release()
        if untold:
            print(self._interrupted_line(), flush=True)
        if late:
            raise SystemExit(int(pytest.ExitCode.INTERRUPTED))

    def _interrupted_line(self) -> str:
        """What a stop request held since the session's end did: nothing to the reports."""
        when = "while the reports were written" if self._stopped_while_writing else "after the last scenario"
        finished = (
            "every scenario had finished, so the reports were completed first and the four files "
            "are this run's, whole; "
            if self._written
            else ""
        )
        return f"interrupted {when}: {finished}exit 2"

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        """Name the report once pytest's progress line is closed (sessionfinish is too early)."""
        if self._write_error:
            terminalreporter.write_line(f"ERROR: {self._write_error}", red=True)
        if self._held.received:
            terminalreporter.write_line(self._interrupted_line())
            self._told = len(self._held.received)
        if launched_by_cli():
            pass  # dkp-harness run ends with the same news in its own last line
        elif self._written:
            terminalreporter.write_sep("-", f"conformance report: {self._written[0]}")
        elif self._kept is not None:
            terminalreporter.write_sep(
                "-", f"{self._kept_because}: the reports in {self._kept} were left as they were"
            )
        state = self.config.stash[STATE]
        crashed = set(state.crashes) - set(state.scenarios)
        unchecked = sum(1 for s in state.scenarios.values() if s.status is Status.ERROR) + len(crashed)
        if unchecked:
            terminalreporter.write_line(
                f"{unchecked} scenario(s) could not be checked (ERROR: a mistake in the scenario or a "
                "harness problem, not a claim that does not hold); pytest counts them among the failed"
            )
        for line in _deviation_lines(state.scenarios.values()):
            terminalreporter.write_line(line)
        if self._xfailed:
            terminalreporter.write_line(
                f"{self._xfailed} scenario(s) marked xfail did not pass: the report counts each as what "
                "its steps did (not met or could not check), not as expected; exit code 1"
            )
        if self._rerun:
            terminalreporter.write_line(
                f"{self._rerun} scenario(s) did not pass in one of their runs (a rerun passed): the report "
                "keeps the worst run of each; exit code 1"
            )
        if self._failed_on_deviation:
            terminalreporter.write_line(
                f"--fail-on-deviation: {self._failed_on_deviation} scenario(s) passed only as a known "
                "deviation from the page; exit code 1"
            )

    def run(self) -> Run:
        """The report model of everything received so far."""
        state = self.config.stash[STATE]
        self._name_unshipped(state)
        selection = selection_of(self.config)
        self._derive_left_out(state, selection)
        missing = unfinished(state.expected, state.scenarios, state.crashes, state.stop_reason)
        not_run = [s for s in missing if s.status is Status.SKIPPED]
        if not_run:
            selection["stopped"] = state.stop_reason
            selection["not_run"] = [f"{s.feature_uri}:{s.line} {s.name}" for s in not_run]
        run = assemble_run(
            [*state.scenarios.values(), *missing],
            state.catalogue,
            started_at=datetime.fromtimestamp(state.started, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            duration=_WALL["time"]() - state.started,
            step_catalogue=self.config.stash.get(STEP_CATALOGUE, None),
            docs_base=self.config.getoption("--docs-base-url"),
            environment=self._environment(state),
            target=self.config.stash.get(RUN_TARGET_KEY, None) or dict(DEFAULT_TARGET),
            selection=selection,
            redacted=True,
            left_out=state.left_out,
        )
        if state.catalogue is None:
            run.problems.insert(0, f"no claims catalogue at {state.catalogue_path}; claims are not shown")
        run.fail_on_deviation = bool(self.config.getoption("--fail-on-deviation"))
        return run

    def _name_unshipped(self, state: SessionState) -> None:
        """Skeletons for the collected or crashed node ids no worker shipped one for: every worker
        that collected them crashed before its end. Parsed here from the feature files, only then."""
        unshipped = (state.collected | set(state.crashes)) - set(state.expected) - set(state.scenarios)
        if not unshipped:
            return
        known = NodeScenarios(self.config.rootpath)
        for nodeid in sorted(unshipped):
            skeleton = known.skeleton(nodeid)
            if skeleton is not None:
                state.expected[nodeid] = skeleton

    def _derive_left_out(self, state: SessionState, selection: dict[str, Any]) -> None:
        """The left-out counts no worker shipped (each crashed first), derived from the collected
        node ids (:mod:`harness.report.derived_left_out`), once, for a run a filter narrowed."""
        if state.left_out_shipped or not state.collected or not DESELECTING & selection.keys():
            return
        state.left_out_shipped = True
        escaping_off = self.config.getini(_NO_ID_ESCAPING)
        state.left_out.update(
            derived_left_out(
                NodeScenarios(self.config.rootpath),
                state.collected,
                self.config.args,
                self.config.invocation_params.dir,
                escaped=not escaping_off,
            )
        )

    def _print_progress(self, scenario: ScenarioResult) -> None:
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None:
            return
        claims = ",".join(scenario.claims) or "-"
        reporter.ensure_newline()
        reporter.write_line(visible(f"{scenario.status.value.upper():<9} {claims} {scenario.name}"))

    def _environment(self, state: SessionState) -> dict[str, str]:
        workers = getattr(self.config.option, "numprocesses", None)
        return {
            "pytest": pytest.__version__,
            "workers": str(workers or 1),
            "python": platform.python_version(),
            "claims catalogue": state.catalogue_path.name,
        }
