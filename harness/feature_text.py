"""How every part of the harness reads the text of a feature file.

pytest-bdd parses the file, and the tag lint, the step-placement check and the report's tag
locator read its lines again; all of them must see the same text. Feature files are UTF-8, with
or without the byte-order mark some Windows editors write first: read as plain UTF-8, the mark
stays a character before ``Feature:`` (or before the first tag) and the Gherkin parser rejects
the whole file. Cucumber's own readers skip the mark, so ``utf-8-sig`` it is here too.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

__all__ = ["FEATURE_ENCODING", "gherkin_problem", "not_utf8", "read_feature", "real_path", "unreadable_file"]

FEATURE_ENCODING = "utf-8-sig"


def read_feature(path: Path | str) -> str:
    """The text of the feature file at ``path`` (raises ``OSError``/``UnicodeDecodeError``)."""
    return Path(path).read_text(encoding=FEATURE_ENCODING)


def real_path(path: Path | str) -> Path:
    """``path`` made absolute with its symlinks followed, as ``Path.resolve()`` does, but never
    raising: a ``*.feature`` symlink that points at itself (a loop) made ``resolve()`` raise
    ``RuntimeError`` on Python 3.11, and the run ended in an INTERNALERROR and the lint in a
    traceback, where the file is one unreadable feature like any other (``os.path.realpath``
    stops at the loop and keeps the rest of the path)."""
    return Path(os.path.realpath(path))


def unreadable_file(error: OSError) -> str:
    """Why a ``*.feature`` path could not be opened, and what to do about it.

    Every ``*.feature`` name under ``features/`` is read as a feature file, so a folder named
    ``x.feature``, a symlink that loops or points nowhere, or a file the user may not read each
    stands for scenarios that do not run; Python's ``[Errno 21] Is a directory: '/abs/path'`` said
    neither that nor the fix.
    """
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a feature file: rename it so its name does not end in .feature"
    if error.errno == errno.ELOOP:
        return (
            "is a symbolic link that loops (it leads back to itself): point it at a feature file or remove it"
        )
    if isinstance(error, FileNotFoundError):
        return "is a symbolic link to a file that does not exist: point it at a feature file or remove it"
    if isinstance(error, PermissionError):
        return "cannot be read (permission denied): make it readable, e.g. chmod a+r"
    return f"cannot be read: {error.strerror or error}"


def not_utf8(error: UnicodeDecodeError) -> tuple[int, str]:
    """The line of the first byte that is not UTF-8, and what to tell the author about it.

    Python's own message gives a byte offset into the file ("position 1234"), which no editor
    shows; a line and column, and the fix, are what an author can act on.
    """
    data, start = bytes(error.object), error.start
    line = data.count(b"\n", 0, start) + 1
    column = start - (data.rfind(b"\n", 0, start) + 1) + 1
    byte = data[start] if start < len(data) else 0
    return line, (
        f"not UTF-8 text: byte 0x{byte:02x} at line {line}, column {column} cannot be decoded "
        f"({error.reason}); save the file as UTF-8"
    )


_UNEXPECTED = "Unexpected token found"
_EXPECTED = (
    "a line of a feature file starts with a keyword (Feature:, Background:, Rule:, Scenario:,"
    " Scenario Outline:, Examples:, Given, When, Then, And, But), a table row (|), a docstring"
    ' delimiter ("""), a tag (@) or a comment (#): check the keyword\'s spelling and its colon'
)


_CELL_COUNT = re.compile(r"\((?P<line>\d+):\d+\): inconsistent cell count within the table")


def gherkin_problem(message: str) -> str:
    """pytest-bdd's parse error in words an author can act on: its "Unexpected token found.
    Check Gherkin syntax near the reported error." says neither what was found nor what may
    come there, so the line (printed beside it) is explained by what Gherkin takes."""
    if message.startswith(_UNEXPECTED):
        return f"{message.split('.')[0]}: {_EXPECTED}"
    return _ragged_row(message) or message


def _ragged_row(message: str) -> str | None:
    """The Gherkin parser's "Unknown parsing error: Parser errors: (9:7): inconsistent cell count
    within the table", for an Examples row (or any table row) with a cell more or fewer than the
    table's first row, as the fix: the row's line and what to write. A row a cell short is what
    an Outline gets when a column is added to the header and not to every row."""
    found = _CELL_COUNT.search(message)
    if found is None:
        return None
    return (
        f"the table row at line {found['line']} has another number of cells than the table's first "
        "row: give every row a cell for every column of the first (an empty cell is written |  |)"
    )
