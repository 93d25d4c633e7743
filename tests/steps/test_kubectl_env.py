"""What the scenario's kubectl runs with: its kubeconfig, its own cache, a lazier Go collector."""

from __future__ import annotations

import os
import stat

from harness.steps.kubectl import Kubectl


def _fake_kubectl(tmp_path):
    script = tmp_path / "kubectl"
    script.write_text('#!/bin/sh\necho "GOGC=$GOGC KUBECONFIG=$KUBECONFIG args=$*"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_kubectl_runs_with_gogc_400_unless_the_environment_sets_it(tmp_path, monkeypatch):
    kubectl = Kubectl(_fake_kubectl(tmp_path), tmp_path / "kubeconfig", tmp_path)
    monkeypatch.delenv("GOGC", raising=False)
    out = kubectl.run("kubectl get mr").stdout
    assert out.startswith("GOGC=400 ") and f"KUBECONFIG={tmp_path / 'kubeconfig'}" in out
    assert out.rstrip().endswith("get mr")
    monkeypatch.setenv("GOGC", "77")
    assert kubectl.run("get mr").stdout.startswith("GOGC=77 ")
    assert os.environ["GOGC"] == "77"
