"""The files a sandbox publishes in its state dir are whole or absent, and ``env`` comes last.

Scripts (and the README's sandbox block) wait for ``DIR/env`` and then read the kubeconfig and
``control.json``; a reader that caught a half-written file would load a broken kubeconfig or a
truncated token. These tests pin the write discipline without starting a sandbox.
"""

from __future__ import annotations

import stat
from types import SimpleNamespace

from harness.cli import _sandbox, _statedir
from harness.cli._statedir import STATE_FILES, StateDir, publish_file


def test_a_published_file_is_whole_private_and_leaves_no_part(tmp_path):
    target = tmp_path / "env"
    publish_file(target, "REGISTRY=127.0.0.1:5000\n")
    publish_file(target, "REGISTRY=127.0.0.1:5001\n")  # replaced, not appended or refused
    assert target.read_text() == "REGISTRY=127.0.0.1:5001\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["env"]


def test_a_part_left_by_a_killed_writer_does_not_block_the_next(tmp_path):
    (tmp_path / ".control.json.part").write_text('{"url": "http://127.0.0.1:1", "tok')
    publish_file(tmp_path / "control.json", '{"url": "http://127.0.0.1:2"}')
    assert (tmp_path / "control.json").read_text() == '{"url": "http://127.0.0.1:2"}'
    assert not (tmp_path / ".control.json.part").exists()


def test_leftover_parts_are_cleaned_with_the_state_files(tmp_path):
    for name in STATE_FILES:
        (tmp_path / f".{name}.part").write_text("half")
    (tmp_path / "env").write_text("REGISTRY=x\n")
    state = StateDir(tmp_path)
    state.claim()
    try:
        assert sorted(p.name for p in tmp_path.iterdir() if p.name not in ("serve.lock", "tmp")) == []
    finally:
        state.release()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_env_is_published_after_the_files_it_announces(tmp_path, monkeypatch):
    seen_at_env: list[str] = []

    def publish(path, text):
        if path.name == "env":
            seen_at_env.extend(sorted(p.name for p in tmp_path.iterdir()))
        publish_file(path, text)

    monkeypatch.setattr(_sandbox, "publish_file", publish)
    monkeypatch.setattr(_statedir, "publish_file", publish)
    api = SimpleNamespace(write_kubeconfig=lambda path: path.write_text("apiVersion: v1\n"))
    control = SimpleNamespace(write_state=lambda d: publish(d / "control.json", "{}"))
    sandbox = SimpleNamespace(
        state_dir=tmp_path, cluster=SimpleNamespace(api=api, registry="127.0.0.1:5000"), _control=control
    )
    _sandbox.Sandbox._write_state(sandbox)  # type: ignore[arg-type]
    assert seen_at_env == ["control.json", "kubeconfig"]
    assert (tmp_path / "env").read_text().startswith("REGISTRY=127.0.0.1:5000\n")
