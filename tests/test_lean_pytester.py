"""tests.lean_pytester: in-process nested runs load only the installed plugins they can use."""

from __future__ import annotations

import os
import re

import pytest

pytest_plugins = ["pytester"]

MODULES = (
    "pytest_bdd.plugin",
    "xdist.plugin",
    "pytest_randomly",
    "_hypothesis_pytestplugin",
    "anyio.pytest_plugin",
    "pytest_timeout",
)
"""The installed plugins' modules, by which the probe finds them under any registered name."""

PROBE = (
    f"MODULES = {MODULES!r}\n"
    + """
def test_probe(request):
    loaded = {getattr(plugin, "__name__", None) for plugin in request.config.pluginmanager.get_plugins()}
    for name in MODULES:
        print("PLUGIN", name, name in loaded)
"""
)


def _loaded(result: pytest.RunResult) -> dict[str, bool]:
    found = re.findall(r"PLUGIN (\S+) (True|False)", result.stdout.str())
    return {name: flag == "True" for name, flag in found}


def test_an_in_process_run_loads_the_plugins_a_nested_project_uses_and_no_other(pytester):
    pytester.makepyfile(test_probe=PROBE)
    result = pytester.runpytest_inprocess("-s", "-p", "no:cacheprovider")
    assert result.ret == 0, result.stdout.str()
    assert _loaded(result) == {
        "pytest_bdd.plugin": True,
        "xdist.plugin": True,
        "pytest_randomly": True,
        "_hypothesis_pytestplugin": False,
        "anyio.pytest_plugin": False,
        "pytest_timeout": False,
    }
    assert "PYTEST_DISABLE_PLUGIN_AUTOLOAD" not in os.environ  # only for the run itself
    assert "PYTEST_PLUGINS" not in os.environ
