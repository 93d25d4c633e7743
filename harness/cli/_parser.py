"""argparse's parser for ``dkp-harness``: refusals exit 4, the help width comes without :mod:`shutil`."""

from __future__ import annotations

import argparse
import os
import re
import sys

from harness.cli._checks import USAGE_ERROR

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from typing import NoReturn

__all__ = ["Parser", "command_meant", "terminal_columns"]


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
        """argparse's usage line and message, with exit code 4 (and the command meant, for an
        unknown one: :func:`command_meant`)."""
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}{command_meant(message)}\n")

    def _get_formatter(self) -> argparse.HelpFormatter:
        return self.formatter_class(prog=self.prog, width=terminal_columns() - 2)  # type: ignore[call-arg]


_INVALID_COMMAND = re.compile(
    r"argument COMMAND: invalid choice: '(?P<given>[^']*)' \(choose from (?P<choices>.*)\)"
)
_OTHER_NAMES = {"lint": "steps --lint", "conformance": "run", "test": "run", "catalogue": "steps"}
"""Words a user reaches for that name another command: ``make conformance`` runs ``dkp-harness
run``, the feature lint is ``steps --lint``."""


def command_meant(message: str) -> str:
    """``; did you mean `dkp-harness steps --lint`?`` for argparse's "invalid choice" of the
    command, ``""`` for any other message or a word like no command.

    ``dkp-harness lint`` answered only "invalid choice: 'lint' (choose from …)"; a mistyped
    ``rnu`` got no nearest command either (argparse suggests only from Python 3.14).
    """
    found = _INVALID_COMMAND.search(message)
    if found is None:
        return ""
    import difflib  # only on this error: the parser is imported by every command's start

    given = found["given"]
    choices = re.findall(r"'([^']*)'", found["choices"])
    meant = _OTHER_NAMES.get(given.lower())
    if meant is None:
        near = difflib.get_close_matches(given, choices, n=1, cutoff=0.6)
        meant = near[0] if near else None
    return f"; did you mean `dkp-harness {meant}`?" if meant else ""


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
