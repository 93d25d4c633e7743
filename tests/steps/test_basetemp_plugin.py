"""Old pytest base temp directories leave by rename at session finish, as pytest would delete them."""

from __future__ import annotations

import types
from pathlib import Path

import pytest
from _pytest.tmpdir import TempPathFactory, get_user

from harness import removal
from harness.steps.basetemp_plugin import hand_over_old_basetemps


def _session_config(
    temproot: Path, monkeypatch: pytest.MonkeyPatch, **factory: object
) -> types.SimpleNamespace:
    """A config whose ``_tmp_path_factory`` is pytest's own, making numbered dirs under ``temproot``."""
    monkeypatch.setenv("PYTEST_DEBUG_TEMPROOT", str(temproot))
    options = {"given_basetemp": None, "retention_count": 3, "retention_policy": "all", **factory}
    made = TempPathFactory(trace=lambda *a: None, _ispytest=True, **options)  # type: ignore[arg-type]
    made.getbasetemp()
    return types.SimpleNamespace(_tmp_path_factory=made)


def _earlier_sessions(root: Path, count: int) -> list[Path]:
    made = []
    for number in range(count):
        path = root / f"pytest-{number}"
        (path / "test_x0" / "deep").mkdir(parents=True)
        (path / "test_x0" / "deep" / "file").write_text("x")
        made.append(path)
    return made


def test_the_directories_pytest_would_delete_leave_at_once_and_the_newest_stay(tmp_path, monkeypatch):
    root = tmp_path / f"pytest-of-{get_user() or 'unknown'}"
    root.mkdir(mode=0o700)
    old = _earlier_sessions(root, 5)  # pytest-0 .. pytest-4
    held = old[1]
    (held / ".lock").write_text("")  # another session still running holds it
    config = _session_config(tmp_path, monkeypatch)
    current = config._tmp_path_factory.getbasetemp()
    root = current.parent
    assert current.name == "pytest-5"

    handed = hand_over_old_basetemps(config)

    # pytest keeps the three newest (3, 4 and this session's 5) and would delete 0, 1 and 2; the
    # one another session holds stays.
    assert sorted(p.name for p in handed) == ["pytest-0", "pytest-2"]
    assert sorted(p.name for p in root.iterdir() if p.name[len("pytest-") :].isdigit()) == [
        "pytest-1",
        "pytest-3",
        "pytest-4",
        "pytest-5",
    ]
    removal.finish_removals()  # waits for the detached rm: no polling
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(removal.GONE_PREFIX)]
    # pytest's own clean-up afterwards finds nothing more to delete and raises nothing.
    config._tmp_path_factory._exit_stack.close()
    assert (root / "pytest-1").is_dir() and (root / "pytest-5").is_dir()


def test_a_given_basetemp_is_left_to_pytest(tmp_path, monkeypatch):
    config = _session_config(tmp_path, monkeypatch, given_basetemp=tmp_path / "given")
    assert hand_over_old_basetemps(config) == []


def test_a_config_without_pytests_factory_hands_over_nothing():
    assert hand_over_old_basetemps(types.SimpleNamespace()) == []  # type: ignore[arg-type]


def test_the_root_conftest_loads_the_plugin(pytestconfig):
    assert pytestconfig.pluginmanager.has_plugin("harness.steps.basetemp_plugin")
