"""Labels DKP's module controllers set and select by (docs/dkp-behaviour.md §5.1)."""

from __future__ import annotations

__all__ = ["MODULE", "RELEASE_CHECKSUM", "SOURCE", "STATUS", "UPDATE_POLICY"]

MODULE = "module"
SOURCE = "source"
RELEASE_CHECKSUM = "release-checksum"
UPDATE_POLICY = "modules.deckhouse.io/update-policy"
STATUS = "status"
"""The lower-cased phase of a ModuleRelease (``deployed``, ``superseded``, ...)."""
