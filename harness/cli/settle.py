"""``dkp-harness settle --state-dir DIR``: run the sandbox's controllers until quiescent.

Returns once every API change has been handled, the work queue is empty and no timer is due at
the current virtual instant; prints the virtual time.
"""

from __future__ import annotations

import argparse
import sys

from harness.cli._checks import given_path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "settle",
        help="run the sandbox's controllers until quiescent",
        description="Return once the simulated cluster is settled; print the virtual time.",
    )
    parser.add_argument("--state-dir", required=True, type=given_path, help="the state dir given to `serve`")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from harness.cli._control import ControlError, call

    try:
        answer = call(args.state_dir.resolve(), "POST", "/settle")
    except ControlError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(answer["now"])
    return 0
