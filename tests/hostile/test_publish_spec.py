"""Hostile publish specs and repositories: refused whole, before the first image is pushed.

A spec is checked by :func:`harness.registry.spec.load` before any operation runs; these tests
need no registry: a spec that gets past the checks would fail on the unreachable address, and the
checks' messages say which field is wrong and how to write it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.cli import _checks, main
from harness.registry import spec
from harness.registry.layout import ModuleVersion


@pytest.fixture
def cli(capsys, monkeypatch):
    monkeypatch.delenv(_checks.AUTH_ENV, raising=False)

    def run(*args: str) -> tuple[int, str]:
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        return code, capsys.readouterr().err

    return run


def _spec(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("{weight: heavy}", "versions.v1.0.0: weight must be a whole number, e.g. 910, got 'heavy'"),
        ("{weight: true}", "weight must be a whole number"),
        ("{weight: 99999999999999999999}", "weight 99999999999999999999 is out of range: use 0..9999"),
        ("{settingsSchema: [1]}", "settingsSchema must be a mapping, e.g. {type: object}, got list"),
        ("{changelog: text}", "changelog must be a mapping"),
        ("{hookError: {a: 1}}", "hookError must be the failing hook's message text, got dict"),
        (
            "{requirements: {deckhouse: 5}}",
            'requirements must map names to constraints, e.g. {deckhouse: ">= 1.60"}',
        ),
        ("{channels: [nightly]}", "unknown release channel 'nightly'"),
    ],
)
def test_a_field_of_the_wrong_type_is_named_never_a_traceback(tmp_path, version, expected):
    path = _spec(tmp_path, f"modules:\n  module-one:\n    versions:\n      v1.0.0: {version}\n")
    with pytest.raises(spec.SpecError) as caught:
        spec.load(path)
    assert expected in str(caught.value)
    assert str(caught.value).startswith("modules.module-one.versions.v1.0.0: ")


def test_a_bad_second_module_stops_the_spec_before_the_first_is_pushed():
    """The whole spec is checked first: a channel error of module-b used to surface only after
    module-a's four images were in the registry."""
    document = {
        "modules": {
            "module-a": {"versions": {"v1.0.0": {"channels": ["stable"]}}},
            "module-b": {"versions": {"v1.0.0": {"channels": ["nightly"]}}},
        }
    }
    with pytest.raises(
        spec.SpecError, match=r"modules\.module-b\.versions\.v1\.0\.0: unknown release channel"
    ):
        spec.load(document)
    broken = {"modules": {"module-a": {"versions": {"v1.0.0": {}}, "releasesWithoutVersion": ["nightly"]}}}
    with pytest.raises(spec.SpecError, match=r"releasesWithoutVersion: unknown release channel 'nightly'"):
        spec.load(broken)


@pytest.mark.parametrize("name", ["../../etc", "Module_One", "a b", "-lead", ""])
def test_a_module_name_that_is_no_tag_is_refused(name):
    with pytest.raises(spec.SpecError, match="is not a lowercase kebab-case name"):
        spec.load({"modules": {name: {"versions": {"v1.0.0": {}}}}})


@pytest.mark.parametrize("repo", ["UPPER/../x", "a b", "x//y", "../etc", "deck/Modules"])
def test_a_repository_that_is_no_registry_path_is_refused_in_a_spec_and_on_the_command_line(
    cli, tmp_path, repo
):
    with pytest.raises(spec.SpecError, match="is not a registry path"):
        spec.load({"repo": repo, "modules": {}})
    code, err = cli(
        "publish", "--registry", "127.0.0.1:1", "--repo", repo, "--module", "m", "--version", "v1.0.0"
    )
    assert code == 4
    assert "is not a registry path" in err and "e.g. deckhouse/modules" in err


def test_slashes_around_a_repository_are_still_taken():
    spec.load({"repo": "/deckhouse/modules/", "modules": {}})


def test_a_spec_that_is_not_utf8_names_the_line_and_column(tmp_path):
    path = _spec(tmp_path, b'modules:\n  module-one:\n    versions: {v1.0.0: {hookError: "\xff"}}\n')
    with pytest.raises(spec.SpecError) as caught:
        spec.load(path)
    assert "not UTF-8 text: byte 0xff at line 3, column 37" in str(caught.value)
    assert "save it as UTF-8" in str(caught.value)


def test_a_spec_with_a_byte_order_mark_is_read(tmp_path):
    path = _spec(tmp_path, "\ufeffmodules:\n  module-one:\n    versions: {v1.0.0: {}}\n".encode())
    assert len(spec.load(path)) == 1


def test_publish_of_a_bad_spec_exits_1_without_a_traceback(cli, tmp_path):
    path = _spec(
        tmp_path, yaml.safe_dump({"modules": {"module-one": {"versions": {"v1.0.0": {"hookError": [1]}}}}})
    )
    code, err = cli("publish", "--registry", "127.0.0.1:1", "--spec", str(path))
    assert code == 1
    assert "hookError must be the failing hook's message text, got list" in err
    assert "Traceback" not in err


def test_a_directory_given_as_spec_is_called_a_directory(cli, tmp_path):
    code, err = cli("publish", "--registry", "127.0.0.1:1", "--spec", str(tmp_path))
    assert code == 4
    assert "is a directory" in err


def test_module_version_refuses_wrong_types_for_every_caller():
    with pytest.raises(ValueError, match="settingsSchema must be a mapping"):
        ModuleVersion("m", "v1.0.0", settings_schema=[1])  # type: ignore[arg-type]
