"""The end of a ``dkp-harness run`` says each thing once.

The plugin's ``conformance report: DIR/conformance.html`` rule was followed by the command's own
``report: DIR/conformance.html``; the partial-run banner read "selected by features
features/approval/...".
"""

from __future__ import annotations

from harness.cli import main
from harness.report.selection import describe

pytest_plugins = ["pytester"]


def test_the_report_path_is_printed_once(tmp_path, capfd):
    # One scenario is enough for the last lines (the whole approval file ran here: 2 s of kubectl)
    one = "features/sources/module_source.feature:13"
    assert main(["run", one, "-n", "0", "--report-dir", str(tmp_path)]) == 0
    out = capfd.readouterr().out
    assert out.count("conformance.html") == 1, out[-600:]
    assert out.rstrip().endswith(f"report: {tmp_path / 'conformance.html'}")


def test_pytest_run_by_hand_still_names_the_report(bdd_project, monkeypatch):
    monkeypatch.delenv("DKP_HARNESS_LAUNCHER", raising=False)
    result = bdd_project.runpytest("-p", "harness.report.plugin", "--conformance-report", "out")
    result.stdout.fnmatch_lines(["*conformance report: *out/conformance.html*"])


def test_the_partial_run_banner_names_paths_without_a_label_that_repeats_them():
    text = describe({"features": ["features/mine/a.feature", "features/b"], "claims": ["REL-03"]})
    assert text == "features/mine/a.feature, features/b; claims REL-03"
    assert describe({"paths": ["scenarios/test_x.py::test_y"]}) == "scenarios/test_x.py::test_y"
