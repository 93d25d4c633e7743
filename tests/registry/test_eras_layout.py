"""Today's module layout: accessibility in module.yaml, SQL validations in the module image."""

from __future__ import annotations

import pytest
import yaml

from harness.registry.layout import ModuleVersion
from harness.registry.spec import SpecError, load

ACCESS = {
    "_default": {"available": True, "enabledInBundles": ["Default", "Managed"]},
    "ce": {"available": False},
}
GATE = (
    "ASSERT NOT EMPTY (SELECT deckhouseEdition FROM v_d8_platform WHERE deckhouseEdition IN ('ee')) "
    "FAIL 'E' 'ee only';"
)


def test_accessibility_lands_in_module_yaml_of_module_and_release_images() -> None:
    module = ModuleVersion("echo", "v1.0.0", accessibility=ACCESS)
    expected = {"name": "echo", "accessibility": {"editions": ACCESS}}
    assert yaml.safe_load(module.definition()) == expected
    assert yaml.safe_load(module.release_files()["module.yaml"]) == expected
    assert yaml.safe_load(module.module_files()["module.yaml"]) == expected


def test_validations_become_release_validations_files_of_the_module_image_only() -> None:
    module = ModuleVersion("echo", "v1.0.0", validations={"10_edition.sql": GATE, "20_empty.sql": ""})
    files = module.module_files()
    assert files["release/validations/10_edition.sql"] == GATE.encode()
    assert files["release/validations/20_empty.sql"] == b""
    assert not any(name.startswith("release/") for name in module.release_files())


def test_without_them_the_page_era_layout_is_unchanged() -> None:
    module = ModuleVersion("echo", "v1.0.0", weight=910)
    assert yaml.safe_load(module.definition()) == {"name": "echo", "weight": 910}
    assert not any(name.startswith("release/") for name in module.module_files())


@pytest.mark.parametrize(
    ("accessibility", "message"),
    [
        ({}, "accessibility must map edition names"),
        ({"ee": "yes"}, "accessibility.ee must be a mapping"),
        ({"ee": {"availble": True}}, r"accessibility.ee: unknown keys \['availble'\]"),
        ({"ee": {"available": "yes"}}, "accessibility.ee.available must be true or false"),
        ({"ee": {"enabledInBundles": "Default"}}, "enabledInBundles must be a list of bundle names"),
    ],
)
def test_bad_accessibility_is_refused_with_the_entry_named(accessibility: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ModuleVersion("echo", "v1.0.0", accessibility=accessibility)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["check.txt", "../x.sql", "sub/x.sql", ".sql"])
def test_validation_files_must_be_plain_sql_file_names(name: str) -> None:
    with pytest.raises(ValueError, match=r"must be a plain file name ending in \.sql"):
        ModuleVersion("echo", "v1.0.0", validations={name: GATE})


def test_the_spec_form_takes_both_as_module_defaults_and_checks_them_before_publishing() -> None:
    ops = load(
        {
            "modules": {
                "echo": {"accessibility": ACCESS, "validations": {"10.sql": GATE}, "versions": {"v1.0.0": {}}}
            }
        }
    )
    assert [op.description for op in ops] == ["echo v1.0.0 on no channel"]
    bad = {"modules": {"echo": {"versions": {"v1.0.0": {"accessibility": {"ee": {"available": 1}}}}}}}
    with pytest.raises(SpecError, match=r"modules.echo.versions.v1.0.0: accessibility.ee.available must be"):
        load(bad)
