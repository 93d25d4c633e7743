"""A Deployment's conditions keep their times where they did not change (SetDeploymentCondition)."""

from __future__ import annotations

from harness.kube.workloads import carried_conditions, deployment_status


def test_an_unchanged_condition_keeps_its_times_and_a_new_reason_keeps_its_transition():
    first = deployment_status(1, "2024-12-16T09:00:00Z", new_replica_set="deckhouse-aaa")["conditions"]
    again = deployment_status(2, "2024-12-16T10:00:00Z", new_replica_set="deckhouse-aaa")["conditions"]
    kept = carried_conditions(again, first)
    assert [(c["lastUpdateTime"], c["lastTransitionTime"]) for c in kept] == [
        ("2024-12-16T09:00:00Z", "2024-12-16T09:00:00Z"),
        ("2024-12-16T09:00:00Z", "2024-12-16T09:00:00Z"),
    ]
    rolled = deployment_status(3, "2024-12-16T11:00:00Z", new_replica_set="deckhouse-bbb")["conditions"]
    available, progressing = carried_conditions(rolled, kept)
    assert available["lastUpdateTime"] == "2024-12-16T09:00:00Z"  # nothing changed for Available
    assert progressing["message"] == 'ReplicaSet "deckhouse-bbb" has successfully progressed.'
    assert (progressing["lastUpdateTime"], progressing["lastTransitionTime"]) == (
        "2024-12-16T11:00:00Z",
        "2024-12-16T09:00:00Z",
    )
    assert carried_conditions(rolled, []) == rolled
