"""Conformance harness for how Deckhouse Kubernetes Platform (DKP) runs modules.

The package is layered (enforced by import-linter, see ``pyproject.toml``)::

    cli, steps  >  cluster  >  dkp  >  apiserver | registry  >  kube  >  clock

``report`` sits beside them and only sees results (``kube`` and ``clock``).
"""

from __future__ import annotations

__all__: list[str] = []
