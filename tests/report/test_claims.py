from __future__ import annotations

import pytest
import yaml

from harness.report.claims import CatalogueError, load_catalogue, parse_catalogue


def _doc(claims_yaml, **changes):
    data = yaml.safe_load(claims_yaml)
    data.update(changes)
    return data


def test_a_valid_catalogue_loads_in_file_order_with_deviation_notes(tmp_path, claims_yaml):
    path = tmp_path / "claims.yaml"
    path.write_text(claims_yaml)
    catalogue = load_catalogue(path)
    assert [c.id for c in catalogue.claims] == ["MS-01", "MS-03", "EN-02", "EN-04", "DKP-01"]
    assert catalogue.get("MS-03").deviation.startswith("the controller writes an empty message")
    assert catalogue.get("DKP-01").kind == "dkp"


def test_a_missing_catalogue_says_where_it_looked_and_how_to_fix_it(tmp_path):
    with pytest.raises(CatalogueError, match=r"not found at .*claims.yaml; create it or pass --claims FILE"):
        load_catalogue(tmp_path / "claims.yaml")


def test_a_catalogue_that_is_not_yaml_gets_pyyamls_message_with_line_and_column(tmp_path, claims_yaml):
    path = tmp_path / "claims.yaml"
    broken = claims_yaml.replace("claims:", "claims: [", 1)
    path.write_text(broken)
    with pytest.raises(yaml.YAMLError) as pure:
        yaml.safe_load(broken)
    with pytest.raises(CatalogueError) as ours:
        load_catalogue(path)
    assert str(ours.value) == f"{path}: not valid YAML: {pure.value}"
    assert "line " in str(ours.value) and "column " in str(ours.value)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(version=2), r"'version' must be 1"),
        (lambda d: d.update(claims=[]), r"'claims' must be a non-empty list"),
        (lambda d: d["claims"].append(dict(d["claims"][0])), r"claim id MS-01 appears twice"),
        (
            lambda d: d["claims"][1].update(kind="doc"),
            r"claims\[1\] \(MS-03\): kind must be one of page, dkp",
        ),
        (lambda d: d["claims"][2].update(id="ms 2"), r"claims\[2\] \(ms 2\): id must look like 'MS-01'"),
        (lambda d: d["claims"][0].pop("claim"), r"claims\[0\] \(MS-01\): 'claim' must be a non-empty string"),
        (lambda d: d["claims"][0].update(deviation=""), r"deviation must be a non-empty string or null"),
        (lambda d: d.pop("page"), r"'page' must be a mapping"),
    ],
)
def test_a_malformed_catalogue_names_the_entry_and_the_rule(mutate, message, claims_yaml):
    data = _doc(claims_yaml)
    mutate(data)
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(data, source="fixtures/claims.yaml")


def test_page_anchors_link_to_the_published_page_and_other_anchors_do_not(catalogue):
    page = catalogue.page
    assert page.link("#module-source") == (
        "https://deckhouse.io/products/kubernetes-platform/documentation/v1/module-development/run/#module-source"
    )
    assert page.link("#x", base="https://docs.example/") == "https://docs.example/module-development/run/#x"
    assert page.link("§5.2") is None


def test_a_catalogue_path_that_is_a_directory_says_so(tmp_path):
    with pytest.raises(
        CatalogueError, match=r"is a directory; pass --claims FILE with the catalogue's YAML file"
    ):
        load_catalogue(tmp_path)
