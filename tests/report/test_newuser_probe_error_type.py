"""The HTML report's "could not check" line read "did not pass: harness.steps.errors.ScenarioError:
unknown phase …": the Python module path of the exception, where the terminal shows
"ScenarioError: unknown phase …". The report's message now names the type as the terminal does."""

from __future__ import annotations

import pytest

from harness.report.plugin import error_text
from harness.steps.errors import ScenarioError


def _excinfo(exc: BaseException) -> pytest.ExceptionInfo[BaseException]:
    try:
        raise exc
    except BaseException:  # noqa: BLE001 - any exception, as pytest catches it
        return pytest.ExceptionInfo.from_current()


def test_a_harness_exception_is_named_without_its_module_path():
    text = error_text(_excinfo(ScenarioError("unknown phase 'Availble'")))
    assert text == "ScenarioError: unknown phase 'Availble'"


def test_builtin_and_multiline_messages_are_kept():
    assert error_text(_excinfo(AssertionError("a\nb"))) == "AssertionError: a\nb"
    assert error_text(_excinfo(KeyError("k"))) == "KeyError: 'k'"
