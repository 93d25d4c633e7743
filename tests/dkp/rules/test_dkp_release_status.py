"""The ModuleRelease status DKP's whole-struct updates store (harness.dkp.rules.release_status)."""

from __future__ import annotations

from harness.dkp.rules.release_status import typed_status


def test_a_first_write_stores_every_field_without_omitempty_at_its_zero_value() -> None:
    assert typed_status(None, {"phase": "Pending", "transitionTime": "2019-10-17T15:33:00Z"}) == {
        "phase": "Pending",
        "approved": False,
        "transitionTime": "2019-10-17T15:33:00Z",
        "message": "",
        "size": 0,
        "pullDuration": "0s",
    }


def test_fields_the_write_does_not_change_keep_their_stored_values() -> None:
    current = {"phase": "Pending", "approved": True, "size": 1024, "pullDuration": "9m15s", "message": "x"}
    assert typed_status(current, {"phase": "Deployed", "message": ""}) == {
        "phase": "Deployed",
        "approved": True,
        "message": "",
        "size": 1024,
        "pullDuration": "9m15s",
    }


def test_an_unset_phase_and_a_zero_transition_time_are_left_out() -> None:
    status = typed_status({"phase": "", "transitionTime": None}, {"approved": True})
    assert "phase" not in status and "transitionTime" not in status
    assert status["approved"] is True
