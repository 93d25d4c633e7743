"""Which side of a failed step is wrong: the scenario as written, or DKP.

The report counts an :class:`AssertionError` raised by a step as an expectation that was **not
met** (DKP does not behave as the scenario says) and every other exception as a scenario that
**could not be checked** (docs/report.md). So a step chooses its exception by one rule:

- the step could compare what the cluster did with what the scenario expects, and they differ
  (an object DKP should have made is missing, a field or a phase differs): ``AssertionError``;
- the step could not be carried out as written, whatever DKP does (an unknown kind, a file that
  is not there, a moment earlier than the clock, a version that cannot be read, an Outline
  placeholder no Examples column fills): :class:`ScenarioError`, whose message says what to
  write instead. Another cluster, or another DKP, would fail the same way: nothing was checked.

:class:`~harness.steps.tables.TableError` (a table the step cannot read) and
:class:`~harness.steps.documents.DocumentError` (a docstring that is not the YAML the step
needs) are older members of the second kind; they stay ``ValueError`` subclasses.
"""

from __future__ import annotations

__all__ = ["ScenarioError"]


class ScenarioError(Exception):
    """The scenario, as written, asks for something no step can do: the mistake is the scenario's.

    Deliberately not an ``AssertionError``: the report shows the scenario as "could not check"
    (``ERROR``), never as a claim DKP does not meet, and a real cluster's eventually-check
    (:meth:`~harness.steps.world.World.check`, which retries assertions only) gives up at once
    instead of waiting minutes for a typo to fix itself. The message names what is wrong and what
    to write instead.
    """
