"""Hostile deletes: options that do not parse must delete nothing.

A ``deletecollection`` with a forged ``continue``, ``resourceVersion=abc``, a body that is no
DeleteOptions or preconditions the objects fail used to ignore them and delete every object the
selectors matched; a single delete went ahead without the options the client meant.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.hostile.conftest import CM_PATH, Hostile

BATCH = {"batch": "doomed"}
SELECTED = f"{CM_PATH}?labelSelector=batch%3Ddoomed"


@pytest.fixture
def batch(hostile: Hostile) -> list[str]:
    names = [f"doomed-{i}" for i in range(3)]
    for name in names:
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": BATCH}}
        assert hostile.request("POST", CM_PATH, body).status == 201
    yield names  # type: ignore[misc]
    hostile.request("DELETE", SELECTED)


def _left(hostile: Hostile) -> int:
    return len(hostile.request("GET", SELECTED).json()["items"])


@pytest.mark.parametrize(
    ("query", "body", "code"),
    [
        ("&continue=zzz", None, 400),
        ("&resourceVersion=abc", None, 400),
        ("&gracePeriodSeconds=abc", None, 400),
        ("", [1], 400),
        ("", "x", 400),
        ("", {"kind": "ConfigMap", "apiVersion": "v1"}, 400),
        ("", {"gracePeriodSeconds": "30"}, 400),
        ("", {"preconditions": {"uid": "not-theirs"}}, 409),
        ("", {"preconditions": {"resourceVersion": "1"}}, 409),
    ],
    ids=[
        "continue",
        "rv",
        "grace-query",
        "body-array",
        "body-string",
        "body-kind",
        "grace-body",
        "uid",
        "rv-pre",
    ],
)
def test_a_collection_delete_with_unusable_options_deletes_nothing(
    hostile: Hostile, batch: list[str], query: str, body: Any, code: int
):
    status = hostile.request("DELETE", SELECTED + query, body).status_object()
    assert status["code"] == code, status
    assert _left(hostile) == len(batch)
    hostile.assert_healthy()


@pytest.mark.parametrize(
    ("query", "body"),
    [("?gracePeriodSeconds=abc", None), ("", [1]), ("", {"gracePeriodSeconds": True})],
    ids=["grace-query", "body-array", "grace-bool"],
)
def test_a_single_delete_with_unusable_options_deletes_nothing(
    hostile: Hostile, batch: list[str], query: str, body: Any
):
    status = hostile.request("DELETE", f"{CM_PATH}/{batch[0]}{query}", body).status_object()
    assert (status["code"], status["reason"]) == (400, "BadRequest")
    assert _left(hostile) == len(batch)
