"""Settings of the simulated cluster that the real DKP reads from its environment.

The Deckhouse and Kubernetes versions feed the release requirements check (dkp-behaviour §5.6),
the edition the module accessibility rules; the virtual durations shape the install simulation
(how long a module stays Downloading and Installing once its release is deployed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

__all__ = ["ClusterSettings"]


@dataclass(frozen=True)
class ClusterSettings:
    deckhouse_version: str = "v1.67.0"
    kubernetes_version: str = "1.30.0"
    edition: str = "ee"
    download_duration: timedelta = field(default=timedelta(seconds=5))
    """Virtual time from a deploy until the module leaves ``Downloading`` for ``Installing``."""
    install_duration: timedelta = field(default=timedelta(seconds=10))
    """Virtual time a module spends ``Installing`` before it is ``Ready`` (or ``Error``)."""
    scan_interval: timedelta = field(default=timedelta(minutes=3))
    """ModuleSource resync period (dkp-behaviour §2: ``defaultScanInterval``)."""
