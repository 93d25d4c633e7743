"""Conformance harness for how Deckhouse Kubernetes Platform (DKP) runs modules.

The package is layered (enforced by import-linter, see ``pyproject.toml``)::

    cli, steps  >  cluster  >  dkp  >  apiserver | registry  >  kube  >  clock

``report`` sits beside them and only sees results (``kube`` and ``clock``).
"""

from __future__ import annotations

import sys

__all__: list[str] = []

# httpx's package imports its command-line client (``httpx._main``) whenever click and rich are
# installed, and they are here (import-linter brings them): ~90 ms of imports in every process
# that talks to a registry, for a CLI the harness never runs. A ``None`` entry in ``sys.modules``
# makes that one import fail, and httpx then defines a stub ``main`` that only says how to install
# the CLI (httpx/__init__.py, the ``except ImportError`` branch). Nothing else in httpx uses it.
# A process that imported httpx's CLI before the harness keeps it.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
