"""The Gherkin step library: thin adapters between scenario text and the simulated cluster.

Pure helpers (unit-tested on their own) sit at this level: ``phrases`` (time phrases),
``tables`` (datatables and kubectl's table output), ``matching`` (partial object match with
field-path diffs), ``history`` (every object version on the virtual clock, and the invariants
checked over it), ``catalogue`` (the step registry behind ``dkp-harness steps``), ``lint``
(undefined, unused and ambiguous steps), ``errors`` (which failures are the scenario's and which
DKP's) and ``step_place`` (where the running step is written). The step definitions themselves
live in ``harness.steps.library``, one module per area; ``harness.steps.plugin`` loads them into
pytest.
"""

from __future__ import annotations
