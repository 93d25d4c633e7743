"""``dkp-harness`` commands run through the CLI's ``main`` in the test's own process.

A Python process started for a command costs ~0.1-0.2 s of CPU (the interpreter, then the
imports the test process has already made). Tests whose subject is what a command does, not the
process around it (signals, the entry point's own exit, a pipe), run it here: the same argv, the
same parser and code, the exit code ``main`` returns (the console script passes it to
``sys.exit``), and what it printed.
"""

from __future__ import annotations

import contextlib
import io

from harness.cli import main

__all__ = ["run_cli"]


def run_cli(*args: str) -> tuple[int, str, str]:
    """``dkp-harness ARGS``: its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()
