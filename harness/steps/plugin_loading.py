"""Load a plugin's companion pytest plugins by module name, without pytest's entry-point scan.

pytest (9.x) treats every name in a ``pytest_plugins`` list as a possible entry-point name: before
it imports the module, it reads the entry points of every installed distribution (~7.5 ms with
this project's ~85 distributions). The harness loads 15 plugin modules that way, so every pytest
process (the xdist controller and workers, each nested or in-process run the tests make) spent
~0.1 s learning that none of them is an entry point.

:func:`companions` builds the ``pytest_plugin_registered`` hook a plugin module (or conftest)
declares instead of ``pytest_plugins``. pytest calls that hook right after it registered the
module and right before it would have read the module's ``pytest_plugins``; the hook then loads
the companions with the plugin manager's own ``import_plugin``, minus the scan: assertion
rewriting is set up before the import, a name blocked with ``-p no:`` is skipped, one already
registered is left alone, and the companions register in the list's order. So the plugins and the
order of their hooks are what ``pytest_plugins`` gave, options included (``pytest_addoption`` is
replayed for late plugins).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

__all__ = ["companions"]


def companions(names: Sequence[str]) -> Callable[[object, pytest.PytestPluginManager], None]:
    """The ``pytest_plugin_registered`` hook that loads ``names`` once its own module registered."""
    names = tuple(names)

    def pytest_plugin_registered(plugin: object, manager: pytest.PytestPluginManager) -> None:
        # The hook also hears of every other plugin; only its own module's registration counts.
        if getattr(plugin, "pytest_plugin_registered", None) is not pytest_plugin_registered:
            return
        for name in names:
            manager.import_plugin(name)

    return pytest_plugin_registered
