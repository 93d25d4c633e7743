"""The ModuleRelease status DKP's whole-struct updates store (harness.dkp.rules.release_status)."""

from __future__ import annotations

from harness.dkp.rules.release_status import status_patch, typed_status


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


def test_from_v1_78_an_empty_message_and_a_zero_size_are_left_out() -> None:
    """``omitempty`` on both (goldens of the release suite at 049a95cf); the bool and the
    duration struct are still written."""
    assert typed_status(None, {"phase": "Deployed", "message": ""}, omit_empty=True) == {
        "phase": "Deployed",
        "approved": False,
        "pullDuration": "0s",
    }


def test_from_v1_78_a_set_message_and_size_are_still_written() -> None:
    status = typed_status({"size": 1024}, {"phase": "Pending", "message": "waiting"}, omit_empty=True)
    assert status["message"] == "waiting" and status["size"] == 1024


def test_the_patch_deletes_a_stored_empty_message_and_size_the_update_would_drop() -> None:
    current = {"phase": "Pending", "approved": False, "message": "waiting", "size": 0, "pullDuration": "0s"}
    patch = status_patch(current, {"phase": "Deployed", "message": ""}, omit_empty=True)
    expected = {"phase": "Deployed", "approved": False, "pullDuration": "0s", "message": None, "size": None}
    assert patch == expected


def test_before_v1_78_the_patch_is_the_typed_status() -> None:
    current = {"phase": "Pending", "message": "waiting"}
    change = {"phase": "Deployed", "message": ""}
    assert status_patch(current, change) == typed_status(current, change)
