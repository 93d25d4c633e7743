"""The ``Accept`` negotiation of :mod:`harness.apiserver.transform`, clause by clause, as
``NegotiateMediaTypeOptions`` (``k8s.io/apiserver/pkg/endpoints/handlers/negotiation``) picks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.apiserver.transform import Target, negotiate

KUBECTL_GET = (
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,"
    "application/json"
)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", None),
        ("application/json", None),
        (KUBECTL_GET, Target("Table", "v1")),
        ("application/json;as=Table;g=meta.k8s.io", None),  # no version: not a conversion it allows
        ("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io", None),  # Table: JSON or YAML
        ("*/*;as=Table;v=v1;g=meta.k8s.io", Target("Table", "v1")),
        ("text/html;as=Table;v=v1;g=meta.k8s.io", None),  # a type it does not serve
        (
            "application/json;as=Table;v=v1;g=meta.k8s.io;q=0.5,"
            "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io",
            Target("PartialObjectMetadata", "v1"),
        ),
        ("application/json;as=Table;v=v1;g=meta.k8s.io;q=0", Target("Table", "v1")),  # ranked last, kept
        ("application/json;q=0,application/json;as=Table;v=v1;g=meta.k8s.io", Target("Table", "v1")),
        ("application/json;stream=watch", None),
    ],
)
def test_the_first_servable_clause_decides(accept, expected):
    assert negotiate(accept) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab/*;=,q.0 1jsonTableg=meta.k8s.iov"), max_size=80))
def test_any_header_is_negotiated_without_an_error(accept):
    target = negotiate(accept)
    assert target is None or target.kind in ("Table", "PartialObjectMetadata", "PartialObjectMetadataList")
