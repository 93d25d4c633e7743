"""Phases of DKP's module objects, as StrEnums (docs/dkp-behaviour.md §3.3, §5.9).

Members compare equal to their text, so a decision can test ``phase == ReleasePhase.PENDING``
against a raw ``status.phase`` and a status written with a member serializes as the plain text.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["OUTDATED_PHASES", "ConditionStatus", "ModulePhase", "ReleasePhase", "SourcePhase"]


class ReleasePhase(StrEnum):
    """``ModuleRelease.status.phase`` (deckhouse/deckhouse ``v1alpha1.ModuleReleasePhase*``)."""

    PENDING = "Pending"
    DEPLOYED = "Deployed"
    SUPERSEDED = "Superseded"
    SUSPENDED = "Suspended"
    SKIPPED = "Skipped"
    TERMINATING = "Terminating"

    @property
    def label(self) -> str:
        """The value of the release's ``status`` label for this phase (``deployed``, ...)."""
        return self.value.lower()


OUTDATED_PHASES = frozenset({ReleasePhase.SUPERSEDED, ReleasePhase.SUSPENDED, ReleasePhase.SKIPPED})
"""Phases of releases that will never deploy again; the controller keeps only a few of them."""


class ModulePhase(StrEnum):
    """``Module.status.phase`` (deckhouse/deckhouse ``v1alpha1.ModulePhase*``)."""

    AVAILABLE = "Available"
    UNAVAILABLE = "Unavailable"
    CONFLICT = "Conflict"
    DOWNLOADING = "Downloading"
    DOWNLOADING_ERROR = "DownloadingError"
    RECONCILING = "Reconciling"
    INSTALLING = "Installing"
    ERROR = "Error"
    READY = "Ready"


class SourcePhase(StrEnum):
    """``ModuleSource.status.phase``."""

    ACTIVE = "Active"
    TERMINATING = "Terminating"


class ConditionStatus(StrEnum):
    """A condition's ``status``."""

    TRUE = "True"
    FALSE = "False"
    UNKNOWN = "Unknown"
