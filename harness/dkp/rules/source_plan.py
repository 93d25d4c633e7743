"""What the source controller's decisions read and write: the snapshot and the plan.

``harness.dkp.rules.source`` decides from a :class:`SourceSnapshot` (or a
:class:`DeletionSnapshot`) and returns a :class:`SyncPlan`, whose actions the controller
(``harness.dkp.controllers.source``) applies in order. Plain frozen data, no behaviour.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from harness.eras import Behaviour

# -- the snapshot ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceSettings:
    """The cluster settings the source decisions read."""

    scan_interval: timedelta = timedelta(minutes=3)
    behaviours: frozenset[Behaviour] = frozenset()
    edition: str = "ee"
    bundle: str = "Default"


@dataclass(frozen=True)
class ModuleState:
    """What the source decisions read of an existing Module."""

    name: str
    source: str = ""
    """``properties.source``."""
    available_sources: tuple[str, ...] = ()
    release_channel: str | None = None
    accessibility: Mapping[str, Any] | None = None
    phase: str = ""
    enabled_by_config: str | None = None
    """Status of ``EnabledByModuleConfig`` (None: absent)."""
    enabled_by_manager: str | None = None
    """Status of ``EnabledByModuleManager`` (None: absent)."""


@dataclass(frozen=True)
class ChannelImage:
    """What the release-channel image says (``R/<module>/release:<channel>``)."""

    version: str
    checksum: str
    accessibility: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class ListedModule:
    """One module of the listing, with everything its decision reads."""

    name: str
    policy_name: str
    """The update policy the Module resolves to (``""``: the embedded one)."""
    channel: str
    """Its release channel."""
    module: ModuleState | None = None
    """The Module object (None: none yet)."""
    overridden: bool = False
    """A ModulePullOverride exists for it."""
    image: ChannelImage | None = None
    fetch_error: str = ""
    """The registry's error reading the channel image (``""`` when read or not read)."""
    fetch_error_is_metadata: bool = False
    """The image was read but its ``version.json`` is unusable (shown without a prefix)."""
    release_exists: bool = False
    """A ModuleRelease of the module carries the channel digest's checksum label."""
    config_source: str = ""
    """``spec.source`` of its ModuleConfig (read for embedded modules)."""
    chain_complete: bool = True
    """Its releases lead from the deployed one to the channel's version without a gap."""


@dataclass(frozen=True)
class SourceSnapshot:
    """Everything one sync of a ModuleSource reads, gathered before it runs.

    The gatherer stops where the decision stops: no listing after an auth error or a checksum
    change, no modules after a listing error.
    """

    name: str
    now: datetime
    settings: SourceSettings = field(default_factory=SourceSettings)
    checksum: str = ""
    """md5 of ``spec.registry`` now, as DKP computes it (``rules.registry_checksum``)."""
    stored_checksum: str | None = None
    """The checksum annotation; None: the source has no annotation at all (never scanned), ``""``:
    other annotations but not this one (upstream then takes the registry as changed)."""
    status: Mapping[str, Any] = field(default_factory=dict)
    scan_interval: str = ""
    """``spec.scanInterval`` as stored (``""``: unset)."""
    auth_error: str | None = None
    deployed_releases: tuple[str, ...] = ()
    """Deployed ModuleReleases of this source (read when the checksum changed)."""
    listing_error: str | None = None
    tags: tuple[str, ...] = ()
    modules: tuple[ListedModule, ...] = ()
    """The allowed names of the listing (:func:`scanned_names`), sorted."""
    gone: tuple[ModuleState | str, ...] = ()
    """Modules the previous scan listed and this one does not (a name alone: no Module)."""


# -- the plan -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Log:
    level: str
    msg: str
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PatchSource:
    """A merge patch of the ModuleSource: ``status`` through the status subresource, else the object."""

    patch: Mapping[str, Any]
    status: bool = True


@dataclass(frozen=True)
class MarkRegistryChanged:
    """Annotate the release ``registry-spec-changed`` with ``at``."""

    release: str
    at: str


@dataclass(frozen=True)
class CreateModule:
    name: str
    properties: Mapping[str, Any]


@dataclass(frozen=True)
class UpdateModule:
    """Set these ``properties`` keys of the Module."""

    name: str
    properties: Mapping[str, Any]


@dataclass(frozen=True)
class InitModuleStatus:
    """A Module without a phase: Available, EnabledByModuleManager False, IsReady False NotInstalled."""

    name: str


@dataclass(frozen=True)
class StartDownload:
    """§2.1 step 8: phase Downloading, IsReady False Downloading/downloading."""

    name: str


@dataclass(frozen=True)
class DeleteModule:
    name: str


@dataclass(frozen=True)
class EnsureReleases:
    """Create the releases leading to the channel image (registry I/O: done by the applier)."""

    module: str
    policy_name: str
    channel: str
    version: str
    entry: Mapping[str, Any] = field(default_factory=dict)
    """The module's status entry before the outcome; :func:`release_failed` builds on it."""


@dataclass(frozen=True)
class AddFinalizer:
    finalizer: str


@dataclass(frozen=True)
class SetFinalizers:
    finalizers: tuple[str, ...]


Action = (
    Log
    | PatchSource
    | MarkRegistryChanged
    | CreateModule
    | UpdateModule
    | InitModuleStatus
    | StartDownload
    | DeleteModule
    | EnsureReleases
    | AddFinalizer
    | SetFinalizers
)


@dataclass(frozen=True)
class SyncPlan:
    """Writes in order; then, for a scan, the status from ``entries`` and the finalizer.

    ``scan`` is False when the sync stopped before listing modules (its status is in ``actions``).
    """

    actions: tuple[Action, ...] = ()
    requeue_after: timedelta | None = None
    scan: bool = False
    entries: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class DeletionSnapshot:
    """A ModuleSource with a deletion timestamp, and what its deletion reads."""

    name: str
    phase: str = ""
    finalizers: tuple[str, ...] = ()
    force: bool = False
    """The ``force-delete`` annotation is ``"true"``."""
    has_deployed_releases: bool = False
    listed: tuple[ModuleState | str, ...] = ()
    """The Modules named in ``status.modules`` (a name alone: no Module)."""
