"""Settings of the simulated cluster that the real DKP reads from its environment.

The Deckhouse and Kubernetes versions feed the release requirements check (docs/dkp-behaviour.md §5.6),
the edition the module accessibility rules; the virtual durations shape the install simulation
(how long a module stays Downloading and Installing once its release is deployed).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from datetime import timedelta

from harness import eras

__all__ = ["FAST_TIME_ENV", "ClusterSettings", "cluster_settings", "fast_time_default", "resolve_settings"]

FAST_TIME_ENV = "DKP_HARNESS_FAST_TIME"


def fast_time_default() -> bool:
    """On unless ``DKP_HARNESS_FAST_TIME`` is ``0``/``false``/``off`` (the differential test's switch)."""
    return os.environ.get(FAST_TIME_ENV, "1").strip().lower() not in {"0", "false", "off", "no"}


@dataclass(frozen=True)
class ClusterSettings:
    deckhouse_version: str = "v1.67.0"
    kubernetes_version: str = "1.30.0"
    edition: str = "ee"
    behaviours: frozenset[eras.Behaviour] = frozenset()
    """The era-dependent rules this cluster follows (``eras.behaviours_for`` of its version).
    Empty is the page's era; every era-dependent rule gates on membership here, never on a
    version comparison (docs/dkp-eras.md)."""
    bundle: str = eras.DEFAULT_BUNDLE
    """The module bundle of the cluster (``accessibility.editions.*.enabledInBundles``)."""
    embedded_modules: frozenset[str] = frozenset()
    """Modules whose embedded copy this Deckhouse build still ships on its filesystem.

    Upstream's installer answers ``IsEmbeddedPresent`` from the disk; from v1.76 a release of such
    a module is only staged (it becomes Deployed, its source stays ``Embedded``) because the
    embedded copy wins the module search path (``deployModule`` in
    ``…/module-controllers/release/controller.go``). Empty: the build ships none of the modules a
    scenario installs from a source, so every deploy activates the module."""
    download_duration: timedelta = field(default=timedelta(seconds=5))
    """Virtual time from a deploy until the module leaves ``Downloading`` for ``Installing``."""
    install_duration: timedelta = field(default=timedelta(seconds=10))
    """Virtual time a module spends ``Installing`` before it is ``Ready`` (or ``Error``)."""
    scan_interval: timedelta = field(default=timedelta(minutes=3))
    """ModuleSource resync period (docs/dkp-behaviour.md §2: ``defaultScanInterval``)."""
    fast_time: bool = field(default_factory=fast_time_default)
    """The one switch for the fast-time shortcut: the manager replays idle periodic looks (a
    waiting release's 15 s checks, a quiet source's scans) instead of running them while nothing
    they read changes (``runtime.manager``). Off, every look runs, exactly as DKP polls; the
    differential test proves both give the same histories. Defaults to on;
    ``DKP_HARNESS_FAST_TIME=0`` in the environment turns it off."""


def resolve_settings(settings: ClusterSettings) -> ClusterSettings:
    """``settings`` with the Deckhouse version and edition checked and spelled canonically.

    ``latest`` becomes the newest version the simulator knows (the requirements check needs a
    real version); a version or edition the harness cannot read is a
    :class:`~harness.eras.VersionError` that lists the accepted forms.
    """
    version = eras.resolve_version(settings.deckhouse_version)
    edition = eras.parse_edition(settings.edition)
    return dataclasses.replace(settings, deckhouse_version=str(version), edition=edition)


def cluster_settings(deckhouse_version: str | None = None, edition: str | None = None) -> ClusterSettings:
    """The simulator's settings for a Deckhouse version and edition (None: the defaults), checked."""
    base = ClusterSettings()
    return resolve_settings(
        dataclasses.replace(
            base,
            deckhouse_version=deckhouse_version or base.deckhouse_version,
            edition=edition or base.edition,
        )
    )
