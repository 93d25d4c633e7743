"""Root conftest: only loads the harness's pytest plugins (GC tuning, old base temp directories
removed in the background, the report, the step library, the longest scenarios first), as
``pytest_plugins`` would, without an entry-point scan per name (harness.steps.plugin_loading)."""

from __future__ import annotations

from harness.steps.plugin_loading import companions

pytest_plugin_registered = companions(
    [
        "harness.steps.gc_plugin",
        "harness.steps.basetemp_plugin",
        "harness.report.plugin",
        "harness.steps.plugin",
        "harness.steps.schedule_plugin",
    ]
)
