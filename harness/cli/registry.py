"""``dkp-harness registry``: start a registry, print its address, run until SIGINT/SIGTERM.

Stdout carries exactly one line, ``127.0.0.1:PORT``, so scripts can read it; diagnostics go to
stderr. Everything the registry created is removed on exit.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("registry", help="start a real OCI registry and print its address")
    parser.add_argument(
        "--backend",
        choices=("auto", "distribution", "zot", "external"),
        default="auto",
        help="auto: zot in docker if its image is present, else a registry binary on PATH (default)",
    )
    parser.add_argument(
        "--auth", metavar="USER:PASS", help="require htpasswd basic auth with these credentials"
    )
    parser.add_argument("--url", metavar="HOST:PORT", help="the registry address for --backend external")
    parser.add_argument("--image", help="docker image for --backend zot (default: upstream zot)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import signal
    import threading

    from harness.registry.backends import DEFAULT_IMAGE, BackendUnavailable, create_backend
    from harness.registry.credentials import Credentials

    try:
        credentials = Credentials.parse(args.auth) if args.auth else None
        backend = create_backend(
            args.backend, credentials=credentials, url=args.url, image=args.image or DEFAULT_IMAGE
        )
    except (ValueError, BackendUnavailable) as exc:
        print(f"dkp-harness registry: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        backend.start()
    except BackendUnavailable as exc:
        print(f"dkp-harness registry: {exc}", file=sys.stderr)
        return 1
    try:
        print(backend.address, flush=True)
        print(f"dkp-harness registry: {backend.kind} backend ready; Ctrl-C to stop", file=sys.stderr)
        stop.wait()
    finally:
        backend.stop()
    return 0
