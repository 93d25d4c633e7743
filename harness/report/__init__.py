"""The conformance report: which documented claims hold, with the evidence.

- ``status``: the statuses and how they combine (worst-of, claim status, step failure kind).
- ``model``: Run → Feature → Scenario → Step, claims and the step catalogue; JSON round trip.
- ``claims``: loads and validates the claims catalogue (``fixtures/claims.yaml``).
- ``evidence``: what steps record (timelines, kubectl outputs, diffs, objects, notes, logs);
  ``comparisons``: how a kubectl comparison is laid out (row, columns, contains, whole output).
- ``redaction``: keeps credentials out of every output.
- ``recorder``/``tags``/``selection``/``plugin``/``controller``: the pytest plugin that fills the
  model (xdist-safe), applies ``--claim``/``--feature-path`` and knows when a run is partial;
  ``failure_text``: the terminal's account of a failed scenario; ``run_target``: the stash key
  through which the target plugin names the cluster a run checked.
- ``assemble``: groups and judges results; ``render_*`` and ``write``: the output files;
  ``compare``: where two runs' ``conformance.json`` differ.

Only ``harness.kube`` and ``harness.clock`` may be imported from the rest of the harness.
"""

from __future__ import annotations

from harness.report.evidence import Evidence
from harness.report.model import StepCatalogueEntry
from harness.report.redaction import redact, register_secret
from harness.report.status import Status

__all__ = ["Evidence", "Status", "StepCatalogueEntry", "redact", "register_secret"]
