"""The Leases a DKP cluster's components hold, seen with the real kubectl and the in-process client.

The leading Deckhouse replica holds ``d8-system/deckhouse-leader-election`` (35 s, renewed every
10 s, identity ``<pod>.<pod IP>.d8-system.pod.cluster.local``); the kubelet holds its node's
Lease in ``kube-node-lease`` (40 s, renewed every 10 s, owned by the Node). Renewals are written
when Leases are asked for, so time that passes unobserved writes nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from harness.api import kinds

from .conftest import NEEDS_KUBECTL, kubectl_missing, kubectl_text

pytestmark = [pytest.mark.registry, pytest.mark.kubectl]

if kubectl_missing():
    pytest.skip(NEEDS_KUBECTL, allow_module_level=True)
LEASE, NS, NAME = kinds.LEASE, kinds.DECKHOUSE_NAMESPACE, kinds.DECKHOUSE_LEADER_LEASE


def _identity(pod: str) -> str:
    return f"{pod}.10-111-0-10.d8-system.pod.cluster.local"


def test_kubectl_shows_the_leader_lease_and_the_node_lease(cluster, tmp_path):
    leases = kubectl_text(cluster, tmp_path, "get", "leases", "-A").splitlines()
    assert leases[0].split() == ["NAMESPACE", "NAME", "HOLDER", "AGE"]
    rows = [line.split()[:3] for line in leases[1:]]
    assert rows == [
        ["d8-system", NAME, _identity(cluster.pod_name)],
        ["kube-node-lease", "dkp-master-0", "dkp-master-0"],
    ]


def test_the_leader_lease_is_renewed_as_time_passes_and_only_when_read(cluster):
    client = cluster.client
    started = client.get(LEASE, NAME, namespace=NS)
    assert started["spec"]["leaseDurationSeconds"] == 35
    assert started["spec"]["acquireTime"] == started["spec"]["renewTime"]
    assert started["spec"]["leaseTransitions"] == 0
    events: list[str] = []
    unsubscribe = client.subscribe(lambda event: events.append(event.type.value), LEASE)
    cluster.control.advance(timedelta(hours=6, seconds=25))
    assert events == []  # 2,000 renewals due, none written while nobody looks
    renewed = client.get(LEASE, NAME, namespace=NS)
    assert events == ["MODIFIED", "MODIFIED"]  # the leader's and the node's, once each
    unsubscribe()
    assert int(renewed["metadata"]["resourceVersion"]) > int(started["metadata"]["resourceVersion"])
    start = started["spec"]["acquireTime"]
    assert renewed["spec"]["acquireTime"] == start
    assert renewed["spec"]["renewTime"][11:19] == _shift(start[11:19], 6 * 3600 + 20)  # 10 s steps
    node = client.get(LEASE, "dkp-master-0", namespace="kube-node-lease")
    assert node["spec"]["leaseDurationSeconds"] == 40 and "acquireTime" not in node["spec"]
    assert node["metadata"]["ownerReferences"][0]["kind"] == "Node"
    assert [m["manager"] for m in node["metadata"]["managedFields"]] == ["kubelet"]


def _shift(clock: str, seconds: int) -> str:
    h, m, s = (int(part) for part in clock.split(":"))
    total = (h * 3600 + m * 60 + s + seconds) % 86400
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def test_a_standby_that_takes_over_holds_the_lease(cluster, tmp_path):
    ns = ["-n", "d8-system"]
    first = cluster.pod_name
    assert cluster.client.get(LEASE, NAME, namespace=NS)["spec"]["holderIdentity"] == _identity(first)
    kubectl_text(cluster, tmp_path, *ns, "scale", "deploy/deckhouse", "--replicas=2")
    cluster.settle()
    standby = cluster.workload.standby[0]
    cluster.control.advance(timedelta(minutes=1))
    kubectl_text(cluster, tmp_path, *ns, "delete", "pod", first)
    cluster.settle()
    assert cluster.pod_name == standby
    lease = cluster.client.get(LEASE, NAME, namespace=NS)["spec"]
    assert lease["holderIdentity"] == _identity(standby)
    assert lease["leaseTransitions"] == 1
    assert lease["acquireTime"] == lease["renewTime"]
    holder = kubectl_text(
        cluster, tmp_path, *ns, "get", "lease", NAME, "-o", "jsonpath={.spec.holderIdentity}"
    )
    assert holder == _identity(standby)


def test_a_deckhouse_scaled_to_zero_stops_renewing(cluster, tmp_path):
    stopped = cluster.client.get(LEASE, NAME, namespace=NS)["spec"]["renewTime"]
    kubectl_text(cluster, tmp_path, "-n", "d8-system", "scale", "deploy/deckhouse", "--replicas=0")
    cluster.settle()
    cluster.control.advance(timedelta(minutes=5))
    assert cluster.client.get(LEASE, NAME, namespace=NS)["spec"]["renewTime"] == stopped
