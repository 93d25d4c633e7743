"""A release that rewrites its message at every check is replayed, and leaves what polling leaves.

Under the ``deckhouse`` ModuleConfig's update policy DKP resolves the policy again at every 15 s
check of a waiting release and clears its message before setting it again: two writes a check
that leave the release as they found it (``Result.cycle``). The manager replays those writes
instead of running the check, and the source's scans, which read the releases, stay replayed
too. The same script runs with the fast-time shortcut off (every look runs) and on; every
committed change (type, resourceVersion, object with managedFields), the Deckhouse log and the
messages at each step must be identical, across midnight, where DKP's window search moves on.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from harness.api import kinds
from harness.api.annotations import REGISTRY_SPEC_CHECKSUM
from harness.apiserver.cow import thaw
from harness.dkp.runtime.settings import ClusterSettings
from harness.kube.client import WatchEvent
from harness.registry.backends.distribution import find_binary

pytestmark = [
    pytest.mark.registry,
    pytest.mark.skipif(find_binary() is None, reason="no registry binary: apt-get install docker-registry"),
]

_PORT = re.compile(r"127\.0\.0\.1:\d+")
WAITING = "Release is waiting for the update window until {} 13:30 UTC"
START = datetime(2024, 12, 16, 23, 0, tzinfo=UTC)  # Monday night, after Monday's window


def _run(fast_time: bool) -> tuple[list[tuple[str, str, Any]], list[str], list[str], int]:
    from harness.cluster import SimulatedCluster

    changes: list[tuple[str, str, Any]] = []
    messages: list[str] = []
    with SimulatedCluster(settings=ClusterSettings(fast_time=fast_time), start=START) as cluster:
        client = cluster.client
        deckhouse = client.get(kinds.MODULE_CONFIG, "deckhouse")
        windows = [{"days": ["Mon", "Tue"], "from": "13:30", "to": "14:00"}]
        deckhouse["spec"]["settings"] = {
            "releaseChannel": "Stable",
            "update": {"mode": "Auto", "windows": windows},
        }
        client.update(kinds.MODULE_CONFIG, deckhouse)
        cluster.publisher.publish("module-one", "v1.0.0", channels=["stable"])
        registry = {"repo": cluster.modules_repo, "scheme": "HTTP"}
        client.create(kinds.MODULE_SOURCE, _object(kinds.MODULE_SOURCE, "example", {"registry": registry}))
        client.create(kinds.MODULE_CONFIG, _object(kinds.MODULE_CONFIG, "module-one", {"enabled": True}))
        cluster.control.advance("1m")
        cluster.publisher.publish("module-one", "v1.0.1", channels=["stable"])

        def record(event: WatchEvent) -> None:
            obj = _portless(thaw(event.object))
            changes.append((event.type.value, obj["metadata"]["resourceVersion"], obj))

        unsubscribe = client.subscribe(record)
        try:
            for when in (
                "2024-12-16T23:05:00",
                "2024-12-16T23:59:59",
                "2024-12-17T00:00:15",
                "2024-12-17T01:00:00",
            ):
                cluster.control.set(datetime.fromisoformat(when).replace(tzinfo=UTC))
                release = client.get(kinds.MODULE_RELEASE, "module-one-v1.0.1")
                messages.append(f"{release['status']['phase']}|{release['status']['message']}")
        finally:
            unsubscribe()
        return changes, messages, _portless(cluster.log.lines()), cluster.manager.coalesced


def _portless(value: Any) -> Any:
    """Each cluster's registry has its own free port, and the source's checksum of
    ``spec.registry`` names it: both are the same in the two runs but for that."""
    if isinstance(value, dict):
        return {k: "<md5>" if k == REGISTRY_SPEC_CHECKSUM else _portless(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_portless(v) for v in value]
    return _PORT.sub("127.0.0.1:PORT", value) if isinstance(value, str) else value


def _object(resource: Any, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": resource.api_version,
        "kind": resource.kind,
        "metadata": {"name": name},
        "spec": spec,
    }


def test_a_release_rewriting_its_message_every_check_is_replayed_with_the_same_history():
    polled_changes, polled_messages, polled_log, _ = _run(fast_time=False)
    replayed_changes, replayed_messages, replayed_log, coalesced = _run(fast_time=True)

    tuesday, monday_next = WAITING.format("17 Dec 24"), WAITING.format("23 Dec 24")
    assert polled_messages == [f"Pending|{m}" for m in (tuesday, tuesday, monday_next, monday_next)]
    assert replayed_messages == polled_messages
    # Two writes per 15 s check for two hours: the history is long, and identical.
    release_writes = [c for c in polled_changes if c[2]["kind"] == "ModuleRelease"]
    assert len(release_writes) > 2 * 4 * 60 * 1.5
    assert replayed_changes == polled_changes
    assert replayed_log == polled_log
    assert coalesced > 4 * 60 * 1.5  # the checks (and the scans) were replayed, not run
