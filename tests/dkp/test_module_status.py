"""Module status writes: only a change beyond condition probe times is written."""

from __future__ import annotations

from typing import Any

from harness.api import kinds
from harness.apiserver import ApiServer
from harness.clock import VirtualClock
from harness.dkp.controllers.module_status import update_status

CONDITION = {"type": "EnabledByModuleConfig", "status": "True", "lastProbeTime": "2024-01-01T00:00:00Z"}


def _module(api: ApiServer) -> dict[str, Any]:
    kube = api.client()
    kube.create(
        kinds.MODULE, {"apiVersion": "deckhouse.io/v1alpha1", "kind": "Module", "metadata": {"name": "m"}}
    )
    module = kube.get(kinds.MODULE, "m")
    return kube.update(
        kinds.MODULE,
        {**module, "status": {"phase": "Available", "conditions": [CONDITION]}},
        subresource="status",
    )


def test_a_new_probe_time_alone_is_not_written_any_other_change_is():
    api = ApiServer(VirtualClock())
    try:
        kube = api.client()
        module = _module(api)
        version = module["metadata"]["resourceVersion"]

        def probe_again(changed: dict[str, Any]) -> None:
            changed["status"]["conditions"][0]["lastProbeTime"] = "2024-01-02T00:00:00Z"

        assert update_status(kube, module, probe_again)["metadata"]["resourceVersion"] == version

        def flip(changed: dict[str, Any]) -> None:
            probe_again(changed)
            changed["status"]["conditions"][0]["status"] = "False"

        written = update_status(kube, module, flip)
        assert written["metadata"]["resourceVersion"] != version
        assert written["status"]["conditions"][0] == {
            **CONDITION,
            "status": "False",
            "lastProbeTime": "2024-01-02T00:00:00Z",
        }

        def new_phase(changed: dict[str, Any]) -> None:
            changed["status"]["phase"] = "Downloading"

        assert update_status(kube, written, new_phase)["status"]["phase"] == "Downloading"

        def drop_conditions(changed: dict[str, Any]) -> None:
            changed["status"]["conditions"] = []

        dropped = update_status(kube, kube.get(kinds.MODULE, "m"), drop_conditions)
        assert dropped["status"].get("conditions", []) == []
        assert dropped["metadata"]["resourceVersion"] != written["metadata"]["resourceVersion"]
    finally:
        api.stop()
