"""The ``dkp-harness`` command.

Each subcommand lives in its own module ``harness.cli.<name>`` exposing
``register(subparsers) -> None``, which adds a parser whose default ``func`` takes the parsed
arguments and returns the exit code. Registration must stay cheap: heavy imports go inside ``func``.

When the first argument names a subcommand, only that subcommand's module is imported and
registered: ``dkp-harness time now`` should cost little more than starting Python.

Exit codes shared by every command: 4 for a command line it refuses (argparse's refusals
included, :class:`harness.cli._parser.Parser`), 130 for Ctrl-C, and 141 when the reader of its
output went away (``dkp-harness steps | head``): it stops quietly, as a Unix tool killed by
SIGPIPE does, and ``set -o pipefail`` still sees that the output was cut.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    import argparse

__all__ = ["main"]

BROKEN_PIPE = 141
"""What a shell reports for a command SIGPIPE ended (128 + 13), e.g. ``yes`` in ``yes | head``."""

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

# What a new user reaches for first; `dkp-harness COMMAND --help` has the rest.
EPILOG = """\
first steps (from the project root, after `make setup` and `. .venv/bin/activate`):
  dkp-harness run                            every scenario; writes reports/conformance.html
  dkp-harness run features/approval          one folder (file.feature:LINE: one scenario)
  dkp-harness steps                          the step catalogue; `steps --lint` checks features
  dkp-harness steps approve                  only the steps that mention "approve"
  dkp-harness serve --state-dir DIR &        a simulated DKP cluster for kubectl;
                                             once it prints "ready": set -a; . DIR/env; set +a
  dkp-harness time --state-dir DIR advance 3m    move the sandbox's virtual time

`dkp-harness COMMAND --help` explains a command; README.md and docs/authoring.md the rest.
"""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every subcommand, or with ``only`` that one when it is a subcommand name."""
    import argparse

    from harness.cli._parser import Parser

    parser = Parser(
        prog="dkp-harness",
        description="Simulated DKP cluster and conformance harness for DKP module lifecycle.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
    """Run ``dkp-harness`` with ``argv`` (default: the process's arguments); returns the exit code."""
    try:
        return _main(argv)
    except BrokenPipeError:
        if not _reader_gone():
            raise  # another pipe or socket broke: a real error, with its traceback
        return BROKEN_PIPE


def _reader_gone() -> bool:
    """True when stdout is a pipe whose reader went away (``dkp-harness steps | head``).

    Python ignores SIGPIPE, so a write to a closed pipe raises instead of ending the process, and
    the traceback (plus a second one when Python flushes stdout at exit) is noise: the reader got
    what it wanted. Only when stdout itself is the broken pipe (the kernel reports POLLERR on its
    write end) is stdout pointed at /dev/null, so that last flush has somewhere to go.
    """
    import select

    try:
        stdout = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no file descriptor (captured in-process)
        return False
    poller = select.poll()
    poller.register(stdout, select.POLLOUT)
    if not any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0)):
        return False
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, stdout)
    os.close(devnull)
    return True


def _main(argv: Sequence[str] | None) -> int:
    from harness.cli._checks import USAGE_ERROR

    words = list(sys.argv[1:] if argv is None else argv)
    quick = time_command_words(words)
    if quick is not None:
        from harness.cli import time as time_command

        return time_command.run(quick)  # type: ignore[arg-type]
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
        _command_parser(parser, args).error(f"unrecognized arguments: {' '.join([*unknown, *tail])}")
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return USAGE_ERROR
    try:
        return int(func(args))
    except KeyboardInterrupt:
        return 130


def _command_parser(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The parser of the subcommand ``args`` were parsed for, else ``parser``: a refusal of
    ``steps --lint --bogus`` shows the usage of ``steps``, not the list of every command."""
    import argparse

    for action in parser._subparsers._group_actions if parser._subparsers else []:
        if isinstance(action, argparse._SubParsersAction):
            chosen: argparse.ArgumentParser | None = action.choices.get(getattr(args, "command", None) or "")
            if chosen is not None:
                return chosen
    return parser


def time_command_words(words: Sequence[str]) -> SimpleNamespace | None:
    """``time [--state-dir DIR | --state-dir=DIR] now|advance V|set V`` read without argparse, else None.

    Scripts call ``dkp-harness time`` in loops, and importing and building argparse was a fifth of
    its cost. Only these plain spellings are read here, into what the ``time`` parser would give;
    anything else (help, abbreviations, ``--``, a value starting with ``-``, a missing or unknown
    word) goes through argparse as before, with its messages.
    """
    if not words or words[0] != "time":
        return None
    state: str | None = None
    rest: list[str] = []
    index = 1
    while index < len(words):
        word = words[index]
        if word == "--state-dir" and index + 1 < len(words) and not words[index + 1].startswith("-"):
            state, index = words[index + 1], index + 2
            continue
        if word.startswith("--state-dir="):
            state = word.partition("=")[2]
        elif word.startswith("-"):
            return None
        else:
            rest.append(word)
        index += 1
    if not state or not rest or rest[0] not in ("now", "advance", "set"):
        return None
    return SimpleNamespace(command="time", state_dir=Path(state), action=rest[0], value=rest[1:])


if __name__ == "__main__":
    sys.exit(main())
