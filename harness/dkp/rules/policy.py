"""The update policy that governs a module's releases, and how DKP picks it.

A policy is a ModuleUpdatePolicy (MUP) named by the module's ModuleConfig, or — when none is named
or the named one does not exist — the *embedded* policy DKP builds from the ``deckhouse``
ModuleConfig settings (docs/dkp-behaviour.md §6.4). The two MUP API versions default the mode differently
(§6.1: v1alpha1 ``AutoPatch``, v1alpha2 ``Auto``), so the object's ``apiVersion`` matters when a
field is absent. The release channel also names the registry tag the source controller reads
(§1: ``strcase.ToKebab``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness import eras
from harness.dkp.rules import windows as windows_mod

__all__ = [
    "DEFAULT_CHANNEL",
    "UpdateMode",
    "UpdatePolicy",
    "channel_tag",
    "embedded_default_mode",
    "embedded_policy",
    "policy_from_object",
    "resolve_for_module",
]

DEFAULT_CHANNEL = "Stable"
CHANNELS = ("Alpha", "Beta", "EarlyAccess", "Stable", "RockSolid", "Lts")
# The deckhouse ModuleConfig spells the long-term channel "LTS"; the MUP enum spells it "Lts".
_ACCEPTED_CHANNELS = (*CHANNELS, "LTS")


class UpdateMode(enum.StrEnum):
    AUTO = "Auto"
    AUTO_PATCH = "AutoPatch"
    MANUAL = "Manual"
    IGNORE = "Ignore"  # v1alpha1 only (deprecated); v1alpha2 has no such enum value


# §6.1: the CRD default of update.mode per served version.
_DEFAULT_MODE_BY_VERSION = {"v1alpha1": UpdateMode.AUTO_PATCH, "v1alpha2": UpdateMode.AUTO}
_MODES_BY_VERSION = {
    "v1alpha1": frozenset(UpdateMode),
    "v1alpha2": frozenset({UpdateMode.AUTO, UpdateMode.AUTO_PATCH, UpdateMode.MANUAL}),
}


@dataclass(frozen=True)
class UpdatePolicy:
    """What the release controller needs from a policy; ``name`` is ``""`` for the embedded one."""

    name: str
    mode: UpdateMode
    release_channel: str = DEFAULT_CHANNEL
    windows: tuple[windows_mod.UpdateWindow, ...] = ()


def policy_from_object(obj: Mapping[str, Any]) -> UpdatePolicy:
    """Read a ModuleUpdatePolicy object (v1alpha1 or v1alpha2), applying that version's defaults."""
    api_version = str(obj.get("apiVersion", "deckhouse.io/v1alpha2")).rpartition("/")[2]
    if api_version not in _DEFAULT_MODE_BY_VERSION:
        raise ValueError(
            f"ModuleUpdatePolicy apiVersion {obj.get('apiVersion')!r} is not served: "
            "use deckhouse.io/v1alpha2 (or the deprecated deckhouse.io/v1alpha1)"
        )
    name = str(obj.get("metadata", {}).get("name", ""))
    spec = obj.get("spec") or {}
    update = spec.get("update") or {}
    mode = _parse_mode(update.get("mode"), api_version, f"ModuleUpdatePolicy {name!r}")
    return UpdatePolicy(
        name=name,
        mode=mode,
        release_channel=_parse_channel(spec.get("releaseChannel"), f"ModuleUpdatePolicy {name!r}"),
        windows=windows_mod.parse_windows(update.get("windows")),
    )


def embedded_default_mode(behaviours: frozenset[eras.Behaviour]) -> UpdateMode:
    """The mode of the embedded policy when the ``deckhouse`` ModuleConfig sets none.

    DKP seeds its settings with a default and unmarshals the ModuleConfig over it, so an unset
    ``update.mode`` keeps the seed. The seed was ``Auto`` until Deckhouse v1.77, which aligned it
    with the documented ``AutoPatch`` (``Behaviour.EMBEDDED_POLICY_AUTO_PATCH``, PR #21903, in the
    v1.77.0 changelog as #21926): from then on a module's minor releases under the embedded policy
    wait for approval unless the cluster asks for ``Auto`` explicitly.
    """
    if eras.Behaviour.EMBEDDED_POLICY_AUTO_PATCH in behaviours:
        return UpdateMode.AUTO_PATCH
    return UpdateMode.AUTO


def embedded_policy(
    deckhouse_settings: Mapping[str, Any] | None, *, default_mode: UpdateMode = UpdateMode.AUTO
) -> UpdatePolicy:
    """§6.4: the policy from the ``deckhouse`` ModuleConfig ``spec.settings``.

    Unset fields give channel ``Stable`` and ``default_mode`` (:func:`embedded_default_mode`:
    ``Auto`` up to v1.76, ``AutoPatch`` from v1.77).
    """
    settings = deckhouse_settings or {}
    update = settings.get("update") or {}
    raw_mode = update.get("mode")
    if raw_mode in (None, ""):
        mode = default_mode
    else:
        mode = _parse_mode(raw_mode, "v1alpha2", "ModuleConfig 'deckhouse' settings.update")
    return UpdatePolicy(
        name="",
        mode=mode,
        release_channel=_parse_channel(settings.get("releaseChannel"), "ModuleConfig 'deckhouse' settings"),
        windows=windows_mod.parse_windows(update.get("windows")),
    )


def resolve_for_module(
    module_update_policy_name: str | None,
    policies_by_name: Mapping[str, Mapping[str, Any]],
    deckhouse_settings: Mapping[str, Any] | None,
    *,
    default_mode: UpdateMode = UpdateMode.AUTO,
) -> tuple[UpdatePolicy, str]:
    """§6.4: the named MUP when it exists, else the embedded policy; returns (policy, name or "")."""
    name = module_update_policy_name or ""
    if name and name in policies_by_name:
        policy = policy_from_object(policies_by_name[name])
        return policy, name
    # A missing named MUP falls back silently: the source controller writes no policy name then.
    return embedded_policy(deckhouse_settings, default_mode=default_mode), ""


def channel_tag(channel: str) -> str:
    """The registry tag of a release channel: ``EarlyAccess`` → ``early-access`` (strcase.ToKebab)."""
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+", channel)
    return "-".join(word.lower() for word in words)


def _parse_mode(raw: Any, api_version: str, where: str) -> UpdateMode:
    if raw in (None, ""):
        return _DEFAULT_MODE_BY_VERSION[api_version]
    allowed = _MODES_BY_VERSION[api_version]
    for mode in allowed:
        if raw == mode.value:
            return mode
    names = ", ".join(sorted(mode.value for mode in allowed))
    raise ValueError(f"{where}: update mode {raw!r} is not one of {names}")


def _parse_channel(raw: Any, where: str) -> str:
    if raw in (None, ""):
        return DEFAULT_CHANNEL
    if raw not in _ACCEPTED_CHANNELS:
        raise ValueError(f"{where}: releaseChannel {raw!r} is not one of {', '.join(CHANNELS)}")
    return str(raw)
