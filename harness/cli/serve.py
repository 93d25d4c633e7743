"""``dkp-harness serve --state-dir DIR``: the simulated cluster as a sandbox for kubectl.

Writes ``DIR/kubeconfig``, ``DIR/env`` (``REGISTRY=…`` and ``KUBECONFIG=…``; load it with
``set -a; . DIR/env; set +a``) and ``DIR/control.json`` (the private control endpoint), prints
one ``ready …`` line, and runs until SIGINT, SIGTERM or SIGHUP, then stops everything and removes
the three files and every temporary file (the TLS key under ``DIR/tmp``; the cluster's
kubeconfig copy and the registry's storage in the process's scratch folder on tmpfs, see
:mod:`harness.registry.backends.scratch`). The dir is locked for the sandbox's lifetime: a
second ``serve`` on it is refused with the PID of the first, and a ``serve`` after a ``kill -9``
cleans what was left (:mod:`harness.cli._statedir`). A background driver settles the controllers
after every API write, so kubectl sees their results without an explicit ``dkp-harness settle``.

``--time-scale N`` makes the sandbox a stand-in for a real cluster: its time flows by itself, N
times as fast as the wall clock (from now, or from ``--start``), and it cannot be moved. The API
server's ``Date`` header carries that time, so ``dkp-harness run --kubeconfig DIR/kubeconfig``
waits three sandbox minutes in three wall seconds at N=60, exactly as it waits on a real cluster.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from harness.cli._checks import given_path
from harness.cli._platform import add_platform_arguments
from harness.clock import MAX_TIME_SCALE

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the simulated DKP cluster as a sandbox for kubectl",
        description=(
            "Start a registry, the API server and DKP's controllers; write DIR/kubeconfig and\n"
            "DIR/env, print one 'ready' line, and run until Ctrl-C (or SIGTERM), which stops them\n"
            "all and removes those files."
        ),
        epilog=SERVE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--state-dir", required=True, type=given_path, help="where kubeconfig, env, control.json go"
    )
    parser.add_argument(
        "--real-time", action="store_true", help="follow the wall clock instead of virtual time"
    )
    parser.add_argument(
        "--time-scale",
        type=_positive,
        metavar="N",
        help="let time flow by itself, N times as fast as the wall clock (1 is real time): a stand-in "
        "for a real cluster that `dkp-harness run --kubeconfig` reaches only through the kubeconfig",
    )
    parser.add_argument(
        "--start",
        help="start time, RFC 3339 (default 2024-12-16T09:00:00Z; with --time-scale: the wall clock's now)",
    )
    add_platform_arguments(parser, defaults=True)
    parser.add_argument(
        "--kubernetes-version",
        default="1.30.0",
        help="the Kubernetes version module requirements are checked against (default 1.30.0)",
    )
    parser.add_argument(
        "--release-channel",
        default="Stable",
        help="releaseChannel of the deckhouse ModuleConfig, which modules without a policy follow "
        "(default Stable)",
    )
    parser.add_argument(
        "--update-mode",
        default="Auto",
        choices=("Auto", "AutoPatch", "Manual"),
        help="update mode of the deckhouse ModuleConfig, which modules without a policy follow "
        "(default Auto)",
    )
    parser.set_defaults(func=run)


SERVE_EPILOG = """\
example:
  DIR=$(mktemp -d)
  dkp-harness serve --state-dir "$DIR" | tee "$DIR.log" &
  until grep -qs '^ready' "$DIR.log"; do sleep 0.2; done   # DIR/env exists once "ready" is printed
  set -a; . "$DIR/env"; set +a          # exports REGISTRY and KUBECONFIG
  dkp-harness publish --registry "$REGISTRY" --module module-one --version v0.7.23 --channel stable
  kubectl apply -f ms.yaml              # a ModuleSource with repo: $REGISTRY/deckhouse/modules, scheme: HTTP
  dkp-harness time --state-dir "$DIR" advance 3m
  kubectl get ms,module,mr

Virtual time moves only with `dkp-harness time` (or --time-scale / --real-time). README.md walks
through the whole page with captured output.
"""


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number: give e.g. 60") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"the time scale must be positive, got {text}")
    if not value <= MAX_TIME_SCALE:  # inf, or a scale that runs past the calendar in hours
        raise argparse.ArgumentTypeError(
            f"the time scale must be at most {MAX_TIME_SCALE:.0f} (a virtual year in about 32 seconds), "
            f"got {text}"
        )
    return value


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def run(args: argparse.Namespace) -> int:
    from harness.cli import _checks
    from harness.cli._control import ControlError, parse_time
    from harness.cli._statedir import StateDir, StateDirError

    if args.real_time and args.time_scale is not None:
        print("error: --real-time is --time-scale 1: give one of them", file=sys.stderr)
        return _checks.USAGE_ERROR
    if args.real_time and args.start:
        print(
            "error: --start sets the virtual start time; it cannot be used with --real-time", file=sys.stderr
        )
        return _checks.USAGE_ERROR
    try:
        start = parse_time(args.start) if args.start else None
    except ValueError as exc:
        print(f"error: --start: {exc}", file=sys.stderr)
        return _checks.USAGE_ERROR
    try:
        _checks.semver(args.deckhouse_version, "--deckhouse-version")
        _checks.kubernetes_version(args.kubernetes_version)
        _checks.release_channel(args.release_channel)
    except _checks.UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return _checks.USAGE_ERROR
    stopping = threading.Event()
    for sig in _STOP_SIGNALS:
        signal.signal(sig, lambda *_: stopping.set())
    state = StateDir(args.state_dir.resolve())
    try:
        state.claim()
    except StateDirError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return _checks.USAGE_ERROR
    for leftover in state.cleaned:
        print(f"removed leftovers of a sandbox that did not stop cleanly: {leftover}", file=sys.stderr)
    try:
        return _serve(args, state.path, start, stopping)
    except (ControlError, OSError, RuntimeError) as exc:
        print(f"error: cannot start the sandbox: {exc}", file=sys.stderr)
        return 1
    finally:
        state.release()


def _serve(args: argparse.Namespace, state_dir: Path, start: Any, stopping: threading.Event) -> int:
    from harness.cli._sandbox import Sandbox
    from harness.gc_tuning import freeze_startup_heap, tune

    tune()  # a long-running process with a large heap (harness.gc_tuning)

    sandbox = Sandbox(
        state_dir,
        token=secrets.token_urlsafe(24),
        start=start,
        real_time=args.real_time,
        time_scale=args.time_scale,
        deckhouse_version=args.deckhouse_version,
        kubernetes_version=args.kubernetes_version,
        edition=args.edition,
        bundle=args.bundle,
        release_channel=args.release_channel,
        update_mode=args.update_mode,
    )
    sandbox.start()
    freeze_startup_heap()  # everything the cluster needs from now on: full collections skip it
    try:
        _say(sandbox.ready_line())
        stopping.wait()  # set by the stop signals' handler; no polling
    finally:
        sandbox.stop()
    _say("stopped")
    return 0


def _say(line: str) -> None:
    """Print a line; a reader that left first (``serve | tee log``, both stopped by one Ctrl-C) is fine.

    Without this the stop of a healthy sandbox ends in "cannot start the sandbox: Broken pipe".
    """
    try:
        print(line, flush=True)
    except BrokenPipeError:
        # Nobody reads stdout any more: send it to /dev/null so the exit-time flush is quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
