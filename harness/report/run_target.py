"""Which cluster a run checked: the stash key the target plugin fills and the report reads.

The report names its target (the simulator, or a real cluster's server URL and versions) and its
time mode, yet it must not import the machinery that knows them; the two meet in pytest's stash.
"""

from __future__ import annotations

import pytest

#: Display strings: ``kind`` (``simulator`` | ``kubeconfig``), ``server``, ``kubernetes_version``,
#: ``deckhouse_version``, ``edition``, ``time_mode`` (``virtual`` | ``real`` | ``scaled xN``).
RUN_TARGET_KEY: pytest.StashKey[dict[str, str]] = pytest.StashKey()
