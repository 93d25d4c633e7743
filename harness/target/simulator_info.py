"""What the report says of a simulator run, known without starting (or importing) a cluster.

The xdist controller names the run target in its report but runs no scenario; importing the
simulator for that (the API server, the controllers, the registry client: ~0.4 s) delayed the
start of every worker.
"""

from __future__ import annotations

from harness import eras
from harness.dkp.runtime.settings import cluster_settings

__all__ = ["describe_simulator"]


def describe_simulator(deckhouse_version: str | None = None, edition: str | None = None) -> dict[str, str]:
    """The run target of a simulator run (each scenario has its own cluster with these defaults)."""
    settings = cluster_settings(deckhouse_version, edition)
    described = {
        "kind": "simulator",
        "server": "in-process simulated cluster (one per scenario)",
        "kubernetes_version": _kube_version(settings.kubernetes_version),
        "deckhouse_version": settings.deckhouse_version,
        "edition": settings.edition,
        "time_mode": "virtual",
    }
    if eras.parse_version(settings.deckhouse_version) > eras.LATEST:
        # A version newer than the era table: the rules are the newest known, and the report
        # must not claim that a release the simulator has never read was checked.
        described["behaviour_of"] = (
            f"{eras.LATEST} (the newest Deckhouse version whose behaviour the simulator knows)"
        )
    return described


def _kube_version(version: str) -> str:
    return version if version.startswith("v") else f"v{version}"
