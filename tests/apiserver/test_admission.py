"""Validating admission: a registered webhook sees creates and updates and can deny them."""

from __future__ import annotations

import re

import pytest

from harness.apiserver.admission import AdmissionReview
from harness.kube.errors import Forbidden
from tests.apiserver.conftest import WIDGET, widget


def only_one_red(review: AdmissionReview) -> str | None:
    if review.obj["spec"].get("repo") != "red":
        return None
    others = [o for o in review.existing() if o["metadata"]["name"] != review.obj["metadata"]["name"]]
    return "one red widget at most" if any(o["spec"].get("repo") == "red" for o in others) else None


def test_a_denied_create_is_refused_with_the_webhooks_name_and_nothing_is_stored(server, client):
    server.admission.register(WIDGET.group, WIDGET.plural, "widgets.example.com", only_one_red)
    client.create(WIDGET, widget("a", repo="red"))
    with pytest.raises(
        Forbidden, match=re.escape('admission webhook "widgets.example.com" denied the request: one red')
    ):
        client.create(WIDGET, widget("b", repo="red"))
    assert [o["metadata"]["name"] for o in client.list(WIDGET)] == ["a"]


def test_updates_are_reviewed_with_the_old_object_and_an_allowed_write_goes_through(server, client):
    seen: list[tuple[str, str | None]] = []

    def record(review: AdmissionReview) -> str | None:
        seen.append((review.operation, (review.old or {}).get("spec", {}).get("repo")))
        return only_one_red(review)

    server.admission.register(WIDGET.group, WIDGET.plural, "widgets.example.com", record)
    client.create(WIDGET, widget("a", repo="red"))
    client.create(WIDGET, widget("b", repo="blue"))
    with pytest.raises(Forbidden):
        client.patch(WIDGET, "b", {"spec": {"repo": "red"}})
    assert client.get(WIDGET, "b")["spec"]["repo"] == "blue"
    client.patch(WIDGET, "a", {"spec": {"repo": "green"}})
    assert seen == [("CREATE", None), ("CREATE", None), ("UPDATE", "blue"), ("UPDATE", "red")]


def test_other_kinds_are_not_reviewed(server, client):
    server.admission.register("other.example.com", WIDGET.plural, "x", lambda review: "never")
    client.create(WIDGET, widget("a"))
