"""In-process pytester runs that load only the installed plugins such a run can use.

An in-process run (``runpytest``/``runpytest_inprocess``/``inline_run``; ~130 in the suite: the
report, step-library and authoring tests run whole nested projects that way) builds a new
``Config`` each time, and pytest loads every installed ``pytest11`` entry point into it: it reads
the entry points of every installed distribution, registers pytest-xdist (two plugins),
hypothesis, anyio, pytest-timeout and pytest-randomly with their options and fixtures (pytest 9
inspects every attribute of every plugin for fixtures), then reads the metadata of each plugin's
distribution to print the ``plugins:`` header line. None of the nested projects uses hypothesis,
anyio or pytest-timeout, and most block pytest-randomly in their own ini: together that was ~20 ms
of a ~65 ms run.

So an in-process run here has autoloading off (``PYTEST_DISABLE_PLUGIN_AUTOLOAD``) and gets, by
``PYTEST_PLUGINS``, the installed plugins a nested project can use: pytest-bdd (every nested
project is a feature-file project, and the harness's plugins are written for it), pytest-xdist
(``-n 0`` and the report's xdist hooks) and pytest-randomly (the order nested projects that do not
block it get). Only for the run itself: runs in a subprocess (``runpytest_subprocess``, the
``dkp-harness run`` command's pytest) keep the whole environment, as a user's run has it.

A test whose subject is plugin loading itself (an entry-point scan, ``-p`` handling) marks its
module with ``ALL_PLUGINS = True`` and gets pytest's own loading.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

__all__ = ["IN_PROCESS_PLUGINS", "lean"]

IN_PROCESS_PLUGINS = ("pytest_bdd.plugin", "xdist.plugin", "xdist.looponfail", "pytest_randomly")
"""The modules of the installed plugins a nested project can use, as their entry points name them."""


def lean(pytester: pytest.Pytester) -> pytest.Pytester:
    """``pytester`` whose in-process runs load only :data:`IN_PROCESS_PLUGINS` of the installed ones."""
    inline_run: Callable[..., Any] = pytester.inline_run

    def lean_inline_run(*args: Any, **kwargs: Any) -> Any:
        saved = {name: os.environ.get(name) for name in ("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "PYTEST_PLUGINS")}
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        os.environ["PYTEST_PLUGINS"] = ",".join(IN_PROCESS_PLUGINS)
        try:
            return inline_run(*args, **kwargs)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    pytester.inline_run = lean_inline_run  # type: ignore[method-assign]
    return pytester
