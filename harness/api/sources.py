"""Source names DKP gives a meaning to (docs/dkp-behaviour.md §7, docs/dkp-eras.md).

- ``Embedded``: ``Module.properties.source`` of a module built into Deckhouse; a sentinel, not a
  ModuleSource (from Deckhouse v1.76 a ModuleConfig may not name it);
- ``deckhouse``: the ModuleSource that wins among several offering a module; its modules'
  package repository is named ``deckhouse-modules`` (Deckhouse v1.76 and later).
"""

from __future__ import annotations

__all__ = ["DECKHOUSE", "DECKHOUSE_PACKAGE_REPOSITORY", "EMBEDDED"]

EMBEDDED = "Embedded"
DECKHOUSE = "deckhouse"
DECKHOUSE_PACKAGE_REPOSITORY = "deckhouse-modules"
