"""The registry scratch area: tmpfs when there is one, no per-file work at stop, leftovers swept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from harness.registry.backends import scratch


def test_the_scratch_root_is_tmpfs_when_dev_shm_is_writable(monkeypatch):
    monkeypatch.delenv("DKP_HARNESS_SCRATCH", raising=False)
    if os.access("/dev/shm", os.W_OK):
        assert str(scratch.scratch_root()) == "/dev/shm"
    monkeypatch.setenv("DKP_HARNESS_SCRATCH", "/somewhere/else")
    assert str(scratch.scratch_root()) == "/somewhere/else"


def test_discard_moves_the_workdir_out_of_its_path_in_one_step():
    workdir = scratch.make_workdir("dkp-registry-test-")
    (workdir / "storage" / "deep").mkdir(parents=True)
    (workdir / "storage" / "deep" / "blob").write_bytes(b"x")
    assert workdir.parent.name == f"dkp-harness-{os.getpid()}"
    scratch.discard(workdir)
    assert not workdir.exists()
    trashed = [p for p in (workdir.parent / "trash").iterdir() if p.name.startswith(workdir.name)]
    assert len(trashed) in (0, 1)  # 0 when this discard happened to empty a full trash


def test_discard_after_the_parent_was_removed_raises_nothing(tmp_path, monkeypatch):
    """A process that imported this module twice (pytester's in-process runs) has two exit hooks;
    when one removed the parent first, the other's registries still stop without an error."""
    parent = tmp_path / "dkp-harness-1"
    workdir = parent / "dkp-registry-x"
    (workdir / "storage").mkdir(parents=True)
    monkeypatch.setattr(scratch, "_parent", parent)
    shutil.rmtree(parent)
    scratch.discard(workdir)
    assert not parent.exists()


def test_parents_of_dead_processes_are_swept_and_live_ones_kept(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_parent = tmp_path / f"dkp-harness-{dead.stdout.strip()}"
    (dead_parent / "dkp-registry-x" / "storage").mkdir(parents=True)
    live_parent = tmp_path / f"dkp-harness-{os.getppid()}"
    live_parent.mkdir()
    other = tmp_path / "something-else-1"
    other.mkdir()
    scratch._sweep_dead(tmp_path)
    assert not dead_parent.exists()
    assert live_parent.exists() and other.exists()


def test_a_process_leaves_no_scratch_behind_at_exit(tmp_path):
    code = (
        "from harness.registry.backends import scratch\n"
        "w = scratch.make_workdir('dkp-registry-t-'); (w / 'f').write_text('x'); print(w.parent)"
    )
    env = {**os.environ, "DKP_HARNESS_SCRATCH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    parent = done.stdout.strip()
    assert parent.startswith(str(tmp_path)) and not os.path.exists(parent)
