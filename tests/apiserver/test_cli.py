from __future__ import annotations

import signal
import ssl
import subprocess
import sys

import httpx
import yaml

from .conftest import TEST_CRDS


def test_cli_prints_the_url_serves_with_the_kubeconfig_and_exits_0_on_sigterm(tmp_path):
    kubeconfig = tmp_path / "kc"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harness",
            "apiserver",
            "--crds",
            str(TEST_CRDS),
            "--kubeconfig",
            str(kubeconfig),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("https://127.0.0.1:")
        config = yaml.safe_load(kubeconfig.read_text())
        assert config["clusters"][0]["cluster"]["server"] == url
        ca = tmp_path / "ca.pem"
        import base64

        ca.write_bytes(base64.b64decode(config["clusters"][0]["cluster"]["certificate-authority-data"]))
        token = config["users"][0]["user"]["token"]
        r = httpx.get(
            f"{url}/apis/example.com/v1alpha2/widgets",
            headers={"Authorization": f"Bearer {token}"},
            verify=ssl.create_default_context(cafile=str(ca)),
        )
        assert r.status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()
    assert code == 0


def test_cli_reports_a_missing_crd_dir(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "harness", "apiserver", "--crds", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 4 and "does not exist" in done.stderr
