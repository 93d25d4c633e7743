from __future__ import annotations

import pytest

from harness.apiserver.label_selectors import parse_label_selector
from harness.kube.selectors import FieldSelector, SelectorError

LABELS = {"app": "deckhouse", "tier": "control", "module": "m1"}


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("", True),
        ("app=deckhouse", True),
        ("app==deckhouse", True),
        ("app!=deckhouse", False),
        ("app=other", False),
        ("tier in (control, data)", True),
        ("tier in (data)", False),
        ("tier notin (data)", True),
        ("missing notin (data)", True),
        ("module", True),
        ("!module", False),
        ("!missing", True),
        ("app=deckhouse,tier in (control),!missing", True),
        ("app=deckhouse,missing", False),
    ],
)
def test_label_selector_matches_like_kubernetes(selector, expected):
    assert parse_label_selector(selector).matches(LABELS) is expected


@pytest.mark.parametrize("bad", ["app=(x", "a b c", "tier in (bad value!)"])
def test_bad_label_selector_is_rejected_with_the_term(bad):
    with pytest.raises(SelectorError):
        parse_label_selector(bad)


def test_field_selector_on_name_and_namespace():
    obj = {"metadata": {"name": "a", "namespace": "ns"}}
    assert FieldSelector.parse("metadata.name=a").matches(obj)
    assert not FieldSelector.parse("metadata.name!=a").matches(obj)
    assert FieldSelector.parse("metadata.namespace==ns,metadata.name=a").matches(obj)
    assert FieldSelector.parse("metadata.name=a").wanted_name == "a"


def test_field_selector_on_other_fields_is_refused():
    with pytest.raises(SelectorError, match=r'"status\.phase" is not a known field selector'):
        FieldSelector.parse("status.phase=Running")
