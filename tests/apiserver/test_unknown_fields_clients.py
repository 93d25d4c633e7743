"""A typo deep in a built-in kind, met by real clients as a kube-apiserver 1.32 answers it.

``kubectl apply`` asks for ``fieldValidation=Strict``, so ``spec.replica`` (for ``spec.replicas``)
is its 400; ``kubectl create --raw`` and the Python client send no ``fieldValidation``, so the
server's default ``Warn`` answers with a warning and stores the object without the field. Before,
the field was stored and served back, and the typo passed here to fail on a real cluster.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from harness.apiserver import ApiServer
from harness.clock import VirtualClock

from .test_kubectl import KUBECTL, Kubectl

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {
        "replica": 2,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx", "imagePullPolicyy": "Always"}]},
        },
    },
}
STRICT = (
    'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
    'unknown field "spec.replica", unknown field "spec.template.spec.containers[0].imagePullPolicyy"'
)


@pytest.fixture
def server(tmp_path) -> Iterator[tuple[ApiServer, str]]:
    api = ApiServer(VirtualClock())
    api.start(tls=True)
    yield api, str(api.write_kubeconfig(tmp_path / "kubeconfig"))
    api.stop()


@pytest.mark.kubectl
@pytest.mark.slow
def test_kubectl_apply_is_refused_and_create_raw_warns_and_drops(server, tmp_path):
    if KUBECTL is None:
        pytest.skip("kubectl not found: install it (e.g. apt-get install kubectl) to run the fidelity tests")
    kubectl = Kubectl(Path(server[1]), tmp_path)
    manifest = tmp_path / "web.yaml"
    manifest.write_text(yaml.safe_dump(DEPLOYMENT))
    refused = kubectl("apply", "-f", str(manifest), ok=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        f'Error from server (BadRequest): error when creating "{manifest}": {STRICT}'
    )
    ssa = kubectl("apply", "--server-side", "-f", str(manifest), ok=False)
    assert ssa.returncode == 1
    assert ssa.stderr.strip() == (
        "Error from server: failed to create typed patch object (default/web; apps/v1, Kind=Deployment): "
        ".spec.replica: field not declared in schema"
    )
    path = tmp_path / "d.json"
    path.write_text(json.dumps(DEPLOYMENT))
    created = kubectl("create", "--raw", "/apis/apps/v1/namespaces/default/deployments", "-f", str(path))
    assert created.stderr.splitlines() == [
        'Warning: unknown field "spec.replica"',
        'Warning: unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
    ]
    stored = json.loads(kubectl("get", "deployment", "web", "-o", "json").stdout)
    assert "replica" not in stored["spec"]
    assert "imagePullPolicyy" not in stored["spec"]["template"]["spec"]["containers"][0]


def test_the_python_client_gets_the_strict_refusal_or_the_warning(server):
    """The typed ``AppsV1Api`` of client 37 refuses an unknown field before sending (pydantic);
    the dynamic client sends the dict as it is, as scripts that read manifests do."""
    client = pytest.importorskip("kubernetes.client", reason="the kubernetes client is not installed")
    from kubernetes import config, dynamic
    from kubernetes.client.exceptions import ApiException

    cfg = client.Configuration()
    config.load_kube_config(config_file=server[1], client_configuration=cfg)
    with client.ApiClient(cfg) as api:
        deployments = dynamic.DynamicClient(api).resources.get(api_version="apps/v1", kind="Deployment")
        with pytest.raises(ApiException) as info:
            deployments.create(
                body=DEPLOYMENT, namespace="default", query_params=[("fieldValidation", "Strict")]
            )
        assert (info.value.status, json.loads(info.value.body)["message"]) == (400, STRICT)
        created = deployments.create(body=DEPLOYMENT, namespace="default")
        assert created.spec.replicas == 1  # defaulted: the typo was dropped
        stored = deployments.get(name="web", namespace="default").to_dict()
        assert "replica" not in stored["spec"]
        assert "imagePullPolicyy" not in stored["spec"]["template"]["spec"]["containers"][0]
