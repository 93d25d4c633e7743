"""Step docstrings are read with libyaml when PyYAML has it, with PyYAML's own words on an error."""

from __future__ import annotations

import pytest
import yaml

from harness.steps.documents import DocumentError, parse_documents


def test_documents_read_the_same_as_with_safe_load():
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  on: yes\n  nn: '010'\n"
        "  when: 2024-12-16\n---\nkind: Other\nlist: [1, 2.5, null, true]\n"
    )
    expected = [d for d in yaml.safe_load_all(text) if d is not None]
    expected[0]["data"] = {
        "true": True,
        "nn": "010",
        "when": "2024-12-16",
    }  # key on: JSON's "true"; a timestamp stays its text, as go-yaml hands it to an interface{}
    assert parse_documents(text) == expected


def test_a_yaml_error_names_line_and_column_as_pyyaml_does():
    text = "kind: ConfigMap\nmetadata:\n  name: a\n   bad: indent\n"
    with pytest.raises(yaml.YAMLError) as pure:
        list(yaml.safe_load_all(text))
    with pytest.raises(DocumentError) as ours:
        parse_documents(text)
    # PyYAML's message, then what it means (tests/steps/test_newuser_probe_yaml_hint.py)
    assert str(ours.value).startswith(f"the step's docstring is not valid YAML: {pure.value}\n  (line 4 ")
    assert "line 4, column 7" in str(ours.value)
