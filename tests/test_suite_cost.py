"""tools.suite_cost: the kinds it sorts child processes into, and how it adds processes up."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tools import suite_cost, suite_cost_plugin
from tools.suite_cost_plugin import classify


@pytest.mark.parametrize(
    ("argv", "kind"),
    [
        (["/usr/bin/kubectl", "get", "mr"], "kubectl"),
        (["/usr/lib/google-cloud-sdk/bin/kubectl.1.32", "version"], "kubectl"),
        (["/usr/bin/python3", "-m", "pytest", "-q"], "python: pytest"),
        (["/venv/bin/python", "-m", "harness.cli", "time", "now"], "python: dkp-harness"),
        (["/venv/bin/python", "-m", "json.tool"], "python -m json.tool"),
        (["/venv/bin/python", "-c", "pass"], "python: other"),
        (["setpriv", "--reuid=65534", "docker-registry", "serve"], "registry"),
        (["/usr/bin/docker-registry", "serve", "config.yml"], "registry"),
        (["chromium", "--headless"], "chromium"),
        ("openssl", "openssl"),
        ([], "?"),
    ],
)
def test_a_child_is_counted_under_the_kind_its_argv_names(argv, kind):
    assert classify(argv) == kind


def test_a_reaped_child_is_counted_once_with_its_own_cpu(monkeypatch):
    monkeypatch.setattr(suite_cost_plugin, "_children", type(suite_cost_plugin._children)(lambda: [0.0, 0.0]))
    monkeypatch.setattr(subprocess.Popen, "__init__", suite_cost_plugin._counting_init)
    monkeypatch.setattr(os, "waitpid", suite_cost_plugin._counting_waitpid)
    burn = "s = 0\nfor i in range(3_000_000): s += i"
    subprocess.run([sys.executable, "-c", burn], check=True)
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    cpu, count = suite_cost_plugin._children["python: other"]
    assert count == 2
    assert cpu > 0.05  # the loop's CPU, which the parent's own figure does not hold


def test_a_child_reaped_during_a_test_is_charged_to_its_file(monkeypatch):
    files = type(suite_cost_plugin._files)(lambda: [0.0, 0.0, 0.0])
    monkeypatch.setattr(suite_cost_plugin, "_files", files)
    monkeypatch.setattr(suite_cost_plugin, "_current", ["tests/x.py"])
    monkeypatch.setattr(subprocess.Popen, "__init__", suite_cost_plugin._counting_init)
    monkeypatch.setattr(os, "waitpid", suite_cost_plugin._counting_waitpid)
    subprocess.run([sys.executable, "-c", "s = 0\nfor i in range(3_000_000): s += i"], check=True)
    monkeypatch.setattr(suite_cost_plugin, "_current", [])
    subprocess.run([sys.executable, "-c", "pass"], check=True)  # between tests: no file's
    assert list(files) == ["tests/x.py"]
    assert files["tests/x.py"][2] > 0.05


def test_the_controller_is_not_counted_twice():
    worker = {
        "process": "gw0",
        "self": 10.0,
        "children_total": 7.0,
        "children": {"kubectl": {"cpu": 4.0, "count": 8}, "python: pytest": {"cpu": 2.0, "count": 1}},
        "files": {"tests/a.py": {"cpu": 6.0, "tests": 3, "children": 1.5}},
    }
    controller = {
        "process": "controller",
        "self": 1.5,
        "children_total": 30.0,  # the workers themselves: already counted through their own records
        "children": {"python: other": {"cpu": 30.0, "count": 2}},
        "files": {},
    }
    summary = suite_cost.summarize([worker, dict(worker, process="gw1"), controller])
    assert summary["workers_own"] == 20.0
    assert summary["controller"] == 1.5
    assert summary["kinds"] == {"kubectl": [8.0, 16], "python: pytest": [4.0, 2]}
    assert summary["uncounted"] == pytest.approx(2.0)  # 7 reaped in all per worker, 6 by kind
    assert summary["files"] == {"tests/a.py": [12.0, 6, 3.0]}
    table = suite_cost.report(summary, wall=20.0, top=1)
    assert "CPU 35.5 s" in table
    assert "children: kubectl" in table
    assert "tests/a.py" in table
