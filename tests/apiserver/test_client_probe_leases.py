"""Leases (``coordination.k8s.io/v1``) as kube-apiserver 1.32 serves them, met through the
``kubernetes`` client's leader election lock, plain HTTP and kubectl.

Leader election reads the Lease, then replaces it with the resourceVersion it read: a create, a
get and an update with that version must work, a stale version must be a 409, and a PUT without
one a 422 (the Lease strategy allows no unconditional update). A PUT to a missing Lease creates
it. MicroTimes are parsed as Go parses them (six fraction digits and a zone), stored in UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import yaml

from harness.apiserver import ApiServer
from harness.clock import VirtualClock

from .test_kubectl import cluster  # noqa: F401 - the kubectl fixture

LEASES = "/apis/coordination.k8s.io/v1/namespaces/default/leases"
TABLE = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}


def lease(name: str = "lock", **spec: object) -> dict[str, object]:
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": name, "namespace": "default"},
        "spec": spec,
    }


@pytest.fixture
def coordination(tmp_path) -> Iterator[object]:
    """The Python client's default configuration aimed at a served fake (``LeaseLock`` makes its
    own ``CoordinationV1Api()`` from the default), put back afterwards."""
    from kubernetes import client, config

    server = ApiServer(VirtualClock())
    server.start(tls=True)
    cfg = client.Configuration()
    config.load_kube_config(
        config_file=str(server.write_kubeconfig(tmp_path / "kc")), client_configuration=cfg
    )
    before = client.Configuration.get_default_copy()
    client.Configuration.set_default(cfg)
    try:
        yield client.CoordinationV1Api()
    finally:
        client.Configuration.set_default(before)
        server.stop()


def _record(identity: str, renewed: str):
    from kubernetes.leaderelection.leaderelectionrecord import LeaderElectionRecord

    return LeaderElectionRecord(identity, "15", "2024-12-16 09:00:00.250000+00:00", renewed)


def test_the_python_leader_election_lock_creates_reads_and_renews_its_lease(coordination):
    from kubernetes.leaderelection.resourcelock.leaselock import LeaseLock

    lock = LeaseLock("my-controller", "default", "pod-a")
    assert lock.create("my-controller", "default", _record("pod-a", "2024-12-16 09:00:00.250000+00:00"))
    found, record = lock.get("my-controller", "default")
    assert found and record.holder_identity == "pod-a"
    first = lock.lease_reference.metadata.resource_version
    assert lock.update("my-controller", "default", _record("pod-a", "2024-12-16 09:00:10.500000+00:00"))
    stored = coordination.read_namespaced_lease("my-controller", "default")
    assert int(stored.metadata.resource_version) > int(first)
    assert stored.spec.renew_time == datetime(2024, 12, 16, 9, 0, 10, 500000, tzinfo=UTC)
    assert stored.spec.lease_duration_seconds == 15


def test_a_renewal_from_a_stale_read_is_a_conflict(coordination):
    from kubernetes.client.exceptions import ApiException
    from kubernetes.leaderelection.resourcelock.leaselock import LeaseLock

    leader, rival = LeaseLock("l", "default", "a"), LeaseLock("l", "default", "b")
    assert leader.create("l", "default", _record("a", "2024-12-16 09:00:00.250000+00:00"))
    assert rival.get("l", "default")[0]
    assert leader.update("l", "default", _record("a", "2024-12-16 09:00:10.250000+00:00"))
    assert not rival.update("l", "default", _record("b", "2024-12-16 09:00:11.250000+00:00"))
    with pytest.raises(ApiException) as caught:
        coordination.replace_namespaced_lease("l", "default", rival.lease_reference)
    assert caught.value.status == 409
    assert coordination.read_namespaced_lease("l", "default").spec.holder_identity == "a"


def test_a_microtime_without_its_fraction_is_refused_as_go_parses_it(http):
    answer = http.post(LEASES, json=lease(renewTime="2024-12-16T09:00:00Z"))
    assert answer.status_code == 400
    assert answer.json()["message"] == (
        'Lease in version "v1" cannot be handled as a Lease: parsing time "2024-12-16T09:00:00Z" as '
        '"2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"'
    )
    made = http.post(LEASES, json=lease(acquireTime="2024-12-16T12:00:00.250000+03:00"))
    assert made.status_code == 201
    assert made.json()["spec"]["acquireTime"] == "2024-12-16T09:00:00.250000Z"


def test_lease_validation_names_the_fields(http):
    answer = http.post(LEASES, json=lease(leaseDurationSeconds=0, leaseTransitions=-1))
    assert answer.status_code == 422
    body = answer.json()
    assert body["message"] == (
        'Lease.coordination.k8s.io "lock" is invalid: [spec.leaseDurationSeconds: Invalid value: 0: must '
        "be greater than 0, spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0]"
    )
    assert [c["field"] for c in body["details"]["causes"]] == [
        "spec.leaseDurationSeconds",
        "spec.leaseTransitions",
    ]


def test_a_put_creates_a_missing_lease_and_needs_a_resource_version_to_update(http):
    created = http.put(
        f"{LEASES}/lock",
        json={**lease(holderIdentity="a"), "metadata": {"name": "lock", "resourceVersion": "7"}},
    )
    assert created.status_code == 201, created.text
    again = http.put(f"{LEASES}/lock", json=lease(holderIdentity="b"))
    assert again.status_code == 422
    assert again.json()["message"] == (
        'leases.coordination.k8s.io "lock" is invalid: metadata.resourceVersion: Invalid value: 0x0: '
        "must be specified for an update"
    )
    gated = http.post(LEASES, json=lease("gated", strategy="OldestEmulationVersion", preferredHolder="x"))
    assert gated.json()["spec"] == {}  # the CoordinatedLeaderElection fields: gate off in 1.32


def test_leases_are_discovered_and_printed_with_their_holder(http):
    resources = http.get("/apis/coordination.k8s.io/v1").json()["resources"]
    assert [(r["name"], r["kind"], r["namespaced"]) for r in resources] == [("leases", "Lease", True)]
    assert http.post(LEASES, json=lease(holderIdentity="pod-a")).status_code == 201
    assert http.post(LEASES, json=lease("free")).status_code == 201
    table = http.get(LEASES, headers=TABLE).json()
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Holder", "Age"]
    assert [row["cells"][:2] for row in table["rows"]] == [["free", ""], ["lock", "pod-a"]]


def test_kubectl_applies_and_lists_leases(cluster, tmp_path):  # noqa: F811
    _server, kubectl = cluster
    manifest = tmp_path / "lease.yaml"
    manifest.write_text(yaml.safe_dump(lease(holderIdentity="me", leaseDurationSeconds=15)))
    assert "lease.coordination.k8s.io/lock created" in kubectl("apply", "-f", str(manifest)).stdout
    lines = kubectl("get", "leases").stdout.splitlines()
    assert lines[0].split() == ["NAME", "HOLDER", "AGE"]
    assert lines[1].split()[:2] == ["lock", "me"]
    refused = kubectl(
        "create", "-f", "-", stdin=yaml.safe_dump(lease("bad", leaseDurationSeconds=-5)), ok=False
    )
    assert "spec.leaseDurationSeconds: Invalid value: -5: must be greater than 0" in refused.stderr
