"""argparse's parser for ``dkp-harness``, with the help width found without importing :mod:`shutil`."""

from __future__ import annotations

import argparse
import os
import sys

__all__ = ["Parser", "terminal_columns"]


class Parser(argparse.ArgumentParser):
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
