"""A typo in a step's table is the scenario's mistake: it names the column meant, and the report
counts the scenario as "could not check", never as a claim DKP does not meet."""

from __future__ import annotations

import pytest

from harness.report.status import Status, failure_status
from harness.steps.library.assertions import releases_are
from harness.steps.library.registry import publish
from harness.steps.tables import TableError


class _NoWorld:
    """Any use of the world fails the test: a bad table must be refused before it touches the cluster."""

    def __getattr__(self, name):
        raise AssertionError(f"the step used world.{name} before checking its table")


def _refusal(step, table) -> TableError:
    with pytest.raises(TableError) as caught:
        step(_NoWorld(), table) if step is publish else step(_NoWorld(), "module-one", table)
    assert failure_status(caught.value) is Status.ERROR
    return caught.value


def test_a_mistyped_module_table_column_names_the_column_meant():
    error = _refusal(publish, [["modul", "version"], ["module-one", "v0.7.23"]])
    assert "unknown column 'modul'" in str(error)
    assert "did you mean 'module'?" in str(error)


def test_a_module_row_without_a_version_says_what_a_row_needs():
    error = _refusal(publish, [["module", "version"], ["module-one", ""]])
    assert "needs a module and a version" in str(error)


def test_a_weight_that_is_not_a_number_is_refused_with_an_example():
    error = _refusal(publish, [["module", "version", "weight"], ["module-one", "v0.7.23", "heavy"]])
    assert "weight cell 'heavy' is not a whole number" in str(error)


def test_a_mistyped_release_column_is_refused_instead_of_never_checked():
    error = _refusal(releases_are, [["name", "phse"], ["module-one-v0.7.23", "Deployed"]])
    assert "unknown column 'phse'" in str(error)
    assert "did you mean 'phase'?" in str(error)


def test_a_release_table_without_names_is_refused():
    error = _refusal(releases_are, [["phase"], ["Deployed"]])
    assert "needs a name column" in str(error)
