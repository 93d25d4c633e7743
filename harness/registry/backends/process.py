"""One registry child process, watched by a thread that reads its log and waits for its exit.

The child's stdout and stderr are one pipe. A watcher thread reads it line by line into an
in-memory log, notices distribution's ``listening on 127.0.0.1:PORT`` line (the port is bound
once that line is written, so the registry is ready: no HTTP probing, no log-file polling), and
when the pipe closes it reaps the child and calls ``on_exit`` — so a registry that dies is known
at once, and never stays a zombie.
"""

from __future__ import annotations

import collections
import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

__all__ = ["GO_RUNTIME_DEFAULTS", "LogBuffer", "RegistryProcess", "describe_exit", "go_runtime_environment"]

_LISTENING = re.compile(rb"listening on (127\.0\.0\.1:\d+)")
_LOG_LINES = 50_000  # the access log of a 1,000-module sync is ~4,000 lines
GO_RUNTIME_DEFAULTS = {"GOGC": "1000", "GOMEMLIMIT": "512MiB"}
"""Go garbage-collector settings for the registry child, unless the environment sets its own.

Distribution 2.8 builds its whole URL router (a few dozen regular expressions) for every request
(``v2.NewURLBuilderFromRequest``), ~140 KB of garbage per request; with Go's default ``GOGC=100``
its live heap of a few MB is collected every few dozen requests, and collection was a third of
its CPU (profiled with ``perf``). ``GOGC=1000`` collects ten times less often: a ``GET /v2/``
costs 0.7 instead of 1.8 ms of CPU (the heap peaks at ~60 MB instead of ~25 MB), and
``GOMEMLIMIT`` keeps a long-lived registry from growing past 512 MiB whatever it holds.
"""


class LogBuffer:
    """The registry's log lines (the newest :data:`_LOG_LINES`), shared by successive processes."""

    def __init__(self) -> None:
        self._lines: collections.deque[str] = collections.deque(maxlen=_LOG_LINES)
        self._lock = threading.Lock()
        self._fenced = threading.Condition(self._lock)
        self._fence: str | None = None
        self._fence_seen = False

    def append(self, line: str) -> None:
        with self._lock:
            if self._fence is not None and self._fence in line:
                self._lines.clear()
                self._fence, self._fence_seen = None, True
            else:
                self._lines.append(line)
            self._fenced.notify_all()  # a fence, or a line someone waits for (wait_for)

    def wait_for(self, text: str, timeout: float) -> bool:
        """Whether a line containing ``text`` is in the log within ``timeout`` seconds.

        Distribution writes a request's access-log line after the answer has gone out, so a
        caller that just got its answer may look before its line arrived; this waits for the line
        itself (woken by each new line), bounded by the deadline.
        """
        with self._fenced:
            return self._fenced.wait_for(lambda: any(text in line for line in self._lines), timeout)

    def text(self) -> str:
        with self._lock:
            return "".join(self._lines)

    def clear(self) -> None:
        """Forget the lines so far."""
        with self._lock:
            self._lines.clear()

    def clear_through(self, marker: str, send: Callable[[], object], timeout: float) -> bool:
        """Forget every line up to and including the first one that contains ``marker``.

        For a registry handed to its next user. Distribution writes a request's access-log line
        after the response has gone out, so the previous user can be done before its last lines
        reach this buffer; cleared at once, they would land in the next user's log. ``send`` makes
        the registry log ``marker`` (a request of our own, made after the previous user's last
        answer), so its line marks where the previous user's lines end. False, with the log
        cleared all the same, when that line did not arrive within ``timeout`` seconds.
        """
        with self._lock:
            self._fence, self._fence_seen = marker, False
        try:
            send()
            with self._fenced:
                return self._fenced.wait_for(lambda: self._fence_seen, timeout)
        finally:
            with self._lock:
                if not self._fence_seen:
                    self._lines.clear()
                self._fence = None


class RegistryProcess:
    """Start ``argv``; :attr:`address` is set once the child reports its listening address."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cwd: Path,
        log: LogBuffer,
        on_exit: Callable[[RegistryProcess], None] | None = None,
        pattern: re.Pattern[bytes] = _LISTENING,
        requested_port: int = 0,
    ) -> None:
        self.address: str | None = None
        self.requested_port = requested_port
        self.returncode: int | None = None
        self._log = log
        self._on_exit = on_exit
        self._pattern = pattern
        self._settled = threading.Event()  # listening, or exited
        self._exited = threading.Event()
        wrapper = _pdeathsig_wrapper()
        self._popen = subprocess.Popen(
            [*wrapper, *argv],
            env=go_runtime_environment(os.environ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=None if wrapper else _die_with_parent,
        )
        self.pid = self._popen.pid
        self.thread = threading.Thread(target=self._watch, name=f"registry-watch:{self.pid}", daemon=True)
        self.thread.start()

    @property
    def alive(self) -> bool:
        return not self._exited.is_set()

    def wait_listening(self, timeout: float) -> str | None:
        """The listening address, or None if the child exited (or said nothing) within ``timeout``."""
        self._settled.wait(timeout)
        return self.address

    def wait_exited(self, timeout: float | None) -> bool:
        return self._exited.wait(timeout)

    def terminate(self, timeout: float = 5.0) -> None:
        """SIGTERM, then SIGKILL if it lingers; returns once the watcher has reaped it."""
        if self._exited.is_set():
            return
        try:
            self._popen.terminate()
        except ProcessLookupError:
            pass
        if not self._exited.wait(timeout):
            self._popen.kill()
            self._exited.wait(timeout)

    def kill(self) -> None:
        """SIGKILL (tests use it to play a crash)."""
        self._popen.kill()

    def _watch(self) -> None:
        stream = self._popen.stdout
        assert stream is not None
        try:
            for raw in iter(stream.readline, b""):
                if self.address is None:
                    match = self._pattern.search(raw)
                    if match:
                        self.address = match.group(1).decode()
                        self._settled.set()
                self._log.append(raw.decode(errors="replace"))
        finally:
            stream.close()
            self.returncode = self._popen.wait()
            self._exited.set()
            self._settled.set()
        if self._on_exit is not None:
            self._on_exit(self)


def go_runtime_environment(base: Mapping[str, str]) -> dict[str, str]:
    """``base`` with :data:`GO_RUNTIME_DEFAULTS` added where ``base`` does not set them."""
    return {**GO_RUNTIME_DEFAULTS, **base}


def describe_exit(returncode: int | None) -> str:
    """``exit code 1`` / ``killed by SIGKILL``."""
    if returncode is None:
        return "still running"
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


@functools.cache
def _pdeathsig_wrapper() -> tuple[str, ...]:
    """``setpriv --pdeathsig TERM --`` when util-linux's setpriv is there (see :func:`_die_with_parent`).

    A ``preexec_fn`` makes Python fork the whole interpreter instead of using ``vfork``; under
    load that alone cost ~40 ms per registry start. setpriv sets the same signal and execs.
    """
    if not sys.platform.startswith("linux"):
        return ()
    found = shutil.which("setpriv")
    return (found, "--pdeathsig", "TERM", "--") if found else ()


def _die_with_parent() -> None:
    """Ask Linux to SIGTERM the registry when the process that started it dies.

    Normal shutdown stops it through ``stop()`` and an exit hook, but a test run killed with
    SIGKILL (a CI timeout, an xdist worker crash) would otherwise leave it running. Elsewhere
    this is a no-op.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
