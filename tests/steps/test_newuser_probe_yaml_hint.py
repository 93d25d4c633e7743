"""A new user's docstring with `spec:` indented one space off read, in the run and the lint,
"while parsing a block mapping … expected <block end>, but found '<block mapping start>'": the
place was right, the words were PyYAML's parser states. The message now goes on with what such
an error means in a docstring and what to change; a tab and a second ': ' on a line likewise."""

from __future__ import annotations

import pytest

from harness.steps.documents import DocumentError, Origin, parse_documents

ORIGIN = Origin("the step's docstring", "features/first/first.feature", 12)


def _message(text: str) -> str:
    with pytest.raises(DocumentError) as refused:
        parse_documents(text, origin=ORIGIN)
    return str(refused.value)


def test_a_line_indented_off_says_to_line_it_up():
    message = _message("metadata:\n  name: module-one\n spec:\n  enabled: true\n")
    assert 'in "features/first/first.feature", line 14' in message, "PyYAML's own place stays"
    assert message.rstrip().endswith(
        "(line 14 is indented unlike the lines above it: the keys of one mapping, and the items of "
        "one list, start in the same column; a nested one starts further right)"
    )


def test_a_tab_says_to_indent_with_spaces():
    message = _message("metadata:\n\tname: module-one\n")
    assert message.rstrip().endswith("(line 13 has a tab: YAML is indented with spaces only)")


def test_a_second_colon_says_to_quote_the_value():
    message = _message("metadata:\n  name: module-one\nstatus:\n  message: waiting: approval\n")
    assert message.rstrip().endswith(
        "(line 15 has a second ': ' after its key: quote the value, e.g. message: \"a: b\", or put the "
        "nested key on a line of its own, further right)"
    )


def test_other_yaml_errors_are_left_as_pyyaml_words_them():
    message = _message("a: [1, 2\n")
    assert "expected ',' or ']'" in message and "(line" not in message.splitlines()[-1]
