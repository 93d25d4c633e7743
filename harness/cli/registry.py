"""``dkp-harness registry``: start a registry, print its address, run until SIGINT/SIGTERM.

Stdout carries exactly one line, ``127.0.0.1:PORT``, so scripts can read it; diagnostics go to
stderr. Everything the registry created is removed on exit. Credentials for ``auth`` come from
``$DKP_HARNESS_REGISTRY_AUTH`` or ``--auth-file``, never from argv (visible to every user in ``ps``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from harness.cli._checks import given_path

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "registry",
        help="start a real OCI registry and print its address",
        description="Start a real OCI registry on 127.0.0.1, print its HOST:PORT as the only line on "
        "stdout, and run until Ctrl-C (or SIGTERM), which removes everything it stored. Push modules "
        "to it with `dkp-harness publish --registry HOST:PORT`.",
    )
    parser.add_argument(
        "--backend",
        choices=("auto", "distribution", "zot", "external"),
        default="auto",
        help="auto: zot in docker if its image is present, else a registry binary on PATH (default)",
    )
    parser.add_argument(
        "--auth-file",
        type=given_path,
        metavar="FILE",
        help="require basic auth with the USER:PASSWORD in FILE (or set $DKP_HARNESS_REGISTRY_AUTH)",
    )
    parser.add_argument("--auth", help=argparse.SUPPRESS)  # refused: argv is visible in `ps`
    parser.add_argument("--url", metavar="HOST:PORT", help="the registry address for --backend external")
    parser.add_argument("--image", help="docker image for --backend zot (default: upstream zot)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import signal
    import threading

    from harness.cli import _checks
    from harness.registry.backends import DEFAULT_IMAGE, BackendUnavailable, create_backend

    try:
        _checks.refuse_argv_secret(args.auth)
        if args.url is not None:
            _checks.registry_address(args.url, "--url")
        credentials = _checks.credentials(args.auth_file)
        backend = create_backend(
            args.backend, credentials=credentials, url=args.url, image=args.image or DEFAULT_IMAGE
        )
    except ValueError as exc:
        print(f"dkp-harness registry: {exc}", file=sys.stderr)
        return _checks.USAGE_ERROR
    except BackendUnavailable as exc:
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
