"""argparse's parser for ``dkp-harness``: refusals exit 4, the help width comes without :mod:`shutil`."""

from __future__ import annotations

import argparse
import os
import sys

from harness.cli._checks import USAGE_ERROR

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from typing import NoReturn

__all__ = ["Parser", "terminal_columns"]


class Parser(argparse.ArgumentParser):
    """argparse's parser, exiting 4 on a bad command line, with the help width found without :mod:`shutil`.

    argparse exits 2 on a command line it refuses, the code the README gives an interrupted run;
    every ``dkp-harness`` command exits :data:`~harness.cli._checks.USAGE_ERROR` (4) instead, as
    for the values it checks itself, so a script tells "you called it wrong" from the rest. The
    subcommands' parsers are of this class too (``add_subparsers`` makes children of the parent's).

    argparse builds a help formatter for every ``add_argument`` (to check the metavar), and the
    formatter asks ``shutil.get_terminal_size()``; importing shutil (which imports ``lzma`` and
    ``bz2``) was a fifth of what ``dkp-harness time now`` imports. The width is the same:
    ``$COLUMNS``, else the terminal's, else 80, less 2.
    """

    def error(self, message: str) -> NoReturn:
        """argparse's usage line and message, with exit code 4."""
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")

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
