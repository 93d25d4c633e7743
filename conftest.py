"""Root conftest: only loads the harness's pytest plugins (report first, then the step library)."""

from __future__ import annotations

pytest_plugins: list[str] = ["harness.report.plugin", "harness.steps.plugin"]
