"""``dkp-harness time --state-dir DIR now|advance 3m|set 2024-12-16T13:25:00Z``.

Moves the sandbox's virtual time (settling the controllers at every timer on the way) and prints
the new virtual time once the cluster is settled.
"""

from __future__ import annotations

import sys

from harness.cli._checks import given_path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    import argparse
    from typing import Any

__all__ = ["register"]


def register(subparsers: Any) -> None:
    import re

    parser = subparsers.add_parser(
        "time",
        help="the sandbox's virtual time: now prints it, advance and set move it",
        description="now: print the virtual time; advance DURATION (3m, 1h30m, 3 minutes); set RFC3339 "
        "(forward only).",
    )
    parser.add_argument("--state-dir", required=True, type=given_path, help="the state dir given to `serve`")
    parser.add_argument("action", choices=("now", "advance", "set"))
    parser.add_argument(
        "value",
        nargs="*",
        default=[],
        help="a duration for advance (3m, 1h30m, or as scenarios write it: 3 minutes), an RFC 3339 "
        "time for set",
    )
    # `time advance -5m` must reach run() (which explains that time only moves forward) instead of
    # argparse reading "-5m" as an unknown option; this parser has no option that looks like that.
    parser._negative_number_matcher = re.compile(r"^-\d")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from harness.cli._checks import USAGE_ERROR, UsageError, forward_duration
    from harness.cli._control import ControlError, call, parse_time

    args.value = " ".join(args.value) or None  # `advance 3 minutes` unquoted is one duration
    try:
        if args.action == "advance" and args.value:
            forward_duration(args.value)
        elif args.action == "set" and args.value:
            parse_time(args.value)
        elif args.action == "now" and args.value:
            raise UsageError(f"`time now` takes no value, got {args.value!r}")
    except (UsageError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    if args.action == "now":
        request: tuple[str, str, dict[str, Any] | None] = ("GET", "/now", None)
    elif not args.value:
        example = "3m" if args.action == "advance" else "2024-12-16T13:25:00Z"
        print(
            f"error: `time {args.action}` needs a value, e.g. `time {args.action} {example}`", file=sys.stderr
        )
        return USAGE_ERROR
    elif args.action == "advance":
        request = ("POST", "/advance", {"duration": args.value})
    else:
        request = ("POST", "/set", {"time": args.value})
    try:
        answer = call(args.state_dir.resolve(), *request)
    except ControlError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(answer["now"])
    return 0
