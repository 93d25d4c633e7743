"""The report never misleads: comparisons judged by their step, deviations with reasons, partial runs,
the target it checked, and the moment a scenario failed."""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from harness.report.assemble import assemble_run
from harness.report.comparisons import check_of_step, comparison_of
from harness.report.evidence import Evidence, KubectlRun
from harness.report.model import ErrorInfo, StepResult
from harness.report.render_html import render_html
from harness.report.render_json import render_json
from harness.report.render_junit import render_junit
from harness.report.status import Status

pytest_plugins = ["pytester"]

MR_OUTPUT = textwrap.dedent("""\
    NAME               PHASE        UPDATE POLICY           TRANSITIONTIME   MESSAGE
    module-1-v1.23.1   Deployed                             3m
    module-1-v1.23.2   Pending      example-update-policy   1s               Release is waiting""")


@pytest.mark.parametrize(
    ("step", "check"),
    [
        ('the row of "module-1" reads:', "row"),
        ('the output has the columns "NAME PHASE"', "columns"),
        ('the output contains "annotated"', "contains"),
        ("the output is:", "output"),
        ('the Module "m" is in phase "Ready"', None),
    ],
)
def test_the_check_is_read_from_the_step_wording(step, check):
    assert check_of_step(step) == check


def test_a_row_check_becomes_a_table_of_expected_and_actual_cells():
    run = KubectlRun(
        "kubectl get mr",
        MR_OUTPUT,
        expected="PHASE='Pending'\nUPDATE POLICY=''\nMESSAGE='Release is waiting'",
        matched=False,
        check="row",
    )
    comparison = comparison_of(run, "module-1-v1.23.2")
    assert comparison is not None and comparison.label == 'row "module-1-v1.23.2"'
    assert [(r.label, r.expected, r.actual, r.ok) for r in comparison.rows] == [
        ("PHASE", "Pending", "Pending", True),
        ("UPDATE POLICY", "", "example-update-policy", False),
        ("MESSAGE", "Release is waiting", "Release is waiting", True),
    ]


def test_a_passing_row_check_shows_no_mismatch_and_no_python_repr(make_scenario, catalogue):
    evidence = Evidence()
    evidence.current_step_line = 4
    evidence.kubectl("kubectl get mr", MR_OUTPUT, expected="PHASE='Deployed'")
    evidence.judge_step(4, passed=True, check="row")
    scenario = make_scenario("rows", Status.PASSED, ["MS-01"], evidence=evidence)
    scenario.steps = [StepResult("Then", "then", 'the row of "module-1-v1.23.1" reads:', 4, Status.PASSED)]
    html = render_html(assemble_run([scenario], catalogue, started_at="t", duration=0))
    assert "as expected" in html and "not as expected" not in html
    assert "differs from expected" not in html
    assert "PHASE=&#39;Deployed&#39;" not in html and "<code>Deployed</code>" in html


def test_a_deviation_claim_shows_its_reason_and_a_deviation_tag_marks_only_explained_claims(
    make_scenario, catalogue
):
    # MS-03 has a deviation reason in the catalogue, MS-01 has none: the same @deviation
    # scenario makes MS-03 a known deviation and shows that MS-01 holds.
    scenario = make_scenario("empty message", Status.DEVIATION, ["MS-01", "MS-03"], deviation=True)
    run = assemble_run([scenario], catalogue, started_at="t", duration=0)
    statuses = {c.claim.id: c.status for c in run.claims}
    assert statuses["MS-03"] is Status.DEVIATION and statuses["MS-01"] is Status.PASSED
    html = render_html(run)
    row = html[html.index('id="claim-MS-03"') : html.index('id="claim-EN-02"')]
    assert "DKP actually:" in row and "the controller writes an empty message" in row
    data = json.loads(render_json(run))
    assert all(c["deviation"] for c in data["claims"] if c["status"] == "deviation")


def test_a_reason_no_deviation_scenario_demonstrates_is_flagged(make_scenario, catalogue):
    run = assemble_run(
        [make_scenario("plain", Status.PASSED, ["MS-03"])], catalogue, started_at="t", duration=0
    )
    assert {c.claim.id: c.status for c in run.claims}["MS-03"] is Status.PASSED
    assert any("claim MS-03 has a deviation reason" in p for p in run.problems)


def test_a_partial_run_says_so_and_does_not_count_unselected_claims_as_uncovered(make_scenario, catalogue):
    scenario = make_scenario("source syncs", Status.PASSED, ["MS-01"])
    run = assemble_run([scenario], catalogue, started_at="t", duration=0, selection={"keyword": "syncs"})
    data = json.loads(render_json(run))
    assert data["partial"] is True and data["selection"] == {"keyword": "syncs"}
    assert data["counts"]["claims"]["uncovered"] == 0
    assert data["counts"]["claims"]["unselected"] == 4
    html = render_html(run)
    assert "Partial run." in html and "-k syncs" in html
    assert "<strong>1 of 1</strong> selected documented claims hold" in html
    assert "without a scenario" not in html
    # the claims this run left out are "not in this run", never "no scenario" (which reads as uncovered)
    assert "no scenario</span>" not in html and "none in this run</span>" in html


def test_a_full_run_is_not_partial_and_counts_uncovered_claims(make_scenario, catalogue):
    run = assemble_run([make_scenario("s", Status.PASSED, ["MS-01"])], catalogue, started_at="t", duration=0)
    assert not run.partial
    assert run.claim_counts()["uncovered"] == 4 and run.claim_counts()["unselected"] == 0
    assert 'id="partial"' not in render_html(run)


def test_the_report_names_its_target_in_html_json_and_junit(make_scenario, catalogue):
    target = {
        "kind": "kubeconfig",
        "server": "https://10.0.0.1:6443",
        "kubernetes_version": "v1.31.4",
        "deckhouse_version": "v1.70.3",
        "time_mode": "real",
    }
    run = assemble_run(
        [make_scenario("s", Status.PASSED, ["MS-01"])], catalogue, started_at="t", duration=0, target=target
    )
    html = render_html(run)
    assert "https://10.0.0.1:6443 · Kubernetes v1.31.4 · Deckhouse v1.70.3 · real time" in html
    assert json.loads(render_json(run))["target"] == target
    suite = ET.fromstring(render_junit(run)).find("testsuite")
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["target.server"] == "https://10.0.0.1:6443"
    assert props["target.time_mode"] == "real" and props["partial"] == "false"


def test_without_a_target_the_report_says_simulator_and_virtual_time(make_scenario, catalogue):
    run = assemble_run([make_scenario("s", Status.PASSED, ["MS-01"])], catalogue, started_at="t", duration=0)
    assert "the simulated DKP cluster · virtual time" in render_html(run)


def test_the_timeline_marks_the_moment_the_scenario_failed(make_scenario, catalogue):
    evidence = Evidence()
    start = datetime(2024, 12, 16, 9, 0, tzinfo=UTC)
    evidence.timeline(start, "Module", "m", "status.phase", None, "Downloading")
    evidence.timeline(start.replace(minute=10), "Module", "m", "status.phase", "Downloading", "Ready")
    evidence.failed_at(start.replace(minute=3))
    scenario = make_scenario("fails", Status.FAILED, ["EN-04"], evidence=evidence)
    scenario.steps = [StepResult("Then", "then", 'the Module "m" is in phase "Ready"', 9, Status.FAILED)]
    scenario.error = ErrorInfo("call", "AssertionError", "phase is Downloading", step_line=9)
    html = render_html(assemble_run([scenario], catalogue, started_at="t", duration=0))
    marker = html.index("the scenario failed here")
    assert html.index("Downloading</strong>") < marker < html.index("Ready</strong>")
    assert "Then the Module &#34;m&#34; is in phase &#34;Ready&#34; (line 9)" in html[marker : marker + 300]
    assert "2024-12-16T09:03:00Z" in html


def test_a_failure_names_the_unmet_expectation_without_blaming_dkp(make_scenario, catalogue):
    scenario = make_scenario("fails", Status.FAILED, ["EN-04"])
    scenario.steps = [StepResult("Then", "then", 'the Module "m" is in phase "Ready"', 9, Status.FAILED)]
    scenario.error = ErrorInfo("call", "AssertionError", "status.phase is 'Installing'", step_line=9)
    html = render_html(assemble_run([scenario], catalogue, started_at="t", duration=0))
    assert "An expectation of this scenario was not met" in html
    assert "features/sources.feature:9" in html
    assert "DKP did not behave as documented" not in html and "broken" not in html


def test_fail_on_deviation_and_an_empty_run_through_pytest(bdd_project):
    out = bdd_project.path / "out"
    out.mkdir()
    (out / "conformance.html").write_text("the last good report")
    result = bdd_project.runpytest(
        "-p", "harness.report.plugin", "--conformance-report", "out", "-k", "nothing"
    )
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    assert (out / "conformance.html").read_text() == "the last good report"
    assert sorted(p.name for p in out.iterdir()) == ["conformance.html"]
    result = bdd_project.runpytest(
        "-p",
        "harness.report.plugin",
        "--conformance-report",
        "out",
        "-k",
        "empty_message",
        "--fail-on-deviation",
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*--fail-on-deviation: 1 scenario(s) passed only as a known deviation*"])
    report = json.loads((out / "conformance.json").read_text())
    assert report["partial"] is True and report["selection"] == {"keyword": "empty_message"}


def test_claim_and_feature_filters_select_scenarios(bdd_project):
    result = bdd_project.runpytest("-p", "harness.report.plugin", "--claim", "MS-01", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["*test_a_source_is_synchronised*", "1/4 tests collected (3 deselected)*"])
    result = bdd_project.runpytest(
        "-p", "harness.report.plugin", "--feature-path", "features/sources.feature:11", "--collect-only", "-q"
    )
    result.stdout.fnmatch_lines(["*test_the_module_becomes_ready*", "1/4 tests collected (3 deselected)*"])


def test_the_run_target_is_read_from_the_stash(bdd_project):
    bdd_project.makeconftest(
        textwrap.dedent("""\
        import pytest
        from harness.report.run_target import RUN_TARGET_KEY

        @pytest.hookimpl(tryfirst=True)
        def pytest_configure(config):
            config.stash[RUN_TARGET_KEY] = {"kind": "kubeconfig", "server": "https://k8s:6443",
                                            "time_mode": "real"}
        """)
    )
    bdd_project.runpytest("-p", "harness.report.plugin", "--conformance-report", "out")
    report = json.loads((bdd_project.path / "out" / "conformance.json").read_text())
    assert report["target"] == {"kind": "kubeconfig", "server": "https://k8s:6443", "time_mode": "real"}


def test_reports_that_cannot_be_written_say_so_in_one_line_and_fail_the_run(bdd_project):
    (bdd_project.path / "a-file").write_text("not a directory")
    result = bdd_project.runpytest(
        "-p", "harness.report.plugin", "--conformance-report", "a-file/out", "-k", "empty_message"
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["ERROR: cannot write the reports into *a-file/out*left as they were"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_a_write_that_fails_part_way_leaves_the_previous_reports_whole(tmp_path):
    from harness.report.write import FILES, ReportWriteError, write_reports

    for name in FILES:
        (tmp_path / name).write_text(f"previous {name}")
    (tmp_path / ".junit.xml.part").mkdir()  # the third file cannot be written
    run = assemble_run([], None, started_at="2024-12-16T09:00:00Z", duration=0.0)
    with pytest.raises(ReportWriteError, match=r"cannot write the reports into .*left as they were"):
        write_reports(run, tmp_path)
    assert {p.name: p.read_text() for p in tmp_path.iterdir() if p.is_file()} == {
        name: f"previous {name}" for name in FILES
    }


def test_a_deckhouse_version_newer_than_the_simulator_knows_is_named_with_what_it_behaves_as():
    from harness import eras
    from harness.report.run_target import describe_target as _target
    from harness.target.simulator_info import describe_simulator

    newer = describe_simulator("v9.0.0")
    assert newer["deckhouse_version"] == "v9.0.0"
    assert newer["behaviour_of"].startswith(f"{eras.LATEST} (the newest")
    assert f"behaving as Deckhouse {eras.LATEST}" in _target(newer)
    assert "behaviour_of" not in describe_simulator("latest") and "behaviour_of" not in describe_simulator()


def test_a_passing_scenario_without_a_then_step_does_not_make_its_claim_hold(make_scenario, catalogue):
    """It checked nothing: its claim is uncovered (or held by another scenario that checks), and
    the report says why under Needs attention."""
    unchecked = make_scenario("only setup", Status.PASSED, ["MS-01", "EN-02"])
    unchecked.steps = [step for step in unchecked.steps if step.type != "then"]
    checking = make_scenario("checks", Status.PASSED, ["EN-02"], line=20)
    run = assemble_run([unchecked, checking], catalogue, started_at="t", duration=0)
    statuses = {c.claim.id: c.status for c in run.claims}
    assert statuses["MS-01"] is Status.UNCOVERED and statuses["EN-02"] is Status.PASSED
    [problem] = [p for p in run.problems if "ran no Then step" in p]
    assert problem.startswith("features/sources.feature:3 'only setup' is tagged @claim:MS-01, @claim:EN-02")
    assert "ran no Then step" in render_html(run)
    failed = make_scenario("failed setup", Status.FAILED, ["MS-01"])
    failed.steps = [step for step in failed.steps if step.type != "then"]
    run = assemble_run([failed], catalogue, started_at="t", duration=0)
    assert {c.claim.id: c.status for c in run.claims}["MS-01"] is Status.FAILED  # a failure still counts


def test_a_known_deviation_whose_deviation_scenario_fails_is_reported_as_not_observed(
    make_scenario, catalogue
):
    """MS-03 records that DKP writes an empty MSG where the page shows Ready. When the @deviation
    scenario fails (DKP now writes something else, maybe what the page says), the deviation must
    not stay in the report as if still true: the claim says so, and Needs attention asks for a fix."""
    scenario = make_scenario("empty message", Status.FAILED, ["MS-03"], deviation=True)
    scenario.error = ErrorInfo(phase="call", type="AssertionError", message="MSG is Ready, expected ''")
    run = assemble_run([scenario], catalogue, started_at="t", duration=0)
    data = json.loads(render_json(run))
    [ms03] = [c for c in data["claims"] if c["id"] == "MS-03"]
    assert ms03["status"] == "failed" and ms03["deviation_observed"] is False
    assert any(
        p.startswith("claim MS-03: the known deviation the claims catalogue records was not observed")
        for p in data["problems"]
    )
    html = render_html(run)
    assert "Not observed in this run." in html
    assert "the recorded deviation was not observed" in html
    passing = make_scenario("empty message", Status.DEVIATION, ["MS-03"], deviation=True)
    observed = json.loads(render_json(assemble_run([passing], catalogue, started_at="t", duration=0)))
    assert [c["deviation_observed"] for c in observed["claims"] if c["id"] == "MS-03"] == [True]
    assert not any("was not observed" in p for p in observed["problems"])
