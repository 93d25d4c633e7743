"""Fault injection in front of a real registry (see :mod:`.proxy` and :mod:`.rules`)."""

from __future__ import annotations

from harness.registry.faults.proxy import FaultProxy
from harness.registry.faults.rules import MAX_DELAY, Corrupt, Delay, FaultRule, Reset, Respond

__all__ = ["MAX_DELAY", "Corrupt", "Delay", "FaultProxy", "FaultRule", "Reset", "Respond"]
