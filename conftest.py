"""Root conftest: only loads the harness's pytest plugins (GC tuning, the report, the step library,
the longest scenarios first)."""

from __future__ import annotations

pytest_plugins: list[str] = [
    "harness.steps.gc_plugin",
    "harness.report.plugin",
    "harness.steps.plugin",
    "harness.steps.schedule_plugin",
]
