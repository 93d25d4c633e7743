"""Companion plugins load as ``pytest_plugins`` would load them, minus an entry-point scan per name."""

from __future__ import annotations

import re

import pytest

pytest_plugins = ["pytester"]

ALL_PLUGINS = True
"""The subject is pytest's plugin loading: the nested runs load every installed plugin as pytest
does (tests.lean_pytester)."""

PLUGIN = """
def pytest_addoption(parser):
    parser.addoption("--{name}-flag", action="store_true")

def pytest_configure(config):
    config._order = getattr(config, "_order", []) + ["{name}"]
"""

PROBE = """
def test_probe(request):
    config = request.config
    print("ORDER", ",".join(config._order))
    print("FLAG", config.getoption("--plug_a-flag"))
"""


def _project(pytester: pytest.Pytester, conftest: str) -> None:
    for name in ("plug_a", "plug_b"):
        pytester.makepyfile(**{name: PLUGIN.replace("{name}", name)})
    pytester.makeconftest(conftest)
    pytester.makepyfile(test_probe=PROBE)
    pytester.syspathinsert()


def _run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[str, list[str]]:
    """The probe's ORDER and FLAG lines, and the names of the entry-point scans made."""
    scanned: list[str] = []
    original = pytest.PytestPluginManager.load_setuptools_entrypoints

    def counting(self: pytest.PytestPluginManager, group: str, name: str | None = None) -> int:
        scanned.append(str(name))
        return original(self, group, name)

    monkeypatch.setattr(pytest.PytestPluginManager, "load_setuptools_entrypoints", counting)
    result = pytester.runpytest_inprocess("-s", "-p", "no:randomly", "-p", "no:cacheprovider", *args)
    assert result.ret == 0, result.stdout.str()
    return " ".join(re.findall(r"(?:ORDER|FLAG) \S+", result.stdout.str())), scanned


def test_companions_load_in_the_order_of_pytest_plugins_with_their_options_and_no_scan(pytester, monkeypatch):
    _project(pytester, 'pytest_plugins = ["plug_a", "plug_b"]\n')
    listed, listed_scans = _run(pytester, monkeypatch, "--plug_a-flag")
    _project(
        pytester,
        "from harness.steps.plugin_loading import companions\n"
        'pytest_plugin_registered = companions(["plug_a", "plug_b"])\n',
    )
    loaded, loaded_scans = _run(pytester, monkeypatch, "--plug_a-flag")

    assert listed == "ORDER plug_b,plug_a FLAG True"
    assert loaded == listed
    assert {"plug_a", "plug_b"} <= set(listed_scans)  # pytest_plugins: one scan per name
    assert not {"plug_a", "plug_b"} & set(loaded_scans), loaded_scans


def test_a_companion_blocked_with_p_no_is_not_loaded(pytester, monkeypatch):
    _project(
        pytester,
        "from harness.steps.plugin_loading import companions\n"
        'pytest_plugin_registered = companions(["plug_a", "plug_b"])\n',
    )
    pytester.makepyfile(
        test_probe="def test_probe(request):\n"
        "    print('ORDER', ','.join(request.config._order))\n"
        "    assert request.config.pluginmanager.get_plugin('plug_a') is None\n"
    )
    probed, _ = _run(pytester, monkeypatch, "-p", "no:plug_a")
    assert probed == "ORDER plug_b"
