"""The ``dkp-harness`` command.

Each subcommand lives in its own module ``harness.cli.<name>`` exposing
``register(subparsers) -> None``, which adds a parser whose default ``func`` takes the parsed
arguments and returns the exit code. Registration must stay cheap: heavy imports go inside ``func``.

When the first argument names a subcommand, only that subcommand's module is imported and
registered: ``dkp-harness time now`` should cost little more than starting Python.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

__all__ = ["main"]

# Order is the order of ``dkp-harness --help``.
SUBCOMMANDS = (
    "apiserver",
    "registry",
    "publish",
    "serve",
    "time",
    "settle",
    "module",
    "run",
    "report",
    "steps",
)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, with the help width found without importing :mod:`shutil`.

    argparse builds a help formatter for every ``add_argument`` (to check the metavar), and the
    formatter asks ``shutil.get_terminal_size()``; importing shutil (which imports ``lzma`` and
    ``bz2``) was a fifth of what ``dkp-harness time now`` imports. The width is the same:
    ``$COLUMNS``, else the terminal's, else 80, less 2.
    """

    def _get_formatter(self) -> argparse.HelpFormatter:
        return self.formatter_class(prog=self.prog, width=terminal_columns() - 2)  # type: ignore[call-arg]


def terminal_columns() -> int:
    """What ``shutil.get_terminal_size().columns`` answers, without importing shutil."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every subcommand, or with ``only`` that one when it is a subcommand name."""
    parser = _Parser(
        prog="dkp-harness",
        description="Simulated DKP cluster and conformance harness for DKP module lifecycle.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = (only,) if only in SUBCOMMANDS else SUBCOMMANDS
    for name in names:
        try:
            module = importlib.import_module(f"harness.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"harness.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words[0] if words else None)
    # A subcommand that sets ``pass_through`` (``run``) hands options it does not know, and
    # everything after ``--``, to the tool it drives (pytest) in ``args.extra``.
    head, tail = (
        (words[: words.index("--")], words[words.index("--") + 1 :]) if "--" in words else (words, [])
    )
    args, unknown = parser.parse_known_args(head)
    if getattr(args, "pass_through", False):
        args.extra = [*unknown, *tail]
    elif unknown or tail:
        parser.error(f"unrecognized arguments: {' '.join([*unknown, *tail])}")
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
