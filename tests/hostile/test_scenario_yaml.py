"""Hostile YAML in a scenario's docstrings and files: every refusal names the file and the line.

parse_documents is what every step that writes or compares objects reads YAML with; the origin
is where the docstring sits in its feature file.
"""

from __future__ import annotations

import pytest

from harness.steps.documents import DocumentError, Origin, parse_documents

ORIGIN = Origin("the step's docstring", "features/x/x.feature", first_line=10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "kind: ConfigMap\n---\n- 1\n- 2\n",
            "YAML document 2 at features/x/x.feature:12 is a list, not an object",
        ),
        ("just a text\n", "YAML document 1 at features/x/x.feature:10 is a text, not an object"),
        ("kind: A\n---\n---\n42\n", "YAML document 2 at features/x/x.feature:13 is a number, not an object"),
    ],
)
def test_a_document_that_is_no_object_is_named_by_its_line(text, expected):
    with pytest.raises(DocumentError) as caught:
        parse_documents(text, origin=ORIGIN)
    assert expected in str(caught.value)
    assert "one Kubernetes object" in str(caught.value)


def test_a_key_written_twice_is_refused_as_kubectl_refuses_it():
    """PyYAML kept the last one silently: this docstring created the ConfigMap "b"."""
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n"
    with pytest.raises(DocumentError) as caught:
        parse_documents(text, origin=ORIGIN)
    message = str(caught.value)
    assert "writes the key 'name' twice in one mapping at features/x/x.feature:14" in message
    assert 'key "name" already set in map' in message


def test_equal_keys_in_different_mappings_and_merge_keys_are_fine():
    text = "base: &b {x: 1}\na: {name: nm, <<: *b}\nb: {name: nm, <<: *b}\nlist: [{k: 1}, {k: 2}]\n"
    assert parse_documents(text)[0]["a"] == {"name": "nm", "x": 1}


def test_a_duplicate_deep_in_a_list_is_found():
    text = "spec:\n  items:\n  - a: 1\n  - a: 1\n    b: 2\n    a: 3\n"
    with pytest.raises(DocumentError, match=r"'a' twice in one mapping at its line 6"):
        parse_documents(text)


@pytest.mark.parametrize("text", ["---\n", "---\n# nothing yet\n---\n"])
def test_a_docstring_of_only_separators_says_it_holds_no_object(text):
    # It said "the step needs a YAML docstring (between \"\"\" lines) below it", of a step that had one.
    with pytest.raises(DocumentError, match="the step's docstring holds no object") as caught:
        parse_documents(text, origin=ORIGIN)
    assert "needs a YAML docstring" not in str(caught.value)


def test_an_empty_docstring_still_asks_for_one():
    with pytest.raises(DocumentError, match="needs a YAML docstring"):
        parse_documents("", origin=ORIGIN)
