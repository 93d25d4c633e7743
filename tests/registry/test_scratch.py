"""The registry scratch area: tmpfs when there is one, no per-file work at stop, leftovers swept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from harness import removal
from harness.registry.backends import scratch


def test_the_scratch_root_is_tmpfs_when_dev_shm_is_writable(monkeypatch):
    monkeypatch.delenv("DKP_HARNESS_SCRATCH", raising=False)
    if os.access("/dev/shm", os.W_OK):
        assert str(scratch.scratch_root()) == "/dev/shm"
    monkeypatch.setenv("DKP_HARNESS_SCRATCH", "/somewhere/else")
    assert str(scratch.scratch_root()) == "/somewhere/else"


def test_discard_moves_the_workdir_out_of_its_path_in_one_step(monkeypatch):
    # An empty trash count: this discard must not be the one that fills the trash and removes it
    # (the registries earlier tests of this process stopped may have counted up to the limit).
    monkeypatch.setattr(scratch, "_trash_count", 0)
    workdir = scratch.make_workdir("dkp-registry-test-")
    (workdir / "storage" / "deep").mkdir(parents=True)
    (workdir / "storage" / "deep" / "blob").write_bytes(b"x")
    assert workdir.parent.name == f"dkp-harness-{os.getpid()}"
    scratch.discard(workdir)
    assert not workdir.exists()
    trashed = [p for p in (workdir.parent / "trash").iterdir() if p.name.startswith(workdir.name)]
    assert len(trashed) == 1
    assert (trashed[0] / "storage" / "deep" / "blob").read_bytes() == b"x"


def test_a_full_trash_is_handed_to_a_background_removal_by_the_discard_that_fills_it(monkeypatch):
    monkeypatch.setattr(scratch, "_trash_count", scratch.TRASH_LIMIT - 1)
    workdir = scratch.make_workdir("dkp-registry-test-")
    (workdir / "storage" / "blob").mkdir(parents=True)
    scratch.discard(workdir)
    assert not workdir.exists()
    assert not (workdir.parent / "trash").exists()  # out of the way at once, by one rename
    assert scratch._trash_count == 0
    root = workdir.parent.parent
    gone = [p for p in root.iterdir() if p.name.startswith(f"dkp-harness-gone-{os.getpid()}-")]
    scratch.finish_removals()  # waits for the rm processes: no polling
    assert not any(p.exists() for p in gone)
    assert removal._removers == []


def test_a_removal_that_cannot_rename_removes_in_place(tmp_path):
    target = tmp_path / "dir"
    (target / "deep").mkdir(parents=True)
    scratch._remove_later(target, tmp_path / "no-such-root")
    assert not target.exists()


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
    dead_pid = dead.stdout.strip()
    dead_parent = tmp_path / f"dkp-harness-{dead_pid}"
    (dead_parent / "dkp-registry-x" / "storage").mkdir(parents=True)
    dead_removal = tmp_path / f"dkp-harness-gone-{dead_pid}-3"  # its rm was killed too
    (dead_removal / "trash").mkdir(parents=True)
    live_parent = tmp_path / f"dkp-harness-{os.getppid()}"
    live_parent.mkdir()
    live_removal = tmp_path / f"dkp-harness-gone-{os.getppid()}-0"
    live_removal.mkdir()
    other = tmp_path / "something-else-1"
    other.mkdir()
    lookalike = tmp_path / "dkp-harness-tls-1"
    lookalike.mkdir()
    scratch._sweep_dead(tmp_path)
    assert not dead_parent.exists() and not dead_removal.exists()
    assert live_parent.exists() and live_removal.exists() and other.exists() and lookalike.exists()


def test_a_process_leaves_no_scratch_behind_at_exit(tmp_path):
    code = (
        "from harness.registry.backends import scratch\n"
        "w = scratch.make_workdir('dkp-registry-t-'); (w / 'f').write_text('x'); print(w.parent)"
    )
    env = {**os.environ, "DKP_HARNESS_SCRATCH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    parent = done.stdout.strip()
    assert parent.startswith(str(tmp_path)) and not os.path.exists(parent)
    # Its files went to a detached rm at exit; whatever that rm has not removed yet belongs to a
    # process that is gone, which the next process's sweep removes.
    pid = parent.rsplit("-", 1)[1]
    left = [p.name for p in tmp_path.iterdir()]
    assert all(name.startswith(f"dkp-harness-gone-{pid}-") for name in left), left
    scratch._sweep_dead(tmp_path)
    assert list(tmp_path.iterdir()) == []
