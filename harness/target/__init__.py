"""The target seam: what the steps talk to instead of a particular cluster.

A :class:`~harness.target.base.Target` is a Kubernetes client, a registry the harness pushes to
(with the address the cluster pulls from, which may differ) and a few optional capabilities:
moving the clock, injecting faults, changing the cluster's versions, settling the controllers.
The simulated cluster is one target (:mod:`harness.target.simulator`); any cluster a kubeconfig
reaches is another (:mod:`harness.target.kubeconfig`). Steps import this package's protocol
modules only (``base``, ``naming``, ``timing``), never the simulator: an import-linter contract
in ``pyproject.toml`` says so, and the pytest plugin (:mod:`harness.target.plugin`) wires the
chosen target into the scenarios.
"""

from __future__ import annotations
