"""``dkp-harness steps | head``: a reader that stops early ends the command quietly, with exit 141.

Python ignores SIGPIPE, so writing to a pipe nobody reads raised ``BrokenPipeError`` and printed
a traceback (harness/cli/steps.py, the print loop). Each test closes the reading end before the
command writes, so the pipe is broken whatever the timing, without sleeping or polling.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.cli import BROKEN_PIPE, main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def unread_pipe() -> Iterator[int]:
    """The writing end of a pipe whose reading end is already closed."""
    read, write = os.pipe()
    os.close(read)
    yield write
    os.close(write)


@pytest.mark.parametrize("words", [["steps"], ["steps", "--markdown"]])
def test_a_long_listing_into_a_closed_pipe_exits_141_without_a_traceback(unread_pipe, words):
    done = subprocess.run(
        [sys.executable, "-m", "harness", *words],
        stdout=unread_pipe,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.stderr == ""
    assert done.returncode == BROKEN_PIPE == 141


def test_in_process_stdout_is_pointed_at_devnull_so_the_last_flush_is_quiet(unread_pipe, monkeypatch):
    stdout = open(unread_pipe, "w", closefd=False)
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(["steps"]) == 141
    stdout.write("still buffered\n")
    stdout.close()  # flushes into /dev/null now, not into the broken pipe
    assert os.path.samestat(os.fstat(unread_pipe), os.stat(os.devnull))


def test_a_broken_pipe_elsewhere_is_a_real_error_and_keeps_its_traceback(monkeypatch, capsys):
    import harness.cli.steps

    def broken(_args: object) -> int:
        raise BrokenPipeError("the registry's socket")

    monkeypatch.setattr(harness.cli.steps, "run", broken)
    with pytest.raises(BrokenPipeError, match="the registry's socket"):
        main(["steps"])
