"""The source controller's decisions, as pure functions from a snapshot to a plan.

DKP's ``d8-module-source-controller`` (docs/dkp-behaviour.md §2, §2.1 to §2.3, §3.1) syncs a
ModuleSource in a fixed order:

1. the registry client cannot be built (bad ``dockerCfg``) → ``status.message`` "read auth
   config: …" and ``syncTime``, no requeue;
2. the ``spec.registry`` checksum annotation differs → store it (on a change of an existing one,
   mark the Deployed releases of the source ``registry-spec-changed``) and look again at once;
3. the repository cannot be listed → its error as ``status.message``, look again after the scan
   interval;
4. modules the previous scan listed and this one does not lose this source (§2.2);
5. per listed module, in name order: forbidden names are skipped; the Module is created or gets
   this source and the release channel (§3.1); an overridden module stops there; the channel image
   is read (an error is shown only for a module enabled from this source); when
   :func:`~harness.dkp.rules.source_ensure.need_to_ensure` says so, the Module moves to
   Downloading and the releases are ensured;
6. the status (phase Active, modules, count, message, ``syncTime``) and the ``module-exists``
   finalizer; look again after the scan interval.

:func:`decide_sync` is that order with no I/O: it gets a :class:`SourceSnapshot` and returns a
:class:`SyncPlan`. Ensuring releases (``harness.dkp.controllers.release_creation``) reads the
registry, so the plan only asks for it (:class:`EnsureReleases`); when it fails,
:func:`release_failed` says what the module's status entry becomes. :func:`decide_delete` is the
deletion (§2.3). The controller (``harness.dkp.controllers.source``) gathers the snapshot and
applies the plan; ``tests/dkp/rules/test_dkp_source_decision.py`` checks the order as a truth table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from harness.api import annotations as ann
from harness.api import finalizers as fin
from harness.api.phases import ConditionStatus, ModulePhase, SourcePhase
from harness.dkp.rules import messages
from harness.dkp.rules.source_ensure import EnsureFacts, need_to_ensure
from harness.dkp.rules.source_plan import (
    Action,
    AddFinalizer,
    ChannelImage,
    CreateModule,
    DeleteModule,
    DeletionSnapshot,
    EnsureReleases,
    InitModuleStatus,
    ListedModule,
    Log,
    MarkRegistryChanged,
    ModuleState,
    PatchSource,
    SetFinalizers,
    SourceSettings,
    SourceSnapshot,
    StartDownload,
    SyncPlan,
    UpdateModule,
)
from harness.eras import Behaviour
from harness.kube.timestamps import stamp

__all__ = [
    "LOGGER",
    "MAX_MODULES",
    "Action",
    "AddFinalizer",
    "ChannelImage",
    "CreateModule",
    "DeleteModule",
    "DeletionSnapshot",
    "EnsureReleases",
    "InitModuleStatus",
    "ListedModule",
    "Log",
    "MarkRegistryChanged",
    "ModuleState",
    "PatchSource",
    "SetFinalizers",
    "SourceSettings",
    "SourceSnapshot",
    "StartDownload",
    "SyncPlan",
    "UpdateModule",
    "decide_clean",
    "decide_delete",
    "decide_sync",
    "ensure_module",
    "error_key",
    "go_duration",
    "heartbeat_only",
    "is_allowed_module_name",
    "parse_duration",
    "release_failed",
    "scan_interval",
    "scan_status",
    "scanned_names",
]

LOGGER = "d8-module-source-controller"
MAX_MODULES = 1500  # maxModulesLimit (§1)
_RFC1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
DELETION_RETRY = timedelta(seconds=5)  # §2.3 step 2
_PULL_ERROR, _ERROR = "pullError", "error"


# -- small rules ----------------------------------------------------------------------------------


def is_allowed_module_name(name: str) -> bool:
    """§1: ``modules``, names over 64 chars and non RFC-1123 subdomains are skipped."""
    return name != "modules" and len(name) <= 64 and bool(_RFC1123_SUBDOMAIN.match(name))


def scanned_names(tags: Sequence[str]) -> list[str]:
    """The module names a scan processes: the first :data:`MAX_MODULES` tags, allowed ones, sorted."""
    return sorted(t for t in tags[:MAX_MODULES] if is_allowed_module_name(t))


def error_key(behaviours: frozenset[Behaviour]) -> str:
    """Where a module's error goes in ``status.modules[]``.

    Deckhouse v1.73 and later (``Behaviour.SOURCE_MODULE_ERROR_FIELD``): ``error``; before:
    ``pullError``. Upstream ``deckhouse-controller/pkg/apis/deckhouse.io/v1alpha1/module_source.go``
    (``AvailableModule``), PR #14953.
    """
    return _ERROR if Behaviour.SOURCE_MODULE_ERROR_FIELD in behaviours else _PULL_ERROR


_GO_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_GO_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def parse_duration(text: str) -> timedelta:
    """Go's ``time.ParseDuration`` for the units a ``scanInterval`` uses (``h``, ``m``, ``s``, ``ms``).

    Raises ``ValueError`` naming the text and the accepted form.
    """
    cleaned = text.strip()
    parts = _GO_DURATION_PART.findall(cleaned)
    if not cleaned or "".join(n + u for n, u in parts) != cleaned:
        raise ValueError(f"invalid duration {text!r}: use Go's form, e.g. 30s, 10m, 1h30m")
    return timedelta(seconds=sum(float(n) * _GO_UNITS[u] for n, u in parts))


def go_duration(value: timedelta) -> str:
    """A duration as Go prints it (``10m0s``, ``6h30m0s``, ``45s``, ``0s``), whole seconds."""
    total = int(value.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{seconds}s"
    if minutes:
        return f"{minutes}m{seconds}s"
    return f"{seconds}s"


def scan_interval(snap: SourceSnapshot) -> tuple[timedelta, tuple[Action, ...]]:
    """How long until the next scan, and the warning when ``spec.scanInterval`` is unusable.

    Deckhouse v1.75 and later (``Behaviour.SCAN_INTERVAL``): ``spec.scanInterval`` when set
    (upstream ``…/source/controller.go``, PR #17622); before, the field did not exist and every
    source was rescanned after the default (``defaultScanInterval``, 3 min).
    """
    default = snap.settings.scan_interval
    if Behaviour.SCAN_INTERVAL not in snap.settings.behaviours or not snap.scan_interval:
        return default, ()
    try:
        return parse_duration(snap.scan_interval), ()
    except ValueError:
        warn = Log("warning", "invalid scanInterval, using the default", {"source": snap.name})
        return default, (warn,)


def _normalised_interval(snap: SourceSnapshot) -> dict[str, Any]:
    """v1.75+ (``Behaviour.SCAN_INTERVAL``): the API returns the field as Go prints durations.

    Upstream the field is a ``metav1.Duration``, so the controller's first update of the object
    stores ``10m`` as ``10m0s`` (golden ``source/testdata/golden/embedded-module-chosen-source.yaml``).
    """
    if Behaviour.SCAN_INTERVAL not in snap.settings.behaviours or not snap.scan_interval:
        return {}
    try:
        text = go_duration(parse_duration(snap.scan_interval))
    except ValueError:
        return {}
    return {} if text == snap.scan_interval else {"spec": {"scanInterval": text}}


# -- sync -----------------------------------------------------------------------------------------


def decide_sync(snap: SourceSnapshot) -> SyncPlan:
    """A ModuleSource that exists and is not being deleted, in DKP's order (module docstring)."""
    sync_time = {"syncTime": stamp(snap.now)}
    if snap.auth_error is not None:  # 1
        return SyncPlan(
            (
                PatchSource(
                    {"status": {"message": messages.READ_AUTH_CONFIG_PREFIX + snap.auth_error, **sync_time}}
                ),
                Log(
                    "error",
                    "failed to build the registry client",
                    {"source": snap.name, "error": snap.auth_error},
                ),
            )
        )
    if snap.stored_checksum != snap.checksum:  # 2
        return SyncPlan(_store_checksum(snap), requeue_after=timedelta(0))
    interval, warnings = scan_interval(snap)
    normalised = _normalised_interval(snap)
    if normalised:  # a scanInterval changed later is stored the Go way too (v1.75+)
        warnings += (PatchSource(normalised, status=False),)
    if snap.listing_error is not None:  # 3
        error = Log(
            "error",
            "failed to list tags for the module source",
            {"source": snap.name, "error": snap.listing_error},
        )
        patch = PatchSource({"status": {"message": snap.listing_error, **sync_time}})
        return SyncPlan((*warnings, error, patch), requeue_after=interval)
    actions: list[Action] = list(warnings)
    for gone in snap.gone:  # 4
        actions += decide_clean(snap.name, gone)
    listed = set(snap.tags[:MAX_MODULES])
    entries: list[Mapping[str, Any]] = []
    by_name = {m.name: m for m in snap.modules}
    previous = _previous_entries(snap)
    for name in sorted(listed):  # 5
        if not is_allowed_module_name(name):
            actions.append(Log("warning", messages.SOURCE_FORBIDDEN_MODULE_NAME, {"name": name}))
            continue
        module = by_name.get(name)
        if module is None:
            raise ValueError(
                f"snapshot of source {snap.name!r} lists tag {name!r} but has no ListedModule for it"
            )
        more, entry = _decide_module(snap, module, previous.get(name, {}))
        actions += more
        entries.append(entry)
    return SyncPlan(tuple(actions), requeue_after=interval, scan=True, entries=tuple(entries))


def _store_checksum(snap: SourceSnapshot) -> tuple[Action, ...]:
    """§2 step 2; on the same first write, v1.75+ stores ``scanInterval`` normalised."""
    marks: tuple[Action, ...] = ()
    if snap.stored_checksum is not None:
        at = stamp(snap.now)
        marks = tuple(MarkRegistryChanged(r, at) for r in snap.deployed_releases)
    patch: dict[str, Any] = {"metadata": {"annotations": {ann.REGISTRY_SPEC_CHECKSUM: snap.checksum}}}
    patch.update(_normalised_interval(snap))
    return (*marks, PatchSource(patch, status=False))


def _previous_entries(snap: SourceSnapshot) -> dict[str, Mapping[str, Any]]:
    found = snap.status.get("modules") or []
    return {str(m.get("name")): m for m in found if isinstance(m, Mapping)}


def _decide_module(
    snap: SourceSnapshot, listed: ListedModule, previous: Mapping[str, Any]
) -> tuple[list[Action], dict[str, Any]]:
    """§2.1 for one module: its writes and its status entry."""
    entry: dict[str, Any] = {
        "name": listed.name,
        **{k: v for k, v in previous.items() if k in ("version", "checksum")},
    }
    if listed.policy_name:
        entry["policy"] = listed.policy_name
    actions, module = ensure_module(snap.name, listed.name, listed.module, listed.channel)
    if listed.overridden:
        entry["overridden"] = True
        return actions, entry
    image = listed.image
    if image is None:
        return actions + _fetch_error(snap, listed, module, entry), entry
    actions += _copy_accessibility(snap, module, image)
    facts = EnsureFacts(
        source=snap.name,
        module_source=module.source,
        available_sources=module.available_sources,
        enabled_by_config=module.enabled_by_config,
        entry_checksum=previous.get("checksum"),
        channel_checksum=image.checksum,
        release_exists=listed.release_exists,
        accessibility=image.accessibility,
        config_source=listed.config_source,
        chain_complete=listed.chain_complete,
        edition=snap.settings.edition,
        bundle=snap.settings.bundle,
    )
    verdict = need_to_ensure(facts, snap.settings.behaviours)
    if verdict.ensure:
        if verdict.set_source:
            actions.append(UpdateModule(listed.name, {"source": snap.name}))
        if module.phase in (ModulePhase.AVAILABLE, ModulePhase.CONFLICT):
            actions.append(StartDownload(listed.name))
        actions.append(
            EnsureReleases(listed.name, listed.policy_name, listed.channel, image.version, dict(entry))
        )
    entry["checksum"], entry["version"] = image.checksum, image.version
    return actions, entry


def _fetch_error(
    snap: SourceSnapshot, listed: ListedModule, module: ModuleState, entry: dict[str, Any]
) -> list[Action]:
    """§2.1 step 5: the error is shown only for modules enabled from this source."""
    actions: list[Action] = []
    if module.enabled_by_config == ConditionStatus.TRUE and module.source == snap.name:
        text = listed.fetch_error
        entry[error_key(snap.settings.behaviours)] = (
            text if listed.fetch_error_is_metadata else _fetch_image_prefix(snap.settings.behaviours) + text
        )
        actions.append(Log("warning", "failed to download module", {"name": listed.name}))
    entry["version"] = messages.SOURCE_MODULE_VERSION_UNKNOWN
    return actions


def _fetch_image_prefix(behaviours: frozenset[Behaviour]) -> str:
    """``fetch image error: `` (upstream ``downloader.go``), wrapped in ``get image info: `` from
    v1.73 (``Behaviour.IMAGE_INFO_ERROR_PREFIX``; golden ``module-pull-error``, docs/dkp-eras.md)."""
    if Behaviour.IMAGE_INFO_ERROR_PREFIX in behaviours:
        return messages.GET_IMAGE_INFO_PREFIX + messages.FETCH_IMAGE_ERROR_PREFIX
    return messages.FETCH_IMAGE_ERROR_PREFIX


def _copy_accessibility(snap: SourceSnapshot, module: ModuleState, image: ChannelImage) -> list[Action]:
    """v1.75+ (``Behaviour.ENABLED_BY_BUNDLE``): the channel image's ``accessibility`` is copied
    to ``Module.properties.accessibility`` (upstream ``…/source/controller.go``, docs/dkp-eras.md)."""
    if Behaviour.ENABLED_BY_BUNDLE not in snap.settings.behaviours or image.accessibility is None:
        return []
    if module.accessibility == image.accessibility:
        return []
    return [UpdateModule(module.name, {"accessibility": dict(image.accessibility)})]


def ensure_module(
    source: str, name: str, module: ModuleState | None, channel: str
) -> tuple[list[Action], ModuleState]:
    """§3.1: create the Module or add this source to it; set the release channel; init its status.

    Returns the writes and the Module as they leave it.
    """
    actions: list[Action] = []
    if module is None:
        props = {"availableSources": [source], "releaseChannel": channel}
        actions += [
            CreateModule(name, props),
            Log("info", "module created", {"name": name, "source": source}),
        ]
        module = ModuleState(name, available_sources=(source,), release_channel=channel)
    elif source not in module.available_sources or module.release_channel != channel:
        sources = module.available_sources
        sources = sources if source in sources else (*sources, source)
        actions.append(UpdateModule(name, {"availableSources": list(sources), "releaseChannel": channel}))
        module = replace(module, available_sources=sources, release_channel=channel)
    if not module.phase:
        actions.append(InitModuleStatus(name))
        module = replace(
            module, phase=ModulePhase.AVAILABLE.value, enabled_by_manager=ConditionStatus.FALSE.value
        )
    return actions, module


def decide_clean(source: str, gone: ModuleState | str) -> list[Action]:
    """§2.2 ``cleanSourceInModule``: drop this source from the Module; delete a Module nothing keeps.

    A Module offered by several sources loses this one; one offered by no source or by this one
    alone is deleted unless ``EnabledByModuleManager`` is True (then only this source goes).
    """
    if isinstance(gone, str):
        return []
    sources = list(gone.available_sources)
    if len(sources) > 1:
        if source in sources:
            return [UpdateModule(gone.name, {"availableSources": [s for s in sources if s != source]})]
        return []
    if sources and sources != [source]:
        return []
    if gone.enabled_by_manager != ConditionStatus.TRUE:
        return [
            DeleteModule(gone.name),
            Log("info", "module deleted: no source offers it", {"name": gone.name}),
        ]
    if sources:
        return [UpdateModule(gone.name, {"availableSources": []})]
    return []


def release_failed(
    entry: Mapping[str, Any], version: str, error: str, behaviours: frozenset[Behaviour]
) -> dict[str, Any]:
    """§2.1 step 8: ensuring the releases failed; the checksum goes so the next scan fetches again."""
    failed = {k: v for k, v in entry.items() if k != "checksum"}
    failed[error_key(behaviours)] = error
    failed["version"] = version
    return failed


def scan_status(
    entries: Sequence[Mapping[str, Any]], now: datetime, behaviours: frozenset[Behaviour]
) -> tuple[dict[str, Any], bool]:
    """The status a scan writes (§2 "Status written"; the list is replaced), and whether any
    module has an error (the message says so; v1.73+ reads ``error``, before ``pullError``). A
    ``None`` value is a field the write leaves out of the status it replaces."""
    key = error_key(behaviours)
    had_errors = any(bool(e.get(key)) for e in entries)
    status = {
        "phase": SourcePhase.ACTIVE.value,
        "modules": [dict(e) for e in entries],
        "modulesCount": len(entries),
        "message": messages.SOURCE_SOME_ERRORS if had_errors else "",
        "syncTime": stamp(now),
    }
    if not had_errors and Behaviour.STATUS_OMITEMPTY in behaviours:
        # ``omitempty`` from v1.78: the whole-status update drops an empty message (None: delete).
        status["message"] = None
    return status, had_errors


def heartbeat_only(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """Whether a status write changed nothing but ``syncTime`` (the scan found nothing new)."""
    return {k: v for k, v in before.items() if k != "syncTime"} == {
        k: v for k, v in after.items() if k != "syncTime"
    }


# -- deletion (§2.3) ------------------------------------------------------------------------------


def decide_delete(snap: DeletionSnapshot) -> SyncPlan:
    """§2.3: Terminating; keep ``release-exists`` while a release of the source is Deployed (unless
    forced), then take the source off its Modules and drop ``module-exists``."""
    actions: list[Action] = []
    if snap.phase != SourcePhase.TERMINATING:
        actions.append(PatchSource({"status": {"phase": SourcePhase.TERMINATING.value}}))
    finalizers = list(snap.finalizers)
    if fin.RELEASE_EXISTS in finalizers:
        if not snap.force and snap.has_deployed_releases:
            actions.append(PatchSource({"status": {"message": messages.SOURCE_HAS_DEPLOYED_RELEASES}}))
            return SyncPlan(tuple(actions), requeue_after=DELETION_RETRY)
        finalizers.remove(fin.RELEASE_EXISTS)
        actions.append(SetFinalizers(tuple(finalizers)))
    if fin.MODULE_EXISTS in finalizers:
        if not snap.force:
            for module in snap.listed:
                actions += decide_clean(snap.name, module)
        finalizers.remove(fin.MODULE_EXISTS)
        actions.append(SetFinalizers(tuple(finalizers)))
    return SyncPlan(tuple(actions))
