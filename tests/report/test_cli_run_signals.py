"""Stopping ``dkp-harness run`` stops its pytest cleanly, as Ctrl-C does, instead of orphaning it.

pytest is replaced by a stand-in that says when it is ready and exits 2 (pytest's "interrupted")
on SIGINT; the wrapper is the real :func:`harness.cli.run.run_pytest` in a process of its own.
The only wait is for the stand-in's ready line and for the processes to end, each bounded.
"""

from __future__ import annotations

import select
import signal
import subprocess
import sys

import pytest

WRAPPER = "import sys; from harness.cli.run import run_pytest; sys.exit(run_pytest(sys.argv[1:]))"
STAND_IN = (
    "import signal, sys\n"
    "signal.signal(signal.SIGINT, lambda *_: sys.exit(2))\n"
    "print('ready', flush=True)\n"
    "signal.pause()\n"
)


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_to_the_wrapper_reaches_pytest_as_sigint(sent):
    wrapper = subprocess.Popen(
        [sys.executable, "-c", WRAPPER, sys.executable, "-c", STAND_IN],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # not the terminal's group: the signal reaches the wrapper alone
    )
    try:
        assert wrapper.stdout is not None
        assert select.select([wrapper.stdout], [], [], 30)[0], "the stand-in never got ready"
        assert wrapper.stdout.readline() == "ready\n"
        wrapper.send_signal(sent)
        assert wrapper.wait(30) == 2  # pytest's own "interrupted", passed through
    finally:
        if wrapper.poll() is None:
            wrapper.kill()
            wrapper.wait()
        if wrapper.stdout is not None:
            wrapper.stdout.close()
