"""How the source controller turns a release-channel version into ModuleRelease objects (§5.2).

DKP's "release fetcher" compares the version a channel points at with the releases of the module
already in the cluster (any source) and creates what is missing. Before Deckhouse v1.76 (variant
A): only the target when the jump is an updating sequence, otherwise one release per intermediate
minor read from the registry; from v1.76 (variant B, ``Behaviour.STEP_BY_STEP_ALWAYS``): always the
highest patch of every minor from the start up to the target, read from the registry. The plan is
``harness.dkp.rules.stepbystep``; the objects are built here; the registry reads go through the
:class:`RegistryReader` the caller hands over.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from harness import eras
from harness.api import annotations as ann
from harness.api import kinds
from harness.api import labels as lbl
from harness.api.phases import ReleasePhase
from harness.dkp.images.reader import RegistryReader
from harness.dkp.rules import messages, stepbystep
from harness.dkp.rules.versions import InvalidVersionError, Version, parse_version
from harness.kube.client import KubeClient
from harness.kube.errors import NotFound
from harness.kube.fast_yaml import SAFE_LOADER
from harness.kube.objects import Obj, deep_get

__all__ = [
    "DEFAULT_WEIGHT",
    "ReleaseMeta",
    "chain_to_target_complete",
    "ensure_releases",
    "existing_release",
    "read_release_meta",
    "release_checksum",
    "release_name",
]

DEFAULT_WEIGHT = 900  # §1: module.yaml absent or without a weight


@dataclass(frozen=True)
class ReleaseMeta:
    """What a release image says: version (``v``-prefixed), its digest and the module definition."""

    version: str
    checksum: str
    changelog: Mapping[str, Any] = field(default_factory=dict)
    definition: Mapping[str, Any] = field(default_factory=dict)


class MetadataError(Exception):
    """A release image without a usable ``version.json``."""


def release_name(module: str, version: str) -> str:
    """``<module>-v<version>`` (§5.1); ``version`` may carry the ``v`` or not."""
    return f"{module}-v{version.removeprefix('v')}"


def release_checksum(digest: str) -> str:
    """The ``release-checksum`` label: md5 hex of the digest string (labels cap at 63 chars)."""
    return hashlib.md5(digest.encode(), usedforsecurity=False).hexdigest()


def read_release_meta(reader: RegistryReader, module: str, tag: str) -> ReleaseMeta:
    """Read ``R/<module>/release:<tag>`` (§1); raises ``RegistryError`` or :class:`MetadataError`."""
    image = reader.read_image(f"{module}/release", tag)
    files: Mapping[str, bytes] = image.files
    try:
        raw = json.loads(files.get("version.json", b"{}") or b"{}").get("version")
    except ValueError as exc:
        raise MetadataError(f"fetch release metadata error: json decode: {exc}") from exc
    if not raw:
        raise MetadataError(messages.module_metadata_malformed(module))
    try:
        version = parse_version(str(raw))
    except InvalidVersionError as exc:
        raise MetadataError(f"fetch release metadata error: {exc}") from exc
    return ReleaseMeta(
        version=f"v{version}",
        checksum=image.digest,
        changelog=yaml_map(files.get("changelog.yaml") or files.get("changelog.yml")),
        definition=yaml_map(files.get("module.yaml")),
    )


def yaml_map(data: bytes | None) -> dict[str, Any]:
    """An unparsable or non-map document becomes ``{}``, as DKP does with changelogs."""
    if not data:
        return {}
    try:
        loaded = yaml.load(data, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


@dataclass
class ReleaseContext:
    """Everything release creation needs besides the target metadata."""

    kube: KubeClient
    reader: RegistryReader
    source: Obj
    module: str
    policy_name: str
    channel: str
    behaviours: frozenset[eras.Behaviour] = frozenset()


def ensure_releases(ctx: ReleaseContext, target: ReleaseMeta) -> None:
    """Create the releases leading to ``target`` (§5.2, planned by ``stepbystep`` for the era).

    Raises ``ValueError`` (pre-release target, no usable tags, a broken sequence — reported after
    every release was created, as DKP does) or ``RegistryError``.
    """
    existing = [existing_release(r) for r in _module_releases(ctx)]
    spans = _spans(target.definition)
    plan_args: dict[str, Any] = {
        "target": target.version,
        "existing": existing,
        "channel": ctx.channel,
        "target_update_versions": spans,
        "behaviours": ctx.behaviours,
    }
    try:
        plan = stepbystep.plan_releases(**plan_args)
    except stepbystep.StepByStepError:
        # Only the step-by-step path reads the module's tags; list them once it is needed.
        plan_args["tags"] = ctx.reader.list_tags(ctx.module)
        plan = stepbystep.plan_releases(**plan_args)
    wanted = parse_version(target.version)
    own_spans: dict[Version, list[tuple[str, str]]] = {}
    for planned in plan.releases:
        meta = (
            target
            if planned.version == wanted
            else read_release_meta(ctx.reader, ctx.module, f"v{planned.version}")
        )
        _ensure_release(ctx, meta, planned.reason)
        if found := _spans(meta.definition):
            own_spans[planned.version] = found
    if own_spans:
        # DKP judges a gap before a release by that release's own from-to rules, read only once
        # its image is downloaded: the same plan, with them, says which gaps are errors.
        plan = stepbystep.plan_releases(**plan_args, update_versions_by_version=own_spans)
    if plan.error:
        raise ValueError(plan.error)


def chain_to_target_complete(
    kube: KubeClient, module: str, target: str, behaviours: frozenset[eras.Behaviour]
) -> bool:
    """Whether the module's releases lead to ``target`` without a gap; read from v1.77 and v1.76.8 only.

    ``Behaviour.RELEASE_CHAIN_REFETCH`` (upstream ``releaseChainToTargetComplete``): the source
    fetches again when this is False although the target release exists. Before those nothing
    reads it, so nothing is listed. A release whose ``spec.version`` does not parse makes
    upstream report an error and skip the module; here the chain then counts as complete (no
    fetch), which skips the module the same way without the status error.
    """
    if eras.Behaviour.RELEASE_CHAIN_REFETCH not in behaviours:
        return True
    releases = kube.list(kinds.MODULE_RELEASE, label_selector=f"{lbl.MODULE}={module}")
    try:
        return stepbystep.release_chain_complete(target, [existing_release(r) for r in releases])
    except InvalidVersionError:
        return True


def existing_release(release: Obj) -> stepbystep.ExistingRelease:
    """What the fetcher reads of a ModuleRelease: version, phase and its own from-to rules."""
    return stepbystep.ExistingRelease(
        _version_of(release),
        str(deep_get(release, "status.phase", "") or ""),
        tuple(_spans(release.get("spec") or {})),
    )


def _spans(definition: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``update.versions`` of a module definition or of a release spec, as (from, to) pairs."""
    update = definition.get("update")
    versions = update.get("versions") if isinstance(update, dict) else None
    return [(str(v.get("from", "")), str(v.get("to", ""))) for v in versions or [] if isinstance(v, dict)]


def _module_releases(ctx: ReleaseContext) -> list[Obj]:
    return ctx.kube.list(kinds.MODULE_RELEASE, label_selector=f"{lbl.MODULE}={ctx.module}")


def _version_of(release: Obj) -> Version:
    return parse_version(str(release.get("spec", {}).get("version", "0.0.0")))


def _ensure_release(ctx: ReleaseContext, meta: ReleaseMeta, cause: str) -> None:
    """Create the release, or rewrite it while it is still Pending (§5.2 last bullets)."""
    name = release_name(ctx.module, meta.version)
    try:
        existing = ctx.kube.get(kinds.MODULE_RELEASE, name)
    except NotFound:
        ctx.kube.create(kinds.MODULE_RELEASE, _new_release(ctx, meta, name, cause))
        return
    if existing.get("status", {}).get("phase") != ReleasePhase.PENDING:
        return
    existing["metadata"].setdefault("annotations", {})[ann.CHANGE_CAUSE] = messages.change_cause(cause)
    existing["spec"] = _release_spec(ctx.module, meta, with_requirements=False)
    ctx.kube.update(kinds.MODULE_RELEASE, existing)


def _new_release(ctx: ReleaseContext, meta: ReleaseMeta, name: str, cause: str) -> Obj:
    annotations = {ann.CHANGE_CAUSE: messages.change_cause(cause)}
    if not _module_releases(ctx):
        annotations[ann.APPLY_NOW] = "true"  # the very first release installs at once (§5.1)
    source_meta = ctx.source["metadata"]
    return {
        "apiVersion": kinds.MODULE_RELEASE.api_version,
        "kind": kinds.MODULE_RELEASE.kind,
        "metadata": {
            "name": name,
            "labels": {
                lbl.MODULE: ctx.module,
                lbl.SOURCE: source_meta["name"],
                lbl.RELEASE_CHECKSUM: release_checksum(meta.checksum),
                lbl.UPDATE_POLICY: ctx.policy_name,
            },
            "annotations": annotations,
            "ownerReferences": [
                {
                    "apiVersion": kinds.MODULE_SOURCE.api_version,
                    "kind": kinds.MODULE_SOURCE.kind,
                    "name": source_meta["name"],
                    "uid": source_meta.get("uid", ""),
                    "controller": True,
                }
            ],
        },
        "spec": _release_spec(ctx.module, meta),
    }


def _release_spec(module: str, meta: ReleaseMeta, *, with_requirements: bool = True) -> dict[str, Any]:
    """The spec the fetcher writes, on create and when it rewrites a Pending release.

    Upstream's ``ModuleReleaseSpec.Changelog`` is a map marked ``omitempty``, so an image without
    a changelog leaves the field out (a rewrite drops the old one: golden
    ``source/testdata/golden/module-lts-channel-direct-update.yaml`` at 74c983e1). A rewrite
    (``with_requirements=False``) sets no ``requirements``: upstream's ``ensureModuleRelease``
    (``source/module_release_fetcher.go``, 0784c31a to 815065f0) copies them from the image on
    create only, so a rewritten Pending release loses them (golden
    ``frozen-chain-missing-intermediates.yaml`` at 3c86f42c, ``console-v1.55.1``)."""
    definition = meta.definition
    spec: dict[str, Any] = {
        "moduleName": module,
        "version": str(parse_version(meta.version)),
        "weight": int(definition.get("weight") or DEFAULT_WEIGHT),
    }
    if meta.changelog:
        spec["changelog"] = dict(meta.changelog)
    requirements = definition.get("requirements")
    if with_requirements and isinstance(requirements, dict) and requirements:
        spec["requirements"] = dict(requirements)
    versions = (
        (definition.get("update") or {}).get("versions")
        if isinstance(definition.get("update"), dict)
        else None
    )
    if versions:
        spec["update"] = {"versions": [dict(v) for v in versions]}
    return spec
