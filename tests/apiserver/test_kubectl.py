"""Fidelity: the real kubectl (Google's dispatcher, which probes /version and runs 1.32) against the fake.

Each call uses the generated kubeconfig (TLS, because kubectl only sends bearer tokens over TLS) and
runs with the harness's Go defaults (``GO_DEFAULTS``: a lazier collector, ~a fifth less of kubectl's
CPU, nothing it prints changes). A test's calls share one ``--cache-dir``: the server is the test's
own and serves the CRDs it was started with, read-only, so what kubectl caches of its discovery
never goes stale within the test, and the test's first call still reads discovery whole (each
call reading it again cost ~10 ms of kubectl's CPU and ~2 ms of the server's).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from harness.apiserver import ApiServer, handlers
from harness.clock import VirtualClock
from harness.steps.kubectl import GO_DEFAULTS

from .conftest import fixture_crds_or_skip

pytestmark = [pytest.mark.kubectl, pytest.mark.slow]

KUBECTL = shutil.which("kubectl")
ENV = {**GO_DEFAULTS, **os.environ}
"""kubectl's environment: the harness's Go defaults, the environment's own values winning."""


class Kubectl:
    def __init__(self, kubeconfig: Path, tmp: Path) -> None:
        self.kubeconfig, self.tmp, self.n = kubeconfig, tmp, 0

    def args(self, *args: str) -> list[str]:
        self.n += 1
        return [
            str(KUBECTL),
            "--kubeconfig",
            str(self.kubeconfig),
            "--cache-dir",
            str(self.tmp / "kube-cache"),
            *args,
        ]

    def __call__(
        self, *args: str, stdin: str | None = None, ok: bool = True
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            self.args(*args), input=stdin, capture_output=True, text=True, timeout=60, env=ENV
        )
        if ok:
            assert done.returncode == 0, done.stderr
        return done

    def apply(self, manifest: dict, *extra: str) -> subprocess.CompletedProcess[str]:
        path = self.tmp / f"m{self.n}.yaml"
        path.write_text(yaml.safe_dump(manifest))
        return self("apply", "-f", str(path), *extra)


@pytest.fixture
def cluster(tmp_path) -> Iterator[tuple[ApiServer, Kubectl]]:
    if KUBECTL is None:
        pytest.skip("kubectl not found: install it (e.g. apt-get install kubectl) to run the fidelity tests")
    server = ApiServer(VirtualClock(), crd_dir=fixture_crds_or_skip())
    server.start(tls=True)
    kubeconfig = server.write_kubeconfig(tmp_path / "kubeconfig")
    yield server, Kubectl(kubeconfig, tmp_path)
    server.stop()


def _create(server: ApiServer, manifest: dict) -> None:
    """``manifest`` written straight to the API server: the set-up of a test whose subject is a
    later kubectl command. kubectl's own creation (client-side and server-side apply, ``create``)
    is the subject of the tests that check its output; a set-up ``apply`` cost a kubectl run."""
    client = server.client()
    client.create(client.resolve(manifest["apiVersion"], manifest["kind"]), copy.deepcopy(manifest))


def _header(output: str) -> list[str]:
    return output.splitlines()[0].split()


MS = {
    "apiVersion": "deckhouse.io/v1alpha1",
    "kind": "ModuleSource",
    "metadata": {"name": "example"},
    "spec": {"registry": {"repo": "registry.example.com/deckhouse/modules"}},
}
MODULE = {
    "apiVersion": "deckhouse.io/v1alpha1",
    "kind": "Module",
    "metadata": {"name": "module-one"},
    "properties": {"weight": 900, "source": "example"},
}
MR = {
    "apiVersion": "deckhouse.io/v1alpha1",
    "kind": "ModuleRelease",
    "metadata": {"name": "module-one-v1.2.3"},
    "spec": {"moduleName": "module-one", "version": "v1.2.3"},
}
MC = {
    "apiVersion": "deckhouse.io/v1alpha1",
    "kind": "ModuleConfig",
    "metadata": {"name": "module-one"},
    "spec": {"enabled": True},
}


@pytest.mark.parametrize(
    ("manifest", "short", "header"),
    [
        (MS, "ms", "NAME COUNT SYNC MSG"),
        (MODULE, "module", "NAME WEIGHT SOURCE PHASE ENABLED READY"),
        (MR, "mr", "NAME PHASE UPDATE POLICY TRANSITIONTIME MESSAGE"),
        (MC, "mc", "NAME ENABLED VERSION AGE MESSAGE"),
    ],
)
def test_kubectl_get_shows_exactly_the_documented_headers(cluster, manifest, short, header):
    _server, kubectl = cluster
    assert "created" in kubectl.apply(manifest).stdout
    out = kubectl("get", short).stdout
    assert out.splitlines()[0].split() == header.split()
    assert out.splitlines()[1].split()[0] == manifest["metadata"]["name"]


def test_kubectl_get_output_formats(cluster):
    server, kubectl = cluster
    _create(server, MS)
    server.client().patch(
        server.client().resolve("deckhouse.io/v1alpha1", "ModuleSource"),
        "example",
        {"status": {"modules": [{"name": "m1"}, {"name": "m2"}], "modulesCount": 2}},
        subresource="status",
    )
    assert _header(kubectl("get", "ms", "-o", "wide").stdout) == ["NAME", "COUNT", "STATUS", "SYNC", "MSG"]
    assert yaml.safe_load(kubectl("get", "ms", "example", "-o", "yaml").stdout)["spec"]["registry"]["repo"]
    assert json.loads(kubectl("get", "ms", "-o", "json").stdout)["items"][0]["status"]["modulesCount"] == 2
    out = kubectl("get", "ms", "example", "-o", "jsonpath={.status.modules[*].name}").stdout
    assert out == "m1 m2"


def test_kubectl_get_missing_object_prints_not_found(cluster):
    _server, kubectl = cluster
    done = kubectl("get", "ms", "nope", ok=False)
    assert done.returncode == 1
    assert 'Error from server (NotFound): modulesources.deckhouse.io "nope" not found' in done.stderr


def test_kubectl_apply_client_side_creates_configures_and_leaves_unchanged(cluster):
    _server, kubectl = cluster
    assert "created" in kubectl.apply(MS).stdout
    changed = {**MS, "spec": {"registry": {"repo": "other.example.com/modules"}}}
    assert "configured" in kubectl.apply(changed).stdout
    assert "unchanged" in kubectl.apply(changed).stdout
    assert (
        kubectl("get", "ms", "example", "-o", "jsonpath={.spec.registry.repo}").stdout
        == "other.example.com/modules"
    )


def test_kubectl_apply_server_side(cluster):
    _server, kubectl = cluster
    assert "serverside-applied" in kubectl.apply(MC, "--server-side").stdout
    obj = json.loads(kubectl("get", "mc", "module-one", "-o", "json", "--show-managed-fields").stdout)
    assert "kubectl" in {e["manager"] for e in obj["metadata"]["managedFields"]}


def test_kubectl_refuses_an_invalid_module_source_with_the_field_path(cluster):
    _server, kubectl = cluster
    bad = {**MS, "spec": {"registry": {"scheme": "HTTP"}}}
    path = kubectl.tmp / "bad.yaml"
    path.write_text(yaml.safe_dump(bad))
    done = kubectl("apply", "-f", str(path), ok=False)
    assert done.returncode == 1
    assert 'The ModuleSource "example" is invalid: spec.registry.repo: Required value' in done.stderr


def test_kubectl_create_then_create_again_is_already_exists(cluster):
    _server, kubectl = cluster
    path = kubectl.tmp / "ms.yaml"
    path.write_text(yaml.safe_dump(MS))
    assert "created" in kubectl("create", "-f", str(path)).stdout
    done = kubectl("create", "-f", str(path), ok=False)
    assert 'modulesources.deckhouse.io "example" already exists' in done.stderr


def test_kubectl_stale_replace_gets_409(cluster):
    server, kubectl = cluster
    _create(server, MS)
    current = json.loads(kubectl("get", "ms", "example", "-o", "json").stdout)
    kubectl("label", "ms", "example", "touched=yes")
    path = kubectl.tmp / "stale.json"
    path.write_text(json.dumps(current))
    done = kubectl("replace", "-f", str(path), ok=False)
    assert done.returncode == 1
    assert (
        'Operation cannot be fulfilled on modulesources.deckhouse.io "example": the object has been modified'
        in done.stderr
    )


def test_kubectl_annotate_label_patch_and_delete(cluster):
    server, kubectl = cluster
    _create(server, MR)
    kubectl("annotate", "mr", "module-one-v1.2.3", "release.deckhouse.io/approved=true")
    kubectl("label", "mr", "module-one-v1.2.3", "modules.deckhouse.io/update-policy=manual")
    kubectl("patch", "mr", "module-one-v1.2.3", "--type", "merge", "-p", '{"spec":{"weight":5}}')
    kubectl(
        "patch",
        "mr",
        "module-one-v1.2.3",
        "--type",
        "json",
        "-p",
        '[{"op":"test","path":"/spec/version","value":"v1.2.3"},{"op":"replace","path":"/spec/weight","value":6}]',
    )
    kubectl(
        "patch",
        "mr",
        "module-one-v1.2.3",
        "--subresource=status",
        "--type",
        "merge",
        "-p",
        '{"status":{"phase":"Pending","message":"waiting"}}',
    )
    obj = json.loads(kubectl("get", "mr", "module-one-v1.2.3", "-o", "json").stdout)
    assert obj["metadata"]["annotations"]["release.deckhouse.io/approved"] == "true"
    assert obj["spec"]["weight"] == 6 and obj["status"]["phase"] == "Pending"
    row = kubectl("get", "mr").stdout.splitlines()[1].split()
    assert row[:3] == ["module-one-v1.2.3", "Pending", "manual"]
    assert "deleted" in kubectl("delete", "mr", "module-one-v1.2.3").stdout
    assert "No resources found" in kubectl("get", "mr").stderr


def test_kubectl_patch_of_a_custom_resource_without_type_is_refused_as_on_a_real_cluster(cluster):
    """``kubectl patch`` defaults to a strategic merge patch, which no custom resource takes: the
    refusal lists the patch types in apiextensions-apiserver's order, and nothing changes."""
    server, kubectl = cluster
    _create(server, MC)
    done = kubectl("patch", "mc", "module-one", "-p", '{"spec":{"enabled":false}}', ok=False)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "error: application/strategic-merge-patch+json is not supported by deckhouse.io/v1alpha1, "
        "Kind=ModuleConfig: the body of the request was in an unknown format - accepted media types "
        "include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n"
    )
    assert kubectl("get", "mc", "module-one", "-o", "jsonpath={.spec.enabled}").stdout == "true"


def test_kubectl_wait_for_jsonpath_already_true(cluster):
    server, kubectl = cluster
    _create(server, MR)
    kubectl(
        "patch",
        "mr",
        "module-one-v1.2.3",
        "--subresource=status",
        "--type",
        "merge",
        "-p",
        '{"status":{"phase":"Deployed"}}',
    )
    done = kubectl("wait", "mr/module-one-v1.2.3", "--for=jsonpath={.status.phase}=Deployed", "--timeout=20s")
    assert "condition met" in done.stdout


def _write_status_once_watched(server, monkeypatch, kind, name, status):
    """Write ``status`` from another thread as soon as kubectl's watch has started (no waiting)."""
    client = server.client()
    resource = client.resolve("deckhouse.io/v1alpha1", kind)
    original = handlers.VERBS["watch"]

    def watch_then_write(b, req):
        response = original(b, req)
        threading.Thread(
            target=client.patch, args=(resource, name, {"status": status}), kwargs={"subresource": "status"}
        ).start()
        return response

    monkeypatch.setitem(handlers.VERBS, "watch", watch_then_write)


def test_kubectl_wait_for_jsonpath_met_by_a_write_from_another_thread(cluster, monkeypatch):
    server, kubectl = cluster
    _create(server, MR)
    _write_status_once_watched(
        server, monkeypatch, "ModuleRelease", "module-one-v1.2.3", {"phase": "Deployed"}
    )
    done = kubectl("wait", "mr/module-one-v1.2.3", "--for=jsonpath={.status.phase}=Deployed", "--timeout=30s")
    assert "condition met" in done.stdout


def test_kubectl_get_watch_prints_first_events_and_ends_at_the_request_timeout(cluster):
    server, kubectl = cluster
    _create(server, MS)
    done = kubectl("get", "ms", "-w", "--request-timeout=500ms", ok=False)
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["NAME", "COUNT", "SYNC", "MSG"]
    assert lines[1].split()[0] == "example"


def test_kubectl_get_watch_prints_each_update_as_a_row_of_the_table(cluster, monkeypatch):
    """kube-apiserver sends watch events as one-row Tables (column definitions on the first
    only); as raw objects kubectl printed updates as NAME and an AGE from the wall clock."""
    server, kubectl = cluster
    _create(server, MS)
    status = {"modulesCount": 3, "message": "", "syncTime": "2024-12-16T09:00:00Z"}
    _write_status_once_watched(server, monkeypatch, "ModuleSource", "example", status)
    done = kubectl("get", "ms", "-w", "--request-timeout=1s", ok=False)  # kubectl's own end
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["NAME", "COUNT", "SYNC", "MSG"], done.stdout
    assert [line.split()[0] for line in lines[1:]] == ["example", "example"], done.stdout
    assert lines[2].split()[1:3] == ["3", "0s"], done.stdout  # COUNT, then SYNC on the virtual clock


def test_kubectl_logs_by_label(cluster):
    server, kubectl = cluster
    client = server.client()
    pods = client.resolve("v1", "Pod")
    for i in range(2):
        client.create(
            pods,
            {
                "metadata": {
                    "name": f"deckhouse-{i}",
                    "namespace": "d8-system",
                    "labels": {"app": "deckhouse"},
                },
                "spec": {"containers": [{"name": "deckhouse", "image": "deckhouse"}]},
            },
        )
    server.set_pod_log_source(lambda ns, pod, c: "".join(f"{pod} line {n}\n" for n in range(20)))
    out = kubectl("logs", "-l", "app=deckhouse", "-n", "d8-system").stdout.splitlines()
    assert len(out) == 20  # kubectl asks for the last 10 lines of each pod with -l
    assert {line.split()[0] for line in out} == {"deckhouse-0", "deckhouse-1"}
    assert "deckhouse-0 line 19" in out


def test_kubectl_get_crd_lists_the_served_crds_and_a_delete_is_refused(cluster):
    _server, kubectl = cluster
    out = kubectl("get", "crd").stdout
    assert _header(out) == ["NAME", "CREATED", "AT"], out
    names = [line.split()[0] for line in out.splitlines()[1:]]
    assert "modules.deckhouse.io" in names and "modulereleases.deckhouse.io" in names, out
    crd = yaml.safe_load(kubectl("get", "crd", "modulereleases.deckhouse.io", "-o", "yaml").stdout)
    assert crd["spec"]["names"]["shortNames"] == ["mr"]
    assert crd["status"]["storedVersions"] == ["v1alpha1"]
    refused = kubectl("delete", "crd", "modules.deckhouse.io", ok=False)
    assert refused.returncode == 1 and "(MethodNotAllowed)" in refused.stderr, refused.stderr
    assert "read-only" in refused.stderr
    assert "modules.deckhouse.io" in kubectl("get", "crd", "-o", "name").stdout


def test_kubectl_auth_whoami_and_can_i_answer_as_the_clusters_admin(cluster):
    _server, kubectl = cluster
    whoami = kubectl("auth", "whoami").stdout.splitlines()
    assert [line.split()[0] for line in whoami] == ["ATTRIBUTE", "Username", "Groups"]
    assert whoami[1].split()[1] == "kubernetes-admin"
    assert kubectl("auth", "can-i", "patch", "modulereleases").stdout.strip() == "yes"
    assert kubectl("auth", "can-i", "get", "/healthz").stdout.strip() == "yes"
    rules = kubectl("auth", "can-i", "--list").stdout.splitlines()
    assert rules[1].split()[0] == "*.*", rules


def test_kubectl_cluster_info_names_the_control_plane(cluster):
    server, kubectl = cluster
    out = kubectl("cluster-info").stdout
    assert out.splitlines()[0] == f"Kubernetes control plane is running at {server.url}", out
    assert "No resources found" in kubectl("get", "svc", "-A").stderr


def test_kubectl_cluster_info_dump_lists_every_kind_it_asks_for(cluster):
    """``cluster-info dump`` lists nodes, then events, replication controllers, services, daemon
    sets, deployments, replica sets and pods of each namespace; a 404 for any of them ended it
    with exit code 1 after the first namespace's events."""
    _server, kubectl = cluster
    out = kubectl.tmp / "dump"
    kubectl("cluster-info", "dump", "--output-directory", str(out))
    for name in ("replication-controllers", "daemonsets", "deployments", "replicasets", "pods"):
        listed = json.loads((out / "kube-system" / f"{name}.json").read_text())
        assert listed["items"] == [], name


def test_kubectl_daemon_sets_and_replication_controllers_print_and_scale(cluster):
    _server, kubectl = cluster
    template = {
        "metadata": {"labels": {"app": "agent"}},
        "spec": {
            "nodeSelector": {"kubernetes.io/os": "linux"},
            "containers": [{"name": "a", "image": "busybox"}],
        },
    }
    kubectl.apply(
        {
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": {"name": "agent", "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "agent"}}, "template": template},
        }
    )
    kubectl.apply(
        {
            "apiVersion": "v1",
            "kind": "ReplicationController",
            "metadata": {"name": "old", "namespace": "default"},
            "spec": {"template": template},
        }
    )
    assert kubectl("scale", "rc", "old", "--replicas=2").stdout == "replicationcontroller/old scaled\n"
    lines = kubectl("get", "ds,rc", "-o", "wide").stdout.splitlines()
    assert lines[0].split() == (
        "NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE CONTAINERS IMAGES SELECTOR".split()
    )
    assert lines[1].split() == (
        "daemonset.apps/agent 0 0 0 0 0 kubernetes.io/os=linux 0s a busybox app=agent".split()
    )
    assert lines[3].split() == "NAME DESIRED CURRENT READY AGE CONTAINERS IMAGES SELECTOR".split()
    assert lines[4].split() == "replicationcontroller/old 2 0 0 0s a busybox app=agent".split()


def test_kubectl_explain_knows_the_fields_of_built_in_kinds(cluster):
    """``kubectl explain deployment.spec.replicas`` ended with ``error: field "replicas" does not
    exist`` (exit code 1): the built-in kinds' schemas were open."""
    _server, kubectl = cluster
    out = kubectl("explain", "deployment.spec.template.spec.containers.ports.containerPort").stdout
    assert "FIELD: containerPort <integer>" in out.splitlines(), out
    fields = kubectl("explain", "pod.spec").stdout.splitlines()
    assert "  containers\t<[]Container> -required-" in fields
    assert "  nodeSelector\t<map[string]string>" in fields
    refused = kubectl("explain", "pod.spec.bogus", ok=False)
    assert (refused.returncode, refused.stderr) == (1, 'error: field "bogus" does not exist\n')


def test_kubectl_get_events_prints_no_name_column(cluster):
    """A real cluster's ``kubectl get events`` starts with LAST SEEN; the name only shows wide."""
    server, kubectl = cluster
    server.client().create(
        server.client().resolve("v1", "Event"),
        {
            "metadata": {"name": "e1", "namespace": "default"},
            "involvedObject": {"kind": "ModuleRelease", "name": "module-one-v1.2.3"},
            "reason": "Deployed",
            "message": "release deployed",
            "type": "Normal",
        },
    )
    lines = kubectl("get", "events", "-A").stdout.splitlines()
    assert lines[0].split() == "NAMESPACE LAST SEEN TYPE REASON OBJECT MESSAGE".split(), lines
    assert (
        lines[1].split()
        == "default <unknown> Normal Deployed modulerelease/module-one-v1.2.3 release deployed".split()
    )


def test_kubectl_service_accounts_as_on_a_real_cluster(cluster):
    """``sa`` was an unknown resource type. Every namespace has ``default`` (kube-controller-
    manager's serviceaccounts controller); ``create serviceaccount`` posts protobuf; a deleted
    ``default`` comes back with a new uid; ``describe`` reads the account, its secrets and events."""
    _server, kubectl = cluster
    listed = kubectl("get", "sa", "-A").stdout.splitlines()
    namespaces = ("d8-system", "default", "kube-node-lease", "kube-public", "kube-system")
    assert [line.split()[:3] for line in listed] == [
        ["NAMESPACE", "NAME", "SECRETS"],
        *([ns, "default", "0"] for ns in namespaces),
    ]
    assert listed[0].split()[3] == "AGE"
    described = kubectl("describe", "sa", "default").stdout
    assert described.split("\n")[:8] == [
        "Name:                default",
        "Namespace:           default",
        "Labels:              <none>",
        "Annotations:         <none>",
        "Image pull secrets:  <none>",
        "Mountable secrets:   <none>",
        "Tokens:              <none>",
        "Events:              <none>",
    ]
    assert kubectl("create", "serviceaccount", "robot").stdout == "serviceaccount/robot created\n"
    before = kubectl("get", "sa", "-o", "jsonpath={range .items[*]}{.metadata.name}={.metadata.uid} {end}")
    uids = dict(pair.split("=") for pair in before.stdout.split())
    assert sorted(uids) == ["default", "robot"]
    assert kubectl("delete", "sa", "robot", "default").stdout.splitlines() == [
        'serviceaccount "robot" deleted',
        'serviceaccount "default" deleted',
    ]
    after = kubectl("get", "sa").stdout.splitlines()
    assert [line.split()[:2] for line in after] == [["NAME", "SECRETS"], ["default", "0"]]
    uid = kubectl("get", "sa", "default", "-o", "jsonpath={.metadata.uid}").stdout
    assert uid and uid != uids["default"]


def test_kubectl_create_namespace_configmap_and_secrets_posted_as_protobuf(cluster):
    """kubectl's typed client posts these as Kubernetes protobuf, not JSON."""
    _server, kubectl = cluster
    assert kubectl("create", "namespace", "team").stdout.strip() == "namespace/team created"
    kubectl("create", "configmap", "settings", "--from-literal=mode=fast", "-n", "team")
    kubectl("create", "secret", "generic", "login", "--from-literal=user=qa", "-n", "team")
    kubectl(
        "create", "secret", "docker-registry", "pull", "--docker-server=registry.example.com",
        "--docker-username=u", "--docker-password=p", "-n", "team",
    )  # fmt: skip
    assert kubectl("get", "cm", "settings", "-n", "team", "-o", "jsonpath={.data.mode}").stdout == "fast"
    login = json.loads(kubectl("get", "secret", "login", "-n", "team", "-o", "json").stdout)
    assert (login["type"], login["data"]) == ("Opaque", {"user": "cWE="})
    pull = json.loads(kubectl("get", "secret", "pull", "-n", "team", "-o", "json").stdout)
    assert pull["type"] == "kubernetes.io/dockerconfigjson" and ".dockerconfigjson" in pull["data"]
    namespace = json.loads(kubectl("get", "namespace", "team", "-o", "json").stdout)
    assert "generateName" not in namespace["metadata"]
    again = kubectl("create", "namespace", "team", ok=False)
    assert again.returncode == 1 and 'namespaces "team" already exists' in again.stderr


def test_kubectl_create_deployment_and_service_are_posted_as_protobuf_and_defaulted(cluster):
    """``kubectl create deployment|service`` and ``expose`` post protobuf (a 415 before); what
    comes back carries the defaults kube-apiserver fills, and ``replicas: 0`` stays zero."""
    _server, kubectl = cluster
    created = kubectl("create", "deployment", "web", "--image=nginx:1.27", "--replicas=0", "--port=80")
    assert created.stdout.strip() == "deployment.apps/web created"
    kubectl("create", "deployment", "latest", "--image=nginx")
    deployment = json.loads(kubectl("get", "deploy", "web", "-o", "json").stdout)
    spec = deployment["spec"]
    assert (spec["replicas"], spec["revisionHistoryLimit"], spec["progressDeadlineSeconds"]) == (0, 10, 600)
    assert spec["selector"] == {"matchLabels": {"app": "web"}}
    assert "minReadySeconds" not in spec and "paused" not in spec  # zeros kubectl's protobuf carries
    rolling = {"maxSurge": "25%", "maxUnavailable": "25%"}
    assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": rolling}
    pod = spec["template"]["spec"]
    policies = (pod["dnsPolicy"], pod["restartPolicy"], pod["schedulerName"])
    assert policies == ("ClusterFirst", "Always", "default-scheduler")
    assert pod["terminationGracePeriodSeconds"] == 30 and pod["securityContext"] == {}
    assert pod["containers"] == [
        {
            "name": "nginx",
            "image": "nginx:1.27",
            "imagePullPolicy": "IfNotPresent",
            "ports": [{"containerPort": 80, "protocol": "TCP"}],
            "resources": {},
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
        }
    ]
    latest = kubectl("get", "deploy", "latest", "-o", "jsonpath={.spec.replicas} {..imagePullPolicy}")
    assert latest.stdout == "1 Always"

    kubectl("create", "service", "clusterip", "api", "--tcp=80:8080")
    kubectl("create", "service", "nodeport", "edge", "--tcp=5678:8080", "--node-port=30080")
    kubectl("create", "service", "externalname", "ext", "--external-name=example.com")
    kubectl("expose", "deployment", "web", "--port=8080", "--target-port=http")
    api = json.loads(kubectl("get", "svc", "api", "-o", "json").stdout)["spec"]
    assert api["ports"] == [{"name": "80-8080", "port": 80, "protocol": "TCP", "targetPort": 8080}]
    assert api["clusterIPs"] == [api["clusterIP"]] and api["clusterIP"].startswith("10.222.")
    assert (api["type"], api["sessionAffinity"], api["ipFamilies"]) == ("ClusterIP", "None", ["IPv4"])
    rows = {line.split()[0]: line.split() for line in kubectl("get", "svc").stdout.splitlines()[1:]}
    assert rows["edge"][1:5] == ["NodePort", rows["edge"][2], "<none>", "5678:30080/TCP"]
    assert rows["ext"][1:4] == ["ExternalName", "<none>", "example.com"]
    assert rows["web"][1] == "ClusterIP" and rows["web"][4] == "8080/TCP"
    assert len({rows[name][2] for name in ("api", "edge", "web")}) == 3  # one address each


def test_kubectl_exec_and_port_forward_say_why_not_and_what_instead(cluster):
    server, kubectl = cluster
    pods = server.client().resolve("v1", "Pod")
    server.client().create(
        pods,
        {
            "metadata": {"name": "deckhouse-0", "namespace": "d8-system"},
            "spec": {"containers": [{"name": "deckhouse", "image": "deckhouse"}]},
        },
    )
    done = kubectl(
        "-n", "d8-system", "exec", "deckhouse-0", "--", "deckhouse-controller", "module", "list", ok=False
    )
    assert done.returncode == 1
    assert "cannot run a command in pod 'deckhouse-0'" in done.stderr
    assert "dkp-harness module enable|disable NAME" in done.stderr


def test_a_forced_server_side_apply_over_a_client_side_one_takes_the_fields_for_good(cluster):
    """After `apply --server-side --force-conflicts` the applier owns what it applied, so the
    same apply again has no conflict, even where the server filled defaults (a NodePort Service:
    protocol, target port, node port). The forced apply changed only ownership: that is a write."""
    _server, kubectl = cluster
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "edge", "namespace": "default"},
        "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"name": "http", "port": 80}]},
    }
    kubectl.apply(service)
    before = json.loads(kubectl("get", "svc", "edge", "-o", "json").stdout)["metadata"]
    assert "serverside-applied" in kubectl.apply(service, "--server-side", "--force-conflicts").stdout
    after = json.loads(kubectl("get", "svc", "edge", "-o", "json", "--show-managed-fields").stdout)[
        "metadata"
    ]
    assert int(after["resourceVersion"]) > int(before["resourceVersion"])
    assert "kubectl" in [entry["manager"] for entry in after["managedFields"]]
    manifest = kubectl.tmp / "edge.yaml"
    manifest.write_text(yaml.safe_dump(service))
    again = kubectl("apply", "--server-side", "-f", str(manifest), ok=False)
    assert again.returncode == 0 and "serverside-applied" in again.stdout, again.stderr
    assert kubectl("diff", "--server-side", "-f", str(manifest), ok=False).returncode == 0


def test_kubectl_shows_the_warnings_and_the_refusal_for_repeated_keys(cluster):
    """``kubectl create --raw`` sends the file's bytes as they are: kube-apiserver's default
    (``Warn``) comes back as ``Warning:`` lines on stderr, ``Strict`` as the 400 (``kubectl apply``
    and ``create -f`` decode the file first, so the repetition never reaches the server)."""
    _server, kubectl = cluster
    path = kubectl.tmp / "dup.json"
    path.write_text(
        '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "name": "dup"},'
        ' "data": {"a": "1", "a": "2"}}'
    )
    configmaps = "/api/v1/namespaces/default/configmaps"
    refused = kubectl("create", "--raw", f"{configmaps}?fieldValidation=Strict", "-f", str(path), ok=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        'Error from server (BadRequest): ConfigMap in version "v1" cannot be handled as a ConfigMap: '
        'strict decoding error: duplicate field "metadata.name", duplicate field "data.a"'
    )
    created = kubectl("create", "--raw", configmaps, "-f", str(path))
    assert created.stderr.splitlines() == [
        'Warning: duplicate field "metadata.name"',
        'Warning: duplicate field "data.a"',
    ]
    assert json.loads(created.stdout)["data"] == {"a": "2"}


def _labelled_config_map(name: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": "pruned"}},
        "data": {"x": "1"},
    }


def test_kubectl_apply_prune_without_an_allowlist_resolves_its_default_kinds(cluster):
    """``--prune -l`` without ``--prune-allowlist`` resolves kubectl's sixteen default kinds
    first; Endpoints, PersistentVolumeClaims, PersistentVolumes, Jobs, CronJobs, Ingresses and
    StatefulSets were not served, so it failed with ``error retrieving RESTMappings to prune``."""
    _server, kubectl = cluster
    kubectl.apply(_labelled_config_map("a"))
    kubectl.apply(_labelled_config_map("b"))
    done = kubectl.apply(_labelled_config_map("a"), "--prune", "-l", "app=pruned")
    assert "configmap/b pruned" in done.stdout, done.stdout + done.stderr
    names = kubectl("get", "cm", "-l", "app=pruned", "-o", "name").stdout.split()
    assert names == ["configmap/a"]


_PRUNE_KINDS = """
apiVersion: batch/v1
kind: Job
metadata: {name: j, namespace: default}
spec:
  template:
    metadata: {labels: {app: j}}
    spec: {containers: [{name: c, image: busybox}], restartPolicy: Never}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj, namespace: default}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec: {containers: [{name: c, image: busybox}], restartPolicy: OnFailure}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s, namespace: default}
spec:
  serviceName: s
  replicas: 2
  selector: {matchLabels: {app: s}}
  template:
    metadata: {labels: {app: s}}
    spec: {containers: [{name: c, image: nginx:1.27}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i, namespace: default}
spec:
  tls: [{hosts: [a.example.com]}]
  rules:
  - host: a.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: s, port: {number: 80}}}}]}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: p, namespace: default}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteMany, ReadWriteOnce]
  hostPath: {path: /srv}
---
apiVersion: v1
kind: Endpoints
metadata: {name: e, namespace: default}
subsets:
- addresses: [{ip: 10.0.0.1}, {ip: 10.0.0.2}]
  ports: [{port: 80}, {port: 443}]
"""


def _rows(output: str) -> list[list[str]]:
    return [line.split() for line in output.splitlines()]


def test_kubectl_prints_the_prune_kinds_with_kube_apiservers_columns_and_defaults(cluster):
    _server, kubectl = cluster
    path = kubectl.tmp / "kinds.yaml"
    path.write_text(_PRUNE_KINDS)
    kubectl("apply", "-f", str(path))
    job = json.loads(kubectl("get", "job", "j", "-o", "json").stdout)
    uid = job["metadata"]["uid"]
    assert _rows(kubectl("get", "job", "-o", "wide").stdout) == [
        ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"],
        ["j", "Running", "0/1", "0s", "c", "busybox", f"batch.kubernetes.io/controller-uid={uid}"],
    ]
    assert _rows(kubectl("get", "cj").stdout) == [
        ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST", "SCHEDULE", "AGE"],
        ["cj", "*/5", "*", "*", "*", "*", "<none>", "False", "0", "<none>", "0s"],
    ]
    assert _rows(kubectl("get", "sts").stdout)[1] == ["s", "0/2", "0s"]
    assert _rows(kubectl("get", "ing").stdout)[1] == ["i", "<none>", "a.example.com", "80,", "443", "0s"]
    assert _rows(kubectl("get", "pvc").stdout)[1] == ["p", "Pending", "<unset>", "0s"]
    pv = _rows(kubectl("get", "pv").stdout)[1]
    assert pv == ["pv1", "5Gi", "RWO,RWX", "Retain", "Pending", "<unset>", "0s"]
    ep = kubectl("get", "ep", "e").stdout.splitlines()[1]
    addresses = ep.split(None, 1)[1].rsplit(None, 1)[0].strip()
    assert addresses == "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more..."
    # the strategy's generated labels on the template, and (SetDefaults_Job) on the Job too
    generated = {
        "app": "j",
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": "j",
        "controller-uid": uid,
        "job-name": "j",
    }
    assert job["spec"]["template"]["metadata"]["labels"] == generated
    assert job["metadata"]["labels"] == generated
    spec = {k: v for k, v in job["spec"].items() if k != "template"}
    assert spec == {
        "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}},
        "backoffLimit": 6,
        "completionMode": "NonIndexed",
        "completions": 1,
        "manualSelector": False,
        "parallelism": 1,
        "podReplacementPolicy": "TerminatingOrFailed",
        "suspend": False,
    }
    sts = json.loads(kubectl("get", "sts", "s", "-o", "json").stdout)
    assert sts["spec"]["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert sts["status"] == {"replicas": 0, "availableReplicas": 0}
    selected = kubectl("get", "jobs", "--field-selector", "status.successful=0", "-o", "name")
    assert selected.stdout == "job.batch/j\n"
    refused = kubectl("get", "jobs", "--field-selector", "spec.x=1", ok=False)
    assert refused.stderr.endswith('field label "spec.x" not supported for batchv1.Job\n'), refused.stderr
    every = kubectl("get", "all", "-o", "name").stdout.split()
    assert {"job.batch/j", "cronjob.batch/cj", "statefulset.apps/s"} <= set(every)
    # StorageObjectInUseProtection's finalizers, and the protection controllers taking them off
    # once deleted and unused: kubectl delete waits for the object to go and returns
    finalizers = "jsonpath={.metadata.finalizers}"
    assert kubectl("get", "pvc", "p", "-o", finalizers).stdout == '["kubernetes.io/pvc-protection"]'
    assert kubectl("get", "pv", "pv1", "-o", finalizers).stdout == '["kubernetes.io/pv-protection"]'
    gone = kubectl("delete", "pvc", "p", "--timeout=20s")
    assert gone.stdout == 'persistentvolumeclaim "p" deleted\n'
    assert kubectl("delete", "pv", "pv1", "--timeout=20s").returncode == 0
    assert kubectl("get", "pvc,pv", "-o", "name").stdout == ""


def test_kubectl_applies_a_list_as_kubectl_get_writes_it_and_validates_its_items(cluster):
    """A ``kind: List`` is validated on the client against ``/openapi/v2``, which was a 404:
    ``kubectl apply -f`` of ``kubectl get mc,mup -o yaml``'s output stopped with ``error
    validating data: the server could not find the requested resource``."""
    _server, kubectl = cluster
    kubectl.apply(MC)
    kubectl.apply(MS)
    exported = kubectl("get", "mc,ms", "-o", "yaml").stdout
    assert yaml.safe_load(exported)["kind"] == "List"
    path = kubectl.tmp / "exported.yaml"
    path.write_text(exported)
    done = kubectl("apply", "-f", str(path))
    assert done.stdout.split("\n")[:2] == [
        "moduleconfig.deckhouse.io/module-one configured",
        "modulesource.deckhouse.io/example configured",
    ], done.stdout
    bad = dict(MC, spec={"enabled": "yes", "bogus": 1})
    path.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": [bad]}))
    refused = kubectl("apply", "-f", str(path), ok=False)
    assert refused.returncode == 1
    assert 'unknown field "bogus" in io.deckhouse.v1alpha1.ModuleConfig.spec' in refused.stderr
    assert (
        "invalid type for io.deckhouse.v1alpha1.ModuleConfig.spec.enabled: "
        'got "string", expected "boolean"' in refused.stderr
    )


def test_kubectl_knows_deckhouse_releases(cluster):
    """``kubectl get deckhousereleases`` was ``error: the server doesn't have a resource type``;
    a DKP cluster serves the kind (no short name), printed with its CRD's three columns."""
    _server, kubectl = cluster
    assert kubectl("get", "deckhousereleases").stderr == "No resources found\n"
    release = {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "DeckhouseRelease",
        "metadata": {"name": "v1-67-5"},
        "spec": {"version": "v1.67.5"},
    }
    kubectl.apply(release)
    patch = '{"status":{"phase":"Deployed","transitionTime":"2024-12-16T09:00:00Z","message":""}}'
    kubectl("patch", "deckhouserelease", "v1-67-5", "--subresource=status", "--type=merge", "-p", patch)
    assert _rows(kubectl("get", "deckhouserelease").stdout) == [
        ["NAME", "PHASE", "TRANSITIONTIME", "MESSAGE"],
        ["v1-67-5", "Deployed", "0s"],
    ]
    got = json.loads(kubectl("get", "deckhouserelease", "v1-67-5", "-o", "json").stdout)
    assert got["approved"] is False  # the CRD's default
    resources = kubectl("api-resources", "--api-group=deckhouse.io", "-o", "name").stdout.split()
    assert "deckhousereleases.deckhouse.io" in resources


def _invalid_value(stderr: str) -> str:
    """The patched document a patch's 422 prints, unquoted."""
    start = stderr.index('Invalid value: "') + len('Invalid value: "')
    return json.loads('"' + stderr[start : stderr.index('": ', start)] + '"')


def test_a_refused_patch_prints_the_patched_document_in_json_patchs_key_order(cluster):
    """json-patch writes the patched document from a Go map (sorted keys) and leaves what the
    patch never opened as it was read: a custom resource sorted throughout (its stored JSON is a
    Go map too), a built-in kind's untouched metadata in its struct order. The harness printed
    every key in its own order."""
    _server, kubectl = cluster
    kubectl.apply(MC)
    typo = dict(MC, spec={"enabled": True, "enabld": False})
    refused = kubectl("apply", "-f", str(_write(kubectl, typo)), ok=False)
    document = _invalid_value(refused.stderr)
    assert json.dumps(json.loads(document), sort_keys=True, separators=(",", ":")) == document
    assert '"spec":{"enabld":false,"enabled":true}' in document
    assert refused.stderr.rstrip().endswith('strict decoding error: unknown field "spec.enabld"')
    kubectl("create", "configmap", "pc", "--from-literal=b=x")
    for kind, patch in (("merge", '{"data":{"a":1}}'), ("json", '[{"op":"add","path":"/data/a","value":1}]')):
        refused = kubectl("patch", "cm", "pc", f"--type={kind}", "-p", patch, ok=False)
        document = _invalid_value(refused.stderr)
        assert document.startswith(
            '{"apiVersion":"v1","data":{"a":1,"b":"x"},"kind":"ConfigMap","metadata":{"name":"pc","namespace":'
        ), (kind, document)
    strategic = kubectl(
        "patch", "cm", "pc", "-p", '{"data":{"a":1}}', ok=False
    )  # the patch, as Go prints a map
    assert 'patch: Invalid value: "map[data:map[a:1]]": json: cannot unmarshal number' in strategic.stderr


def _write(kubectl: Kubectl, manifest: dict) -> Path:
    path = kubectl.tmp / f"w{kubectl.n}.yaml"
    path.write_text(yaml.safe_dump(manifest))
    return path


def test_kubectl_create_raw_of_a_custom_resource_without_kind_is_refused(cluster):
    """``kubectl create --raw`` sends the file as it is; apiextensions-apiserver's unstructured
    decoder finds no ``kind`` and the create handler answers the unrecognized-object 400 (a
    built-in kind would take the URL's). ``kubectl apply -f`` refuses such a file itself."""
    _server, kubectl = cluster
    path = kubectl.tmp / "no-kind.json"
    body = '{"apiVersion":"deckhouse.io/v1alpha1","metadata":{"name":"module-one"},"spec":{"enabled":true}}'
    path.write_text(body)
    url = "/apis/deckhouse.io/v1alpha1/moduleconfigs"
    refused = kubectl("create", "--raw", url, "-f", str(path), ok=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "Error from server (BadRequest): the object provided is unrecognized (must be of type ModuleConfig): "
        f"Object 'Kind' is missing in '{body}' ({body[:30]} ...)"
    )
    assert kubectl("get", "mc", "module-one", ok=False).returncode == 1


def test_kubectl_create_raw_of_a_yaml_file_is_refused_by_the_json_decoder(cluster):
    """``kubectl create --raw -f file.yaml`` posts the file's bytes as ``application/json``;
    kube-apiserver reads a JSON body with Go's JSON decoder only, which stops at the first byte
    (``couldn't get version/kind; json parse error``). ``kubectl create -f`` converts the file
    itself and succeeds. The harness used to read the YAML and create the object."""
    _server, kubectl = cluster
    path = kubectl.tmp / "cm.yaml"
    body = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw-yaml\n"
    path.write_text(body)
    refused = kubectl("create", "--raw", "/api/v1/namespaces/default/configmaps", "-f", str(path), ok=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "Error from server (BadRequest): the object provided is unrecognized (must be of type ConfigMap): "
        "couldn't get version/kind; json parse error: invalid character 'a' looking for beginning of value "
        f"({body.encode()[:30].hex()} ...)"
    )
    assert kubectl("get", "cm", "raw-yaml", ok=False).returncode == 1
    kubectl("create", "-f", str(path))
    assert kubectl("get", "cm", "raw-yaml", "-o", "name").stdout.strip() == "configmap/raw-yaml"


def test_kubectl_create_raw_of_a_custom_resource_in_another_kind_is_invalid(cluster):
    """apiextensions-apiserver's validator refuses a body whose kind is not the URL's with a 422
    qualified by the body's kind, which kubectl prints as ``The Module "x" is invalid: ...``."""
    _server, kubectl = cluster
    path = kubectl.tmp / "module.json"
    path.write_text(
        '{"apiVersion":"deckhouse.io/v1alpha1","kind":"Module","metadata":{"name":"module-one"},"spec":{}}'
    )
    refused = kubectl(
        "create", "--raw", "/apis/deckhouse.io/v1alpha1/moduleconfigs", "-f", str(path), ok=False
    )
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        'The Module "module-one" is invalid: kind: Invalid value: "Module": must be ModuleConfig'
    )
    assert kubectl("get", "mc", "module-one", ok=False).returncode == 1
