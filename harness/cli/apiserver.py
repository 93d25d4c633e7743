"""``dkp-harness apiserver``: the fake API server on the wall clock, for kubectl by hand or scripts.

Serves HTTPS with a self-signed loopback certificate by default (kubectl only sends bearer
tokens over TLS). Prints exactly its URL on stdout (one line, flushed) so a caller can read it,
optionally writes a kubeconfig, and serves until SIGINT or SIGTERM, then stops and exits 0.
"""

from __future__ import annotations

import argparse
from typing import Any

from harness.cli._checks import given_path

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "apiserver",
        help="run the fake Kubernetes API server (CRDs from fixtures/crds) until interrupted",
        description="Serve the fake Kubernetes API on 127.0.0.1 and print its URL.",
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default 0: a free port)")
    parser.add_argument(
        "--crds", type=given_path, default=None, help="directory of CRD YAML (default: fixtures/crds)"
    )
    parser.add_argument(
        "--kubeconfig", type=given_path, default=None, help="write a kubeconfig (bearer token) here"
    )
    parser.add_argument(
        "--plain-http",
        action="store_true",
        help="serve http:// (kubectl then sends no token, so only token-sending clients get in)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import signal
    import sys
    import threading

    from harness.apiserver import ApiServer
    from harness.apiserver.crds import CrdError
    from harness.cli._checks import USAGE_ERROR
    from harness.clock import RealClock
    from harness.gc_tuning import freeze_startup_heap, tune

    if not 0 <= args.port <= 65535:
        print(f"error: --port must be between 0 and 65535, got {args.port}", file=sys.stderr)
        return USAGE_ERROR
    tune()  # a long-running process with a large heap (harness.gc_tuning)
    try:
        server = ApiServer(RealClock(), crd_dir=args.crds)
    except CrdError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    try:
        url = server.start(args.port, tls=not args.plain_http)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}; try --port 0", file=sys.stderr)
        return 2
    freeze_startup_heap()
    done = threading.Event()

    def _stop(_signum: int, _frame: object) -> None:
        done.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        if args.kubeconfig is not None:
            server.write_kubeconfig(args.kubeconfig)
        print(url, flush=True)
        done.wait()
    except OSError as exc:
        print(f"error: --kubeconfig {args.kubeconfig}: cannot write it ({exc.strerror})", file=sys.stderr)
        return USAGE_ERROR
    finally:
        server.stop()
    return 0
