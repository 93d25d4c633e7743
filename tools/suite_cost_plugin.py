"""A pytest plugin that records where each test process spends its CPU, for ``tools.suite_cost``.

Loaded with ``-p tools.suite_cost_plugin`` (xdist passes ``-p`` on to its workers), it keeps,
per process: its own CPU, and the CPU of every child process it waited for, by kind of process
(``kubectl``, a nested ``pytest``, a ``dkp-harness`` command, the registry, Chromium…), and the
process's own CPU per test file. At the end of the session each process writes one JSON file to
``$DKP_SUITE_COST_DIR``; ``tools.suite_cost`` adds them up.

Why a child's own figure: ``getrusage(RUSAGE_CHILDREN)`` only says how much all children used
together, and a test often starts several kinds. ``subprocess`` reaps its children with
``os.waitpid``; this plugin has it call ``os.wait4`` instead, which returns the same and the
child's resource usage as well, so every child is counted once, when it is reaped, under the
kind its argv names. Children reaped otherwise (none in this suite) are counted in the total only.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
from collections import defaultdict
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

import pytest

__all__ = ["classify"]

_kinds: dict[int, str] = {}
_children: defaultdict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
_files: defaultdict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
_current: list[str] = []
"""The file of the test running now, if any: a child reaped during it is charged to that file."""
_waitpid = os.waitpid
_popen_init = subprocess.Popen.__init__


def classify(argv: Sequence[str] | str) -> str:
    """The kind of process an argv starts, coarse enough to add up (``kubectl``, ``pytest``…)."""
    words = [argv] if isinstance(argv, str) else [str(word) for word in argv]
    if not words:
        return "?"
    program = os.path.basename(words[0])
    if program.startswith("kubectl"):
        return "kubectl"
    if program in {"docker-registry", "registry", "zot", "setpriv"}:
        return "registry"
    if program.startswith("chrom"):
        return "chromium"
    if "python" not in program:
        return program
    if "pytest" in words or any(word.endswith("pytest") for word in words[1:3]):
        return "python: pytest"
    if "-m" in words[:-1]:
        module = words[words.index("-m") + 1]
        return "python: dkp-harness" if module.startswith("harness") else f"python -m {module}"
    return "python: other"


def _counting_init(self: subprocess.Popen[Any], args: Any, *rest: Any, **options: Any) -> None:
    _popen_init(self, args, *rest, **options)
    _kinds[self.pid] = classify(args)


def _counting_waitpid(pid: int, options: int) -> tuple[int, int]:
    if pid <= 0:
        return _waitpid(pid, options)
    reaped, status, usage = os.wait4(pid, options)
    if reaped:
        cpu = usage.ru_utime + usage.ru_stime
        kind = _children[_kinds.pop(reaped, "?")]
        kind[0] += cpu
        kind[1] += 1
        if _current:
            _files[_current[0]][2] += cpu
    return reaped, status


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def pytest_configure(config: pytest.Config) -> None:
    """Count from here on: children started during collection are counted too."""
    subprocess.Popen.__init__ = _counting_init  # type: ignore[method-assign]
    os.waitpid = _counting_waitpid


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, None, None]:
    """The process's own CPU while one test runs (setup, call, teardown), by file, and the CPU of
    the children reaped meanwhile (a module-scoped fixture's children go to its first test's file)."""
    name = item.nodeid.split("::", 1)[0]
    before = _cpu(resource.RUSAGE_SELF)
    _current[:] = [name]
    try:
        yield
    finally:
        _current.clear()
    row = _files[name]
    row[0] += _cpu(resource.RUSAGE_SELF) - before
    row[1] += 1


def pytest_sessionfinish(session: pytest.Session) -> None:
    """One file per process: xdist's controller and each worker write their own."""
    folder = os.environ.get("DKP_SUITE_COST_DIR")
    if not folder:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "controller")
    record = {
        "process": worker,
        "self": _cpu(resource.RUSAGE_SELF),
        "children_total": _cpu(resource.RUSAGE_CHILDREN),
        "children": {kind: {"cpu": cpu, "count": int(count)} for kind, (cpu, count) in _children.items()},
        "files": {
            name: {"cpu": cpu, "tests": int(count), "children": children}
            for name, (cpu, count, children) in _files.items()
        },
    }
    Path(folder, f"{worker}.{os.getpid()}.json").write_text(json.dumps(record), encoding="utf-8")
