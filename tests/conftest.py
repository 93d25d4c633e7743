"""What every test process needs before any test runs."""

from __future__ import annotations

# pytester's in-process runs (the authoring, eras and report tests run whole scenario suites that
# way) forget every module first imported during the run. That costs twice:
#
# - a forgotten module whose package is kept leaves a stale attribute on the package. httpx
#   imports httpcore only when its first client is built and keeps the exception classes of the
#   httpcore it met then; ``from harness.registry import transport`` finds the forgotten module,
#   whose ``httpx`` is no longer the process's. Either way a registry test running later in the
#   same worker gets a raw "Connection refused" where it expects the harness's own error;
# - the next run imports it all again: anyio's pytest plugin and hypothesis (both loaded by every
#   in-process run from their entry points, while this project's own runs disable anyio) are
#   ~0.2 s each.
#
# So what an in-process scenario run may import first is imported here, once per process: httpcore,
# the simulator target (the cluster, the API server, the controllers), the registry client, the
# publisher, the fault proxy's bypass, and those plugins' packages.
import anyio.pytest_plugin  # noqa: F401
import httpcore  # noqa: F401
import hypothesis  # noqa: F401

import harness.registry.client
import harness.registry.faults.bypass
import harness.registry.publisher
import harness.target.simulator  # noqa: F401
