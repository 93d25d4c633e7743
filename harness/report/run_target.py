"""Which cluster a run checked: the stash key the target plugin fills and the report reads.

The report names its target (the simulator, or a real cluster's server URL and versions) and its
time mode, yet it must not import the machinery that knows them; the two meet in pytest's stash.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

__all__ = ["RUN_TARGET_KEY", "deckhouse_era", "describe_target"]

#: Display strings: ``kind`` (``simulator`` | ``kubeconfig``), ``server``, ``kubernetes_version``,
#: ``deckhouse_version``, ``edition``, ``time_mode`` (``virtual`` | ``real`` | ``scaled xN``).
RUN_TARGET_KEY: pytest.StashKey[dict[str, str]] = pytest.StashKey()

_TARGET_FIELDS = (
    ("server", "server"),
    ("kubernetes_version", "Kubernetes"),
    ("deckhouse_version", "Deckhouse"),
    ("edition", "edition"),
)


def describe_target(target: Mapping[str, str]) -> str:
    """``the simulated DKP cluster · … · Deckhouse v1.67.0 · edition ee · virtual time``, or a real
    cluster's server and versions: the HTML header and ``dkp-harness run``'s summary say it alike."""
    kind = target.get("kind", "simulator")
    parts = ["the simulated DKP cluster" if kind == "simulator" else f"a cluster ({kind})"]
    parts += [f"{label} {target[key]}" for key, label in _TARGET_FIELDS if target.get(key)]
    if target.get("behaviour_of"):
        parts.append(f"behaving as Deckhouse {target['behaviour_of']}")
    parts.append(f"{target.get('time_mode', 'virtual')} time")
    return " · ".join(parts)


def deckhouse_era(target: Mapping[str, str]) -> str:
    """The Deckhouse version a not-applicable claim is judged against, as every report names it
    (``Deckhouse v1.67.0``): the HTML's verdict, ``conformance.json`` and ``dkp-harness run``'s
    summary say "not applicable to" the same words."""
    version = target.get("deckhouse_version") or target.get("behaviour_of")
    return f"Deckhouse {version}" if version else "the Deckhouse version this run checked"
