"""The error a reconcile returns, as DKP's Go controllers return one.

A controller-runtime reconciler that returns an error writes nothing more: controller-runtime
logs ``Reconciler error`` with the error's text and retries the request with backoff. DKP's
controllers build that text by wrapping (``apply predicted release: run release deploy: deploy
module: download the 'x' module: …``). A simulated controller raises :class:`ReconcileError`
with the same text; the manager logs it as it is and retries (docs/dkp-simulator.md, Manager).
"""

from __future__ import annotations

__all__ = ["ReconcileError"]


class ReconcileError(Exception):
    """A failed reconcile whose message is the Go error chain DKP's controller would log."""
