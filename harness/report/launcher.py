"""How the plugin knows ``dkp-harness run`` started its pytest, and so speaks for that command.

``dkp-harness run`` sets :data:`LAUNCHER_ENV` in the environment of the pytest it starts. The
plugin then names ``dkp-harness run`` (not ``python -m pytest``) in pytest's own refusals of the
command line, and leaves the run's last line (``report: DIR/conformance.html``, or why there is
none) to the command, which prints it once; run by hand, pytest prints its own.
"""

from __future__ import annotations

import os

__all__ = ["LAUNCHER", "LAUNCHER_ENV", "USAGE", "launched_by_cli"]

LAUNCHER_ENV = "DKP_HARNESS_LAUNCHER"
LAUNCHER = "dkp-harness run"
USAGE = (
    "dkp-harness run [PATH ...] [-k EXPR] [-m EXPR] [--claim ID] [-n N] [--report-dir DIR] "
    "[-- PYTEST_ARGS]\n(dkp-harness run --help lists its options; pytest's own go after --)\n"
)


def launched_by_cli() -> bool:
    """Whether this pytest was started by ``dkp-harness run``."""
    return os.environ.get(LAUNCHER_ENV) == LAUNCHER
