from __future__ import annotations

import pytest

from harness.report.status import Status, failure_status
from harness.steps.tables import MissingRow, TableError, parse_kubectl_table, rows_as_dicts

APPROVAL = "Release is waiting for the 'modules.deckhouse.io/approved: \"true\"' annotation"
MR_OUTPUT = (
    "NAME                 PHASE        UPDATE POLICY           TRANSITIONTIME   MESSAGE\n"
    "module-one-v0.7.23   Superseded                           33h\n"
    "module-one-v0.7.24   Deployed                             33h\n"
    f"module-1-v1.23.2     Pending      example-update-policy   3m               {APPROVAL}\n"
)

MODULE_OUTPUT = """\
NAME         WEIGHT   SOURCE    PHASE       ENABLED   READY
module-one                      Available   False     False
module-two   910      example   Ready       True      True
"""


def test_a_header_column_with_a_space_stays_one_column():
    table = parse_kubectl_table(MR_OUTPUT)
    assert table.columns == ["NAME", "PHASE", "UPDATE POLICY", "TRANSITIONTIME", "MESSAGE"]


def test_blank_cells_are_read_as_empty_strings():
    row = parse_kubectl_table(MR_OUTPUT).row("module-one-v0.7.24")
    assert row == {
        "NAME": "module-one-v0.7.24",
        "PHASE": "Deployed",
        "UPDATE POLICY": "",
        "TRANSITIONTIME": "33h",
        "MESSAGE": "",
    }


def test_the_last_column_keeps_the_spaces_of_a_message():
    row = parse_kubectl_table(MR_OUTPUT).row("module-1-v1.23.2")
    assert row["UPDATE POLICY"] == "example-update-policy"
    assert row["MESSAGE"] == APPROVAL


def test_blank_cells_in_the_middle_do_not_shift_later_columns():
    row = parse_kubectl_table(MODULE_OUTPUT).row("module-one")
    assert (row["WEIGHT"], row["SOURCE"], row["PHASE"], row["READY"]) == ("", "", "Available", "False")


def test_an_unknown_row_name_lists_the_rows_there_are_as_an_expectation_not_met():
    """A row that is not there is the cluster's, not the table's: "not met", retried on a real
    cluster (it was a TableError: "could not check", never retried)."""
    with pytest.raises(MissingRow, match="module-one, module-two") as caught:
        parse_kubectl_table(MODULE_OUTPUT).row("module-three")
    assert isinstance(caught.value, AssertionError) and failure_status(caught.value) is Status.FAILED


def test_empty_output_is_an_error():
    with pytest.raises(TableError, match="printed nothing"):
        parse_kubectl_table("\n")


def test_a_datatable_becomes_one_dict_per_row():
    table = [["name", "phase"], ["a", "Deployed "], [" b", ""]]
    assert rows_as_dicts(table) == [{"name": "a", "phase": "Deployed"}, {"name": "b", "phase": ""}]


def test_an_empty_datatable_asks_for_a_header():
    with pytest.raises(TableError, match="header row"):
        rows_as_dicts([])
