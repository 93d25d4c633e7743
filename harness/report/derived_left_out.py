"""The left-out counts of a partial pytest-xdist run whose workers all crashed before their end.

Workers count, per claim, the scenarios a filter deselected and ship the counts when they end
(:mod:`harness.report.left_out`). When every worker crashed first, nothing was shipped and the
report said nothing of the claims' scenarios the selection left out: a claim whose one kept
scenario passed read "holds" as if its others had been asked too.

The controller never collects, but it knows the node ids the workers collected (after
deselection). For each binding module those ids belong to, it lists every node id the module
makes (:meth:`harness.report.node_scenarios.NodeScenarios.node_ids`, the feature files parsed
here), keeps those the command line asked for (the module, a folder holding it, or a node id
naming it), and counts the claims of each one no worker collected: these are the ones a filter
(``-k``, ``-m``, ``--claim``, ``--feature-path``, ``--deselect``, ``--last-failed``) deselected.

What this cannot see, and so does not count: a binding module none of whose scenarios the
selection kept (its node ids never reach the controller), a test bound by hand with pytest-bdd's
``scenarios()`` (the controller cannot name it), and the scenario of an automatic binding that a
hand-written one replaced (not deselected: the hand-written test runs it, so it is skipped here
when the same file, line and row was collected). ``--last-failed`` may skip whole files without
deselecting them; a bound module is one file, so its scenarios are counted as left out. Of two
Examples rows with the same values, one deselected while the other was kept is not counted: the
two are one scenario by file, line and row values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from harness.report.node_scenarios import NodeScenarios

__all__ = ["DESELECTING", "derived_left_out"]

#: The selection keys (:func:`harness.report.selection.selection_of`) of filters that deselect.
DESELECTING = frozenset({"keyword", "markexpr", "claims", "features", "deselect", "last_failed"})


def derived_left_out(
    known: NodeScenarios, collected: set[str], args: Iterable[str], cwd: Path, *, escaped: bool
) -> Counter[str]:
    """Per claim, its scenarios in the collected ids' binding modules that were not collected.

    ``args``: the command line's paths and node ids (``config.args``), relative to ``cwd``.
    """
    asked = [_split(arg, cwd) for arg in args]
    kept = {_key(s) for s in (known.skeleton(nodeid) for nodeid in collected) if s is not None}
    counts: Counter[str] = Counter()
    for module in sorted({nodeid.split("::", 1)[0] for nodeid in collected}):
        for nodeid in known.node_ids(module, escaped=escaped):
            if nodeid in collected or not any(_asks(arg, nodeid, known.root) for arg in asked):
                continue
            skeleton = known.skeleton(nodeid)
            if skeleton is not None and _key(skeleton) not in kept:
                counts.update(skeleton["claims"])
    return counts


def _key(skeleton: dict[str, Any]) -> tuple[str, int, str]:
    """A scenario's file, line and row: the same one under two bindings has the same key."""
    return (str(skeleton["feature_uri"]), int(skeleton["line"]), repr(sorted(skeleton["example"].items())))


def _split(arg: str, cwd: Path) -> tuple[Path, str]:
    """A command-line argument as its resolved path and its ``::…`` part (``""`` when none)."""
    path, sep, rest = arg.partition("::")
    return (cwd / path).resolve(), sep + rest


def _asks(arg: tuple[Path, str], nodeid: str, root: Path) -> bool:
    """True when the argument selects ``nodeid``: its module or a folder holding it, or a node
    id that is ``nodeid`` or its function (``…::test_x`` asks for ``…::test_x[row]``)."""
    where, rest = arg
    module, _, name = nodeid.partition("::")
    target = (root / module).resolve()
    if not rest:
        return target == where or target.is_relative_to(where)
    return target == where and (f"::{name}" == rest or f"::{name}".startswith(rest + "["))
