"""A protobuf body for a custom resource, answered as apiextensions-apiserver 1.32 answers it.

The CR handler's serializers list protobuf (so it is no ``415``), but that entry has no strict
serializer, and the create and update handlers decode with the strict one unless
``fieldValidation=Ignore`` (``fieldValidation`` defaults to ``Warn``): the decoder they build
holds nothing and the request panics, which the panic filter answers with a plain-text 500. With
``Ignore``, the protobuf decoder reads the envelope and fails on the unstructured target."""

from __future__ import annotations

import pytest

from .conftest import widget

WIDGETS = "/apis/example.com/v1alpha2/widgets"
PROTOBUF = {"Content-Type": "application/vnd.kubernetes.protobuf"}
PANIC = "This request caused apiserver to panic. Look in the logs for details.\n"
MAGIC = b"k8s\x00"
ENVELOPE = MAGIC + b"\x0a\x1e\x0a\x14example.com/v1alpha2\x12\x06Widget\x12\x02\x0a\x00"
"""``runtime.Unknown``: typeMeta (apiVersion, kind), raw (an empty message)."""


@pytest.mark.parametrize("query", ["", "?fieldValidation=Strict", "?fieldValidation=Warn"])
def test_a_protobuf_create_panics_the_handler_and_stores_nothing(http, query):
    answer = http.post(f"{WIDGETS}{query}", content=ENVELOPE, headers=PROTOBUF)
    assert (answer.status_code, answer.text) == (500, PANIC)
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert http.get(WIDGETS).json()["items"] == []


def test_a_protobuf_update_panics_too(http):
    assert http.post(WIDGETS, json=widget("a")).status_code == 201
    answer = http.put(f"{WIDGETS}/a", content=ENVELOPE, headers=PROTOBUF)
    assert (answer.status_code, answer.text) == (500, PANIC)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            ENVELOPE,
            'Widget in version "v1alpha2" cannot be handled as a Widget: '
            "Object 'Kind' is missing in 'object has no kind field '",
        ),
        (
            b'{"kind":"Widget"}',
            "the object provided is unrecognized (must be of type Widget): provided data does not"
            ' appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"Widget"})',
        ),
        (MAGIC, "the object provided is unrecognized (must be of type Widget): empty body (6b387300)"),
    ],
)
def test_with_field_validation_ignored_the_decoder_refuses_it(http, body, message):
    answer = http.post(f"{WIDGETS}?fieldValidation=Ignore", content=body, headers=PROTOBUF)
    assert (answer.status_code, answer.json()["message"]) == (400, message)


def test_a_bad_field_validation_is_still_the_options_422(http):
    answer = http.post(f"{WIDGETS}?fieldValidation=Bogus", content=ENVELOPE, headers=PROTOBUF)
    assert answer.status_code == 422
