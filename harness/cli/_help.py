"""Help texts shared by the subcommands: docstrings shown in a terminal.

A subcommand's module docstring doubles as its ``--help`` description, but it is written in
reStructuredText for the API docs; in a terminal ````run```` is noise, so literals become `run`.
"""

from __future__ import annotations

__all__ = ["description"]


def description(doc: str | None) -> str:
    """The docstring after its first paragraph (the one-line synopsis), literals in single backticks."""
    parts = (doc or "").split("\n\n", 1)
    return parts[-1].replace("``", "`")
