"""A ``/status`` merge patch that replaces scalar leaves leaves exactly what the general path leaves.

The same generated patches go to two API servers, one with the leaf path (and its repeats,
``harness.apiserver.leaf_repeat``) and one without either: every response (object or error),
every stored version (``resourceVersion``, ``managedFields`` with their times) and every watch
event must be the same.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from harness.api import kinds
from harness.apiserver import ApiServer, handlers, leaf_patch
from harness.apiserver.leaf_repeat import Repeats
from harness.apiserver.schema import StructuralSchema
from harness.clock import VirtualClock
from harness.kube.errors import ApiError

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
SOURCE = {
    "apiVersion": "deckhouse.io/v1alpha1",
    "kind": "ModuleSource",
    "metadata": {"name": "example"},
    "spec": {"registry": {"repo": "registry.example.com/modules", "scheme": "HTTPS"}},
}
STATUS = {
    "syncTime": "2025-03-03T09:00:00Z",
    "message": "",
    "modulesCount": 1,
    "modules": [{"name": "module-one"}],
}

_VALUES = st.one_of(
    st.sampled_from(["", "2025-03-03T09:03:00Z", "Active", "Bogus"]),
    st.integers(-2, 3),
    st.booleans(),
    st.none(),
    st.lists(st.integers(0, 2), max_size=2),
    st.dictionaries(st.sampled_from(["name", "syncTime"]), st.sampled_from(["a", ""]), max_size=2),
)
_FIELDS = st.sampled_from(["syncTime", "message", "modulesCount", "phase", "unknownField", "modules"])
_STATUS_PATCHES = st.dictionaries(_FIELDS, _VALUES, min_size=1, max_size=3).map(lambda s: {"status": s})
_OTHER_PATCHES = st.sampled_from(
    [
        {"status": {"message": "x"}, "metadata": {"labels": {"a": "b"}}},
        {"status": {"$patch": "replace"}},
        {"status": None},
        {"spec": {"registry": {"repo": "other"}}},
    ]
)
_STEPS = st.lists(
    st.tuples(
        st.one_of(_STATUS_PATCHES, _OTHER_PATCHES), st.sampled_from([None, "deckhouse", "kubectl-edit"])
    ),
    min_size=1,
    max_size=6,
)


def _outcome(call: Any) -> Any:
    try:
        return ("object", call())
    except ApiError as exc:
        return ("error", type(exc).__name__, str(exc))


def _history(
    steps: list[tuple[Any, str | None]],
    *,
    leaf_path: bool,
    monkeypatch: pytest.MonkeyPatch,
    status: dict[str, Any] = STATUS,
) -> Any:
    with monkeypatch.context() as patched:
        if not leaf_path:
            patched.setattr(handlers, "_leaf_patch", lambda *args: None)
            patched.setattr(Repeats, "leaves", lambda *args: None)
        clock = VirtualClock(START)
        server = ApiServer(clock)
        try:
            client = server.client()
            events: list[Any] = []
            client.subscribe(
                lambda event: events.append((event.type.value, event.object)), kinds.MODULE_SOURCE
            )
            client.create(kinds.MODULE_SOURCE, SOURCE)
            source = client.get(kinds.MODULE_SOURCE, "example")
            client.update(kinds.MODULE_SOURCE, {**source, "status": status}, subresource="status")
            outcomes = []
            for body, manager in steps:
                clock.advance(timedelta(seconds=1))
                outcomes.append(
                    _outcome(
                        lambda body=body, manager=manager: client.patch(
                            kinds.MODULE_SOURCE, "example", body, subresource="status", field_manager=manager
                        )
                    )
                )
            return outcomes, events, client.get(kinds.MODULE_SOURCE, "example")
        finally:
            server.stop()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_STEPS)
def test_the_leaf_path_leaves_what_the_general_path_leaves(monkeypatch, steps):
    assert _history(steps, leaf_path=True, monkeypatch=monkeypatch) == _history(
        steps, leaf_path=False, monkeypatch=monkeypatch
    )


_REPEATED = st.one_of(
    st.sampled_from(["2025-03-03T09:03:00Z", "2025-03-03T09:06:00Z", "", 7, None]).map(
        lambda at: {"status": {"syncTime": at}}
    ),
    st.tuples(st.sampled_from(["2025-03-03T09:09:00Z", 1.5]), st.sampled_from(["", "x", 2])).map(
        lambda pair: {"status": {"syncTime": pair[0], "message": pair[1]}}
    ),
    st.sampled_from(["Active", "Terminating", "Bogus", 3]).map(lambda phase: {"status": {"phase": phase}}),
)
_REPEAT_STEPS = st.lists(
    st.tuples(
        st.one_of(_REPEATED, _REPEATED, _REPEATED, _STATUS_PATCHES, _OTHER_PATCHES),
        st.sampled_from(["deckhouse", "deckhouse", "deckhouse", None, "kubectl-edit"]),
    ),
    min_size=2,
    max_size=12,
)


_BEAT = ({"status": {"syncTime": "2025-03-03T09:03:00Z"}}, "deckhouse")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_REPEAT_STEPS)
@example([({"status": {"phase": "Terminating"}}, "deckhouse"), ({"status": {"phase": "Bogus"}}, "deckhouse")])
@example([_BEAT, _BEAT, ({"status": {"syncTime": 7}}, "deckhouse"), _BEAT])
@example([_BEAT, ({"status": {"syncTime": "2025-03-03T09:06:00Z"}}, "kubectl-edit"), _BEAT, _BEAT])
@example(
    [
        _BEAT,
        ({"status": {"message": "x"}}, "deckhouse"),
        _BEAT,
        ({"spec": {"registry": {"repo": "o"}}}, None),
        _BEAT,
    ]
)
def test_repeated_leaf_patches_leave_what_the_general_path_leaves(monkeypatch, steps):
    """Runs of the same leaves by the same manager (a heartbeat), broken by other managers, other
    leaves, values of another type or refused by the schema (an enum), and other writes."""
    status = {**STATUS, "phase": "Active"}
    assert _history(steps, leaf_path=True, monkeypatch=monkeypatch, status=status) == _history(
        steps, leaf_path=False, monkeypatch=monkeypatch, status=status
    )


def test_a_heartbeat_after_its_first_write_is_a_repeat(monkeypatch):
    """The first syncTime patch of a manager takes the leaf path; the next ones repeat it."""
    repeats = []
    original = handlers.record_repeat

    def spy(*args, **kwargs):
        repeats.append(kwargs["now"])
        return original(*args, **kwargs)

    monkeypatch.setattr(handlers, "record_repeat", spy)
    beats = [({"status": {"syncTime": f"2025-03-03T09:0{i}:00Z"}}, "deckhouse") for i in range(1, 6)]
    outcomes, _, stored = _history(beats, leaf_path=True, monkeypatch=monkeypatch)
    assert [o[0] for o in outcomes] == ["object"] * 5
    assert repeats == [f"2025-03-03T09:00:0{i}Z" for i in range(2, 6)]
    [entry] = [e for e in stored["metadata"]["managedFields"] if e["manager"] == "deckhouse"]
    assert entry["time"] == "2025-03-03T09:00:05Z" and stored["status"]["syncTime"] == "2025-03-03T09:05:00Z"


def test_a_value_the_schema_refuses_is_not_repeated_but_refused(monkeypatch):
    steps = [({"status": {"phase": "Active"}}, "deckhouse")] * 2 + [
        ({"status": {"phase": "Bogus"}}, "deckhouse")
    ]
    outcomes, _, stored = _history(steps, leaf_path=True, monkeypatch=monkeypatch)
    assert outcomes[2][0] == "error" and outcomes[2][1] == "Invalid", outcomes[2]
    assert 'status.phase: Unsupported value: "Bogus"' in outcomes[2][2]
    assert stored["status"]["phase"] == "Active"


def test_a_sync_time_patch_takes_the_leaf_path(monkeypatch):
    """A heartbeat never reaches the general path's whole-object type check."""
    taken = []
    original = handlers._leaf_patch

    def spy(*args):
        response = original(*args)
        taken.append(response is not None)
        return response

    monkeypatch.setattr(handlers, "_leaf_patch", spy)
    outcomes, _, stored = _history(
        [({"status": {"syncTime": "2025-03-03T09:03:00Z"}}, "deckhouse")],
        leaf_path=True,
        monkeypatch=monkeypatch,
    )
    assert taken == [True]
    assert outcomes[0][0] == "object" and stored["status"]["syncTime"] == "2025-03-03T09:03:00Z"
    times = [
        entry["time"] for entry in stored["metadata"]["managedFields"] if entry["manager"] == "deckhouse"
    ]
    assert times == ["2025-03-03T09:00:01Z"]


_SCHEMA = StructuralSchema(
    {
        "type": "object",
        "properties": {
            "status": {
                "type": "object",
                "properties": {
                    "message": {"type": "string"},
                    "count": {"type": "integer", "default": 3},
                    "nested": {"type": "object", "properties": {"at": {"type": "string"}}},
                },
            }
        },
    }
)


def _current(**status: Any) -> dict[str, Any]:
    return {"apiVersion": "x/v1", "kind": "X", "metadata": {"name": "x"}, "status": status}


def test_leaves_of_a_settled_object_are_found_nested_too():
    current = _current(message="a", count=1, nested={"at": "t0"})
    patch = {"status": {"message": "b", "nested": {"at": "t1"}}}
    assert leaf_patch.leaf_changes(current, patch, _SCHEMA) == [
        (("status", "message"), "b"),
        (("status", "nested", "at"), "t1"),
    ]


@pytest.mark.parametrize(
    ("status", "why"),
    [
        ({"message": "a"}, "a defaulted property is missing: defaulting would add it"),
        ({"message": "a", "count": None}, "a null non-nullable property would be defaulted"),
        ({"message": "a", "count": 1, "stray": "s"}, "an unknown field: pruning would drop it"),
    ],
)
def test_an_unsettled_container_on_the_path_takes_the_general_path(status, why):
    assert leaf_patch.leaf_changes(_current(**status), {"status": {"message": "b"}}, _SCHEMA) is None, why


def test_a_stray_top_level_field_takes_the_general_path():
    current = {**_current(message="a", count=1), "stray": 1}
    assert leaf_patch.leaf_changes(current, {"status": {"message": "b"}}, _SCHEMA) is None
