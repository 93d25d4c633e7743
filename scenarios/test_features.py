"""Binds every scenario of every ``*.feature`` file under features/, folders included.

A QA author drops a feature file anywhere under features/ and it runs: no Python to write. Each
scenario becomes ``test_<feature path>__<scenario name>`` (``features/approval/approval.feature``
gives the prefix ``approval``, ``features/enabling/conflict.feature`` gives ``enabling_conflict``),
so the names do not depend on the order files are read in. The step library comes from the root
conftest. A module elsewhere under scenarios/ may still bind a feature itself with pytest-bdd's
``scenarios()``; the step plugin then drops the duplicate made here, so nothing runs twice.
"""

from __future__ import annotations

from harness.steps.binding import bind_features

AUTO_BINDING = True

bind_features(globals())
