"""Root conftest: only loads the harness's pytest plugins (GC tuning, the report, then the step library)."""

from __future__ import annotations

pytest_plugins: list[str] = ["harness.steps.gc_plugin", "harness.report.plugin", "harness.steps.plugin"]
