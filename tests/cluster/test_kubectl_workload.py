"""DKP's usual look at the controller, with the real kubectl: the Deployment, its pod, its log."""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml

from .conftest import KUBECTL, KUBECTL_ENV, NEEDS_KUBECTL, kubectl_missing, kubectl_text

pytestmark = [pytest.mark.registry, pytest.mark.kubectl]

if kubectl_missing():
    pytest.skip(NEEDS_KUBECTL, allow_module_level=True)


def test_logs_through_the_deployment_and_a_running_ready_pod(cluster, tmp_path):
    cluster.log.info("d8-module-source-controller", "hello from the controller")
    log = kubectl_text(cluster, tmp_path, "-n", "d8-system", "logs", "deploy/deckhouse", "-c", "deckhouse")
    assert log == cluster.log.text() and "hello from the controller" in log
    pods = kubectl_text(cluster, tmp_path, "-n", "d8-system", "get", "pods").splitlines()
    assert pods[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert pods[1].split()[:4] == [cluster.pod_name, "1/1", "Running", "0"]
    deploy = kubectl_text(cluster, tmp_path, "-n", "d8-system", "get", "deploy", "deckhouse").splitlines()
    assert deploy[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert deploy[1].split()[:4] == ["deckhouse", "1/1", "1", "1"]


def test_the_cluster_has_a_ready_master_node_and_the_api_servers_service(cluster, tmp_path):
    nodes = kubectl_text(cluster, tmp_path, "get", "nodes").splitlines()
    assert nodes[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    assert nodes[1].split()[:3] == ["dkp-master-0", "Ready", "control-plane,master"]
    assert nodes[1].split()[4] == f"v{cluster.settings.kubernetes_version}"
    services = kubectl_text(cluster, tmp_path, "get", "svc").splitlines()
    assert services[0].split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert services[1].split()[:5] == ["kubernetes", "ClusterIP", "10.222.0.1", "<none>", "443/TCP"]
    described = kubectl_text(cluster, tmp_path, "describe", "node", "dkp-master-0")
    assert "Non-terminated Pods:          (1 in total)" in described, described
    assert cluster.pod_name in described
    wide = kubectl_text(cluster, tmp_path, "-n", "d8-system", "get", "pods", "-o", "wide").splitlines()
    assert wide[0].split() == "NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES".split()
    assert wide[1].split()[5:] == ["10.111.0.10", "dkp-master-0", "<none>", "<none>"]


def test_a_kubernetes_upgrade_reaches_the_nodes_kubelet(cluster, tmp_path):
    kubectl_text(cluster, tmp_path, "get", "nodes")
    cluster.set_versions(kubernetes="1.31.2")
    nodes = kubectl_text(
        cluster, tmp_path, "get", "nodes", "-o", "jsonpath={.items[0].status.nodeInfo.kubeletVersion}"
    )
    assert nodes == "v1.31.2"


def _exec(cluster, tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [str(KUBECTL), "--kubeconfig", str(cluster.kubeconfig), "--cache-dir", str(tmp_path), *args]
    return subprocess.run(
        argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, env=KUBECTL_ENV
    )


def test_the_pages_exec_command_enables_and_disables_a_module_through_its_moduleconfig(cluster, tmp_path):
    page = "-ti -n d8-system exec svc/deckhouse-leader -c deckhouse -- deckhouse-controller module".split()
    done = _exec(cluster, tmp_path, *page, "enable", "module-one")
    assert (done.returncode, done.stdout) == (0, "Module module-one enabled\n"), done.stderr
    assert "Unable to use a TTY" in done.stderr  # kubectl's own note: the test's stdin is no terminal
    config = cluster.client.get(cluster.client.resolve("deckhouse.io/v1alpha1", "ModuleConfig"), "module-one")
    assert config["spec"] == {"enabled": True}
    cluster.client.patch(
        cluster.client.resolve("deckhouse.io/v1alpha1", "ModuleConfig"),
        "module-one",
        {"spec": {"settings": {"a": 1}, "version": 1}},
    )
    done = _exec(cluster, tmp_path, *page, "disable", "module-one")
    assert (done.returncode, done.stdout) == (0, "Module module-one disabled\n"), done.stderr
    config = cluster.client.get(cluster.client.resolve("deckhouse.io/v1alpha1", "ModuleConfig"), "module-one")
    assert config["spec"] == {"enabled": False, "settings": {"a": 1}, "version": 1}  # the rest is kept


def test_a_failing_or_unknown_command_reports_what_kubectl_reports_for_a_container(cluster, tmp_path):
    leader = "-n d8-system exec svc/deckhouse-leader -c deckhouse --".split()
    missing = _exec(cluster, tmp_path, *leader, "deckhouse-controller", "module", "enable")
    assert missing.returncode == 1
    assert "required argument 'module_name' not provided" in missing.stderr
    assert "command terminated with exit code 1" in missing.stderr
    invalid = _exec(cluster, tmp_path, *leader, "deckhouse-controller", "module", "enable", "Bad_Name")
    assert invalid.returncode == 1
    assert "enable module failed: create ModuleConfig/Bad_Name: " in invalid.stderr  # the API's own 422
    assert "a lowercase RFC 1123 subdomain" in invalid.stderr
    shell = _exec(cluster, tmp_path, *leader, "sh", "-c", "ls")
    assert shell.returncode == 1
    assert "error: Internal error occurred: error executing command in container:" in shell.stderr
    assert "only `deckhouse-controller module enable NAME`" in shell.stderr
    wrong = _exec(
        cluster, tmp_path, "-n", "d8-system", "exec", cluster.pod_name, "-c", "sidecar", "--", "true"
    )
    assert (
        wrong.returncode == 1 and f"container sidecar is not valid for pod {cluster.pod_name}" in wrong.stderr
    )


def test_the_kubernetes_client_execs_in_the_leader_pod_and_reads_the_exit_code(cluster):
    from kubernetes import client, config
    from kubernetes.stream import stream

    cfg = client.Configuration()
    config.load_kube_config(config_file=str(cluster.kubeconfig), client_configuration=cfg)
    with client.ApiClient(cfg) as api:
        core = client.CoreV1Api(api)
        [pod] = core.list_namespaced_pod("d8-system", label_selector="app=deckhouse,leader=true").items

        def run(command: list[str]) -> tuple[int, str, str]:
            # Not the client's default (_preload_content=True): that leaves its socket open.
            session = stream(
                core.connect_get_namespaced_pod_exec, pod.metadata.name, "d8-system", container="deckhouse",
                command=command, stdout=True, stderr=True, stdin=False, tty=False, _preload_content=False,
            )  # fmt: skip
            try:
                session.run_forever(timeout=10)
                return session.returncode, session.read_stdout(), session.read_stderr()
            finally:
                session.close()
                session.sock.shutdown()  # close() leaves the socket open once the server closed

        assert run(["deckhouse-controller", "module", "enable", "module-two"]) == (
            0,
            "Module module-two enabled\n",
            "",
        )
        code, out, err = run(["deckhouse-controller", "module", "list"])
        assert (code, out) == (1, "")
        assert "only `deckhouse-controller module enable NAME`" in err


def test_a_real_cluster_targets_module_cli_runs_the_command_in_the_leader_pod(cluster):
    from harness.target.deckhouse_exec import DeckhouseCommandFailed, LeaderExec
    from harness.target.kubeclient import KubernetesClient

    kube = KubernetesClient.from_kubeconfig(cluster.kubeconfig)
    try:
        cli = LeaderExec(kube)
        cli.set_enabled("module-three", True)
        mc = cluster.client.get(
            cluster.client.resolve("deckhouse.io/v1alpha1", "ModuleConfig"), "module-three"
        )
        assert mc["spec"] == {"enabled": True}
        with pytest.raises(
            DeckhouseCommandFailed, match=r"exited with code 1: .*enable module failed: create"
        ):
            cli.set_enabled("Not_A_Name", True)
        with pytest.raises(DeckhouseCommandFailed, match=r"could not run in pod d8-system/.*runs no 'sh'"):
            cli.run(["sh", "-c", "true"])
        cluster.client.delete(cluster.client.resolve("v1", "Pod"), cluster.pod_name, namespace="d8-system")
        with pytest.raises(DeckhouseCommandFailed, match="no running Deckhouse leader pod in d8-system"):
            cli.set_enabled("module-three", False)
    finally:
        kube.close()


def test_a_deleted_deckhouse_pod_comes_back_under_a_new_name_with_a_fresh_log(cluster, tmp_path):
    cluster.log.info("d8-module-source-controller", "before the restart")
    first = cluster.pod_name
    done = _exec(cluster, tmp_path, "-n", "d8-system", "delete", "pod", "-l", "app=deckhouse")
    assert done.returncode == 0 and f'pod "{first}" deleted' in done.stdout, done.stderr
    cluster.settle()
    pods = kubectl_text(cluster, tmp_path, "-n", "d8-system", "get", "pods", "-o", "name").split()
    assert pods == [f"pod/{cluster.pod_name}"] and cluster.pod_name != first
    assert cluster.pod_name.rsplit("-", 1)[0] == first.rsplit("-", 1)[0]  # same ReplicaSet hash
    labels = kubectl_text(
        cluster,
        tmp_path,
        "-n",
        "d8-system",
        "get",
        "pod",
        cluster.pod_name,
        "-o",
        "jsonpath={.metadata.labels}",
    )
    assert '"leader":"true"' in labels
    log = kubectl_text(cluster, tmp_path, "-n", "d8-system", "logs", "deploy/deckhouse")
    assert "before the restart" not in log and "before the restart" in cluster.log.text()
    enabled = _exec(
        cluster,
        tmp_path,
        "-n",
        "d8-system",
        "exec",
        "svc/deckhouse-leader",
        "--",
        "deckhouse-controller",
        "module",
        "enable",
        "m",
    )
    assert enabled.stdout == "Module m enabled\n", enabled.stderr
    cluster.client.delete(cluster.client.resolve("v1", "Pod"), cluster.pod_name, namespace="d8-system")
    cluster.settle()
    assert cluster.workload.restarts == 2 and len({first, cluster.pod_name}) == 2


def test_kubectl_logs_since_timestamps_and_follow_read_the_deckhouse_logs_instants(cluster, tmp_path):
    import selectors

    cluster.log.info("d8-module-source-controller", "at nine")
    cluster.control.advance("10m")
    cluster.log.info("d8-module-source-controller", "ten past nine")
    recent = kubectl_text(cluster, tmp_path, "-n", "d8-system", "logs", "deploy/deckhouse", "--since=5m")
    assert "ten past nine" in recent and "at nine" not in recent
    stamped = kubectl_text(
        cluster, tmp_path, "-n", "d8-system", "logs", "deploy/deckhouse", "--timestamps", "--tail=1"
    )
    assert stamped.startswith("2024-12-16T09:10:00.000000000Z {") and "ten past nine" in stamped
    argv = [str(KUBECTL), "--kubeconfig", str(cluster.kubeconfig), "--cache-dir", str(tmp_path)]
    follow = subprocess.Popen(
        [*argv, "-n", "d8-system", "logs", "-f", "deploy/deckhouse", "--tail=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=KUBECTL_ENV,
    )
    try:
        selector = selectors.DefaultSelector()
        selector.register(follow.stdout, selectors.EVENT_READ)

        def next_line() -> str:
            assert selector.select(30), "kubectl logs -f printed nothing within 30 s"
            return follow.stdout.readline()

        assert "ten past nine" in next_line()
        cluster.log.info("d8-module-source-controller", "written while kubectl follows")
        assert "written while kubectl follows" in next_line()
        # The pod goes (Deckhouse restarts): its log ends there, as a stopped container's does.
        cluster.client.delete(cluster.client.resolve("v1", "Pod"), cluster.pod_name, namespace="d8-system")
        cluster.settle()
        cluster.log.info("d8-module-source-controller", "the new Deckhouse's line")
        rest, _ = follow.communicate(timeout=30)
        assert follow.returncode == 0 and "the new Deckhouse's line" not in rest
    finally:
        if follow.poll() is None:
            follow.terminate()
            follow.communicate(timeout=30)


def test_a_rollout_restart_runs_a_new_pod_from_the_new_template_and_completes(cluster, tmp_path):
    first = cluster.pod_name
    ns = ["-n", "d8-system"]
    assert "restarted" in kubectl_text(cluster, tmp_path, *ns, "rollout", "restart", "deploy/deckhouse")
    cluster.settle()
    status = _exec(cluster, tmp_path, *ns, "rollout", "status", "deploy/deckhouse", "--timeout=20s")
    assert status.returncode == 0 and 'deployment "deckhouse" successfully rolled out' in status.stdout
    pods = kubectl_text(cluster, tmp_path, *ns, "get", "pods", "-o", "name").split()
    assert pods == [f"pod/{cluster.pod_name}"]
    assert cluster.pod_name.rsplit("-", 1)[0] != first.rsplit("-", 1)[0]  # a new ReplicaSet's hash
    image = "registry.deckhouse.io/deckhouse/ee:v1.68.0"
    kubectl_text(cluster, tmp_path, *ns, "set", "image", "deploy/deckhouse", f"deckhouse={image}")
    cluster.settle()
    running = kubectl_text(
        cluster, tmp_path, *ns, "get", "pods", "-o", "jsonpath={.items[*].spec.containers[0].image}"
    )
    assert running == image and cluster.workload.restarts == 2
    # One generation per change of the template: the controller's revision goes through /status.
    meta = "jsonpath={.metadata.generation} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}"
    assert kubectl_text(cluster, tmp_path, *ns, "get", "deploy/deckhouse", "-o", meta) == "3 3"


def test_the_simulators_own_upgrade_is_not_taken_for_a_users_rollout(cluster):
    """``set_versions`` patches the template and reports it observed in one step (a real upgrade
    would restart the pod; the simulator keeps timelines as they were, docs/dkp-simulator.md)."""
    first = cluster.pod_name
    cluster.set_versions(deckhouse="v1.68.0")
    cluster.settle()
    assert (cluster.pod_name, cluster.workload.restarts) == (first, 0)


def test_an_upgrade_changes_the_deckhouse_containers_image_and_nothing_else(cluster):
    """The upgrade's patches are strategic merges: the container keeps its command and ports in
    the Deployment's template and in the pod (a merge patch replaced the whole container list)."""
    from harness.api import kinds

    before = cluster.client.get(kinds.POD, cluster.pod_name, namespace="d8-system")["spec"]["containers"]
    cluster.set_versions(deckhouse="v1.68.0")
    cluster.settle()
    pod = cluster.client.get(kinds.POD, cluster.pod_name, namespace="d8-system")["spec"]["containers"]
    deployment = cluster.client.get(kinds.DEPLOYMENT, "deckhouse", namespace="d8-system")
    template = deployment["spec"]["template"]["spec"]["containers"]
    for containers in (pod, template):
        (container,) = containers
        assert container["image"] != before[0]["image"]
        assert container["command"] == before[0]["command"] and container["ports"] == before[0]["ports"]


def _rows(text: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split()[1:] for line in text.splitlines()[1:]}


@pytest.mark.parametrize("listed_first", [True, False], ids=["sets-listed-before", "sets-listed-after"])
def test_replica_sets_follow_rollouts_and_a_rollback_brings_its_set_back(cluster, tmp_path, listed_first):
    ns = ["-n", "d8-system"]
    first = cluster.pod_name.rsplit("-", 1)[0]  # deckhouse-<hash>: the ReplicaSet's name
    if listed_first:  # stored now, then written at each rollout; else made at the first request
        assert _rows(kubectl_text(cluster, tmp_path, *ns, "get", "rs")) == {first: ["1", "1", "1", "0s"]}
    kubectl_text(cluster, tmp_path, *ns, "rollout", "restart", "deploy/deckhouse")
    cluster.settle()
    second = cluster.pod_name.rsplit("-", 1)[0]
    sets = _rows(kubectl_text(cluster, tmp_path, *ns, "get", "rs"))
    assert sets == {first: ["0", "0", "0", "0s"], second: ["1", "1", "1", "0s"]}
    kubectl_text(cluster, tmp_path, *ns, "rollout", "undo", "deploy/deckhouse")
    cluster.settle()
    assert cluster.pod_name.rsplit("-", 1)[0] == first  # the first template's set, again
    sets = _rows(kubectl_text(cluster, tmp_path, *ns, "get", "rs"))
    assert sets == {first: ["1", "1", "1", "0s"], second: ["0", "0", "0", "0s"]}
    history = kubectl_text(cluster, tmp_path, *ns, "rollout", "history", "deploy/deckhouse")
    assert [line.split()[0] for line in history.splitlines()[2:] if line.strip()] == ["2", "3"]
    owner = kubectl_text(
        cluster,
        tmp_path,
        *ns,
        "get",
        "pod",
        cluster.pod_name,
        "-o",
        "jsonpath={.metadata.ownerReferences[0].name}",
    )
    assert owner == first


def test_a_follower_that_leaves_frees_its_thread_though_the_log_stays_quiet(cluster, tmp_path):
    """Before, the handler thread of an abandoned `kubectl logs -f` waited for the next log line
    (forever, on a quiet sandbox); now the client's leaving ends it."""
    import selectors

    live = cluster.api._http._server.live  # the HTTP server's handler threads
    argv = [str(KUBECTL), "--kubeconfig", str(cluster.kubeconfig), "--cache-dir", str(tmp_path)]
    followers = []
    for n in range(3):
        cluster.log.info("d8-module-source-controller", f"line {n}")
        before = set(live)
        follow = subprocess.Popen(
            [*argv, "-n", "d8-system", "logs", "-f", "deploy/deckhouse", "--tail=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=KUBECTL_ENV,
        )
        selector = selectors.DefaultSelector()
        selector.register(follow.stdout, selectors.EVENT_READ)
        assert selector.select(30) and f"line {n}" in follow.stdout.readline()
        followers.append((follow, set(live) - before))
    for follow, threads in followers:
        follow.kill()
        follow.communicate(timeout=30)
        for thread in threads:
            thread.join(10)  # ended by the disconnect, not by a log line (none is written)
        assert not any(thread.is_alive() for thread in threads)


def test_a_new_generation_with_the_same_pod_template_is_observed_without_a_restart(cluster, tmp_path):
    first, ns = cluster.pod_name, ["-n", "d8-system"]
    kubectl_text(cluster, tmp_path, *ns, "rollout", "pause", "deploy/deckhouse")
    cluster.settle()
    kubectl_text(cluster, tmp_path, *ns, "rollout", "resume", "deploy/deckhouse")
    cluster.settle()
    status = _exec(cluster, tmp_path, *ns, "rollout", "status", "deploy/deckhouse", "--timeout=20s")
    assert status.returncode == 0, status.stderr
    assert (cluster.pod_name, cluster.workload.restarts) == (first, 0)  # pausing restarts nothing


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ('{"spec":{"replicas":-1}}', "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
        ('{"spec":{"replicas":"two"}}', "cannot unmarshal string into Go struct field"),
        (
            '{"spec":{"template":{"metadata":{"labels":{"app":"other"}}}}}',
            "`selector` does not match template `labels`",
        ),
    ],
)
def test_a_deployment_write_kube_apiserver_refuses_is_refused(cluster, tmp_path, patch, message):
    done = _exec(cluster, tmp_path, "-n", "d8-system", "patch", "deploy", "deckhouse", "-p", patch)
    assert done.returncode == 1 and message in done.stderr
    assert "1/1" in kubectl_text(cluster, tmp_path, "-n", "d8-system", "get", "deploy")  # nothing stored


def test_a_paused_deployment_rolls_out_only_when_resumed(cluster, tmp_path):
    first, ns = cluster.pod_name, ["-n", "d8-system"]
    image = "registry.deckhouse.io/deckhouse/ee:v1.68.0"
    kubectl_text(cluster, tmp_path, *ns, "rollout", "pause", "deploy/deckhouse")
    kubectl_text(cluster, tmp_path, *ns, "set", "image", "deploy/deckhouse", f"deckhouse={image}")
    cluster.settle()
    assert cluster.pod_name == first
    kubectl_text(cluster, tmp_path, *ns, "rollout", "resume", "deploy/deckhouse")
    cluster.settle()
    assert cluster.pod_name != first
    pods = kubectl_text(
        cluster, tmp_path, *ns, "get", "pods", "-o", "jsonpath={.items[*].spec.containers[0].image}"
    )
    assert pods == image


def test_scaled_to_zero_deckhouse_stops_and_scaled_back_it_starts_afresh(cluster, tmp_path):
    """`kubectl scale --replicas=0` stops Deckhouse: no pod, nothing reconciled, no periodic look,
    however long; scaled back, a new pod runs and its Deckhouse looks at everything again."""
    first, ns = cluster.pod_name, ["-n", "d8-system"]
    config = cluster.client.resolve("deckhouse.io/v1alpha1", "ModuleConfig")
    assert kubectl_text(cluster, tmp_path, *ns, "scale", "deploy/deckhouse", "--replicas=0").strip() == (
        "deployment.apps/deckhouse scaled"
    )
    cluster.settle()
    deploy = kubectl_text(cluster, tmp_path, *ns, "get", "deploy", "deckhouse").splitlines()[1].split()
    assert deploy[:4] == ["deckhouse", "0/0", "0", "0"]
    assert kubectl_text(cluster, tmp_path, *ns, "get", "pods", "-o", "name") == ""
    assert (
        kubectl_text(cluster, tmp_path, *ns, "get", "rs", "-o", "jsonpath={.items[*].spec.replicas}") == "0"
    )
    written = cluster.log.written
    cluster.client.create(config, {"apiVersion": "deckhouse.io/v1alpha1", "kind": "ModuleConfig",
                                   "metadata": {"name": "foo"}, "spec": {"enabled": True}})  # fmt: skip
    cluster.control.advance("1h")
    assert "status" not in cluster.client.get(config, "foo")  # no controller ran
    assert cluster.log.written == written
    cluster.set_versions(deckhouse="v1.68.0")  # the simulator's own upgrade keeps it at zero
    deploy = kubectl_text(cluster, tmp_path, *ns, "get", "deploy", "deckhouse").splitlines()[1].split()
    assert deploy[1] == "0/0"

    kubectl_text(cluster, tmp_path, *ns, "scale", "deploy/deckhouse", "--replicas=1")
    cluster.settle()
    pods = kubectl_text(cluster, tmp_path, *ns, "get", "pods").splitlines()
    assert pods[1].split()[:3] == [cluster.pod_name, "1/1", "Running"] and cluster.pod_name != first
    assert cluster.client.get(config, "foo")["status"]["message"] == "Ignored: unknown module name"
    log = kubectl_text(cluster, tmp_path, *ns, "logs", "deploy/deckhouse")
    assert "module not found" in log  # the new pod's log, from its start
    status = _exec(cluster, tmp_path, *ns, "rollout", "status", "deploy/deckhouse", "--timeout=20s")
    assert status.returncode == 0 and "successfully rolled out" in status.stdout, status.stderr


def test_a_deleted_deckhouse_deployment_stops_deckhouse_until_it_is_created_again(cluster, tmp_path):
    """`kubectl delete deploy deckhouse`: the garbage collector takes the ReplicaSet and the pod,
    and no Deckhouse runs; the saved manifest applied again starts a fresh one in a new pod."""
    ns, config = ["-n", "d8-system"], cluster.client.resolve("deckhouse.io/v1alpha1", "ModuleConfig")
    saved = yaml.safe_load(kubectl_text(cluster, tmp_path, *ns, "get", "deploy", "deckhouse", "-o", "yaml"))
    assert kubectl_text(cluster, tmp_path, *ns, "get", "rs", "-o", "name").startswith(
        "replicaset.apps/deckhouse-"
    )
    kubectl_text(cluster, tmp_path, *ns, "delete", "deploy", "deckhouse")
    cluster.settle()
    assert kubectl_text(cluster, tmp_path, *ns, "get", "deploy,rs,pods", "-o", "name") == ""
    written = cluster.log.written
    cluster.client.create(config, {"apiVersion": "deckhouse.io/v1alpha1", "kind": "ModuleConfig",
                                   "metadata": {"name": "foo"}, "spec": {"enabled": True}})  # fmt: skip
    cluster.control.advance("1h")
    assert "status" not in cluster.client.get(config, "foo")  # no Deckhouse ran
    assert cluster.log.written == written

    meta = saved["metadata"]
    saved["metadata"] = {"name": meta["name"], "namespace": meta["namespace"], "labels": meta["labels"]}
    saved.pop("status")
    manifest = tmp_path / "deckhouse.yaml"
    manifest.write_text(yaml.safe_dump(saved))
    kubectl_text(cluster, tmp_path, "apply", "-f", str(manifest))
    cluster.settle()
    pods = kubectl_text(cluster, tmp_path, *ns, "get", "pods").splitlines()
    assert pods[1].split()[:3] == [cluster.pod_name, "1/1", "Running"]
    owner = kubectl_text(
        cluster, tmp_path, *ns, "get", "rs", "-o", "jsonpath={.items[*].metadata.ownerReferences[0].uid}"
    )
    assert owner == kubectl_text(
        cluster, tmp_path, *ns, "get", "deploy", "deckhouse", "-o", "jsonpath={.metadata.uid}"
    )
    assert cluster.client.get(config, "foo")["status"]["message"] == "Ignored: unknown module name"
    assert "module not found" in kubectl_text(cluster, tmp_path, *ns, "logs", "deploy/deckhouse")
    status = _exec(cluster, tmp_path, *ns, "rollout", "status", "deploy/deckhouse", "--timeout=20s")
    assert status.returncode == 0 and "successfully rolled out" in status.stdout, status.stderr


def _pods_by_leader(cluster, tmp_path) -> tuple[str, list[str]]:
    """The leading pod and the others (sorted) of ``d8-system``, as ``kubectl -L leader`` shows them."""
    rows = kubectl_text(cluster, tmp_path, "-n", "d8-system", "get", "pods", "-L", "leader", "--no-headers")
    cells = [line.split() for line in rows.splitlines()]
    assert all(row[1:3] == ["1/1", "Running"] for row in cells), rows
    leaders = [row[0] for row in cells if row[-1] == "true"]
    assert len(leaders) == 1, rows
    return leaders[0], sorted(row[0] for row in cells if row[0] != leaders[0])


def test_several_replicas_run_one_leader_and_standbys_that_take_over(cluster, tmp_path):
    """Deckhouse's high-availability mode: `replicas: 3` runs three pods, one leading; a deleted
    standby is replaced without a restart, a deleted leader hands over to the oldest standby,
    whose Deckhouse starts afresh; scaled down, standbys go first."""
    ns, first = ["-n", "d8-system"], cluster.pod_name
    config = cluster.client.resolve("deckhouse.io/v1alpha1", "ModuleConfig")
    kubectl_text(cluster, tmp_path, *ns, "scale", "deploy/deckhouse", "--replicas=3")
    cluster.settle()
    assert (
        kubectl_text(cluster, tmp_path, *ns, "get", "deploy", "deckhouse").splitlines()[1].split()[1] == "3/3"
    )
    assert (
        kubectl_text(cluster, tmp_path, *ns, "get", "rs", "-o", "jsonpath={.items[*].status.readyReplicas}")
        == "3"
    )
    leader, standby = _pods_by_leader(cluster, tmp_path)
    assert leader == first and len(standby) == 2
    oldest = cluster.workload.standby[0]

    cluster.log.info("d8-module-source-controller", "logged by the first leader")
    kubectl_text(cluster, tmp_path, *ns, "delete", "pod", cluster.workload.standby[-1])
    cluster.settle()
    leader, after = _pods_by_leader(cluster, tmp_path)
    assert leader == first and len(after) == 2 and after != standby  # replaced, no new leader
    assert "logged by the first leader" in kubectl_text(cluster, tmp_path, *ns, "logs", first)
    enabled = _exec(cluster, tmp_path, *ns, "exec", oldest, "-c", "deckhouse", "--",
                    "deckhouse-controller", "module", "enable", "module-one")  # fmt: skip
    assert enabled.returncode == 0, enabled.stderr  # any replica runs deckhouse-controller

    kubectl_text(cluster, tmp_path, *ns, "delete", "pod", first)
    cluster.settle()
    leader, after = _pods_by_leader(cluster, tmp_path)
    assert leader == oldest == cluster.pod_name and len(after) == 2 and first not in after
    assert "logged by the first leader" not in kubectl_text(cluster, tmp_path, *ns, "logs", leader)
    cluster.client.create(config, {"apiVersion": "deckhouse.io/v1alpha1", "kind": "ModuleConfig",
                                   "metadata": {"name": "foo"}, "spec": {"enabled": True}})  # fmt: skip
    cluster.settle()
    assert cluster.client.get(config, "foo")["status"]["message"] == "Ignored: unknown module name"
    assert "module not found" in kubectl_text(cluster, tmp_path, *ns, "logs", leader)  # the new leader works

    kubectl_text(cluster, tmp_path, *ns, "scale", "deploy/deckhouse", "--replicas=1")
    cluster.settle()
    assert _pods_by_leader(cluster, tmp_path) == (oldest, [])
    assert (
        kubectl_text(cluster, tmp_path, *ns, "get", "deploy", "deckhouse").splitlines()[1].split()[1] == "1/1"
    )


def test_a_rollout_of_several_replicas_replaces_every_pod_from_the_new_template(cluster, tmp_path):
    ns = ["-n", "d8-system"]
    kubectl_text(cluster, tmp_path, *ns, "scale", "deploy/deckhouse", "--replicas=2")
    cluster.settle()
    before = set(kubectl_text(cluster, tmp_path, *ns, "get", "pods", "-o", "name").split())
    kubectl_text(cluster, tmp_path, *ns, "rollout", "restart", "deploy/deckhouse")
    cluster.settle()
    leader, standby = _pods_by_leader(cluster, tmp_path)
    assert len(standby) == 1 and not before & {f"pod/{leader}", f"pod/{standby[0]}"}
    assert leader.rsplit("-", 1)[0] == standby[0].rsplit("-", 1)[0]  # one new ReplicaSet
    sets = kubectl_text(
        cluster, tmp_path, *ns, "get", "rs", "-o", "jsonpath={.items[*].spec.replicas}"
    ).split()
    assert sorted(sets) == ["0", "2"]
    status = _exec(cluster, tmp_path, *ns, "rollout", "status", "deploy/deckhouse", "--timeout=20s")
    assert status.returncode == 0 and "successfully rolled out" in status.stdout, status.stderr
    kubectl_text(cluster, tmp_path, *ns, "scale", "deploy/deckhouse", "--replicas=0")
    cluster.settle()
    assert kubectl_text(cluster, tmp_path, *ns, "get", "pods", "-o", "name") == ""
    kubectl_text(cluster, tmp_path, *ns, "scale", "deploy/deckhouse", "--replicas=2")
    cluster.settle()
    assert len(_pods_by_leader(cluster, tmp_path)[1]) == 1


def test_the_deckhouse_pod_runs_its_deployments_template_as_upstream_renders_it(cluster, tmp_path):
    """The pod is made from its ReplicaSet's template (upstream's deployment.yaml: masters,
    every taint tolerated, critical priority, the deckhouse service account, Recreate)."""
    ns = ["-n", "d8-system"]
    deployment = json.loads(kubectl_text(cluster, tmp_path, *ns, "get", "deploy", "deckhouse", "-o", "json"))
    assert deployment["spec"]["strategy"] == {"type": "Recreate"}
    assert deployment["spec"]["revisionHistoryLimit"] == 2
    pod = json.loads(kubectl_text(cluster, tmp_path, *ns, "get", "pod", cluster.pod_name, "-o", "json"))[
        "spec"
    ]
    template = deployment["spec"]["template"]["spec"]
    assert pod["containers"] == template["containers"] and pod["tolerations"] == [{"operator": "Exists"}]
    assert (pod["serviceAccountName"], pod["priority"]) == ("deckhouse", 2000000000)
    assert pod["nodeName"] == "dkp-master-0" and pod["nodeSelector"] == template["nodeSelector"]
    described = kubectl_text(cluster, tmp_path, *ns, "describe", "pod", cluster.pod_name)
    lines = [line.split() for line in described.splitlines()]
    assert ["IP:", "10.111.0.10"] in lines and ["Node:", "dkp-master-0/10.128.0.10"] in lines
    assert lines[lines.index(["IPs:"]) + 1] == ["IP:", "10.111.0.10"]  # the pod's IP list, not <none>


def test_the_scale_subresource_reads_and_writes_the_deployments_replicas_as_kube_apiserver(cluster):
    from kubernetes import client, config
    from kubernetes.client.rest import ApiException

    cfg = client.Configuration()
    config.load_kube_config(config_file=str(cluster.kubeconfig), client_configuration=cfg)
    with client.ApiClient(cfg) as api:
        apps = client.AppsV1Api(api)
        scale = apps.read_namespaced_deployment_scale("deckhouse", "d8-system")
        assert (scale.spec.replicas, scale.status.replicas, scale.status.selector) == (1, 1, "app=deckhouse")
        with pytest.raises(ApiException) as refused:
            apps.patch_namespaced_deployment_scale("deckhouse", "d8-system", {"spec": {"replicas": -1}})
        assert refused.value.status == 422
        assert '"Scale.autoscaling \\"deckhouse\\" is invalid: spec.replicas: Invalid value: -1: must be' in (
            refused.value.body
        )
        stale = client.V1Scale(
            metadata=client.V1ObjectMeta(name="deckhouse", namespace="d8-system", resource_version="1"),
            spec=client.V1ScaleSpec(replicas=0),
        )
        with pytest.raises(ApiException) as conflict:
            apps.replace_namespaced_deployment_scale("deckhouse", "d8-system", stale)
        assert conflict.value.status == 409
        stale.metadata.resource_version = None
        done = apps.replace_namespaced_deployment_scale("deckhouse", "d8-system", stale)
        assert done.spec.replicas in (None, 0)  # zero is left out of the Scale, as Go's omitempty does
        cluster.settle()
        deployment = apps.read_namespaced_deployment("deckhouse", "d8-system")
        assert deployment.spec.replicas == 0 and deployment.metadata.generation == 2
        assert not cluster.workload.running
        resources = {r.name: r for r in client.AppsV1Api(api).get_api_resources().resources}
        assert (resources["deployments/scale"].group, resources["deployments/scale"].kind) == (
            "autoscaling",
            "Scale",
        )


def test_the_api_servers_service_has_its_endpoints_and_endpoint_slice(cluster, tmp_path):
    """kube-apiserver's endpoint reconciler keeps ``default/kubernetes``'s Endpoints and
    EndpointSlice (its address, port 6443); ``kubectl describe svc`` (1.32 reads the Endpoints)
    shows them. There used to be none, and ``get endpointslices`` was an unknown resource type."""
    endpoints = kubectl_text(cluster, tmp_path, "get", "endpoints").splitlines()
    assert [line.split()[:2] for line in endpoints] == [
        ["NAME", "ENDPOINTS"],
        ["kubernetes", "10.128.0.10:6443"],
    ]
    slices = kubectl_text(cluster, tmp_path, "get", "endpointslices", "-A").splitlines()
    assert slices[0].split() == ["NAMESPACE", "NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]
    assert slices[1].split()[:5] == ["default", "kubernetes", "IPv4", "6443", "10.128.0.10"]
    described = kubectl_text(cluster, tmp_path, "describe", "svc", "kubernetes")
    assert "Endpoints:                10.128.0.10:6443" in described, described
    sliced = kubectl_text(cluster, tmp_path, "get", "endpointslice", "kubernetes", "-o", "json")
    labels = json.loads(sliced)["metadata"]["labels"]
    assert labels == {"kubernetes.io/service-name": "kubernetes"}
