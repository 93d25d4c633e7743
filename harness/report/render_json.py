"""The JSON twin of the HTML report: the same model, for tools and for diffing runs."""

from __future__ import annotations

import json

from harness.report.model import Run

__all__ = ["render_json"]


def render_json(run: Run) -> str:
    """Stable, sorted JSON of :meth:`Run.to_dict`."""
    return json.dumps(run.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
