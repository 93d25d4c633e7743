"""A real-cluster run given a plain-HTTP registry without --registry-scheme http stops before any
scenario, with the option that fixes it (every scenario errored one by one at its first push)."""

from __future__ import annotations

import socket

import pytest

from harness.target.registry_probe import plain_http_problem

pytestmark = pytest.mark.registry


@pytest.fixture
def plain_http_registry(pooled_registry):
    return pooled_registry.address


def test_a_plain_http_registry_asked_for_over_https_names_the_option(plain_http_registry):
    problem = plain_http_problem(f"{plain_http_registry}/deckhouse/modules", "https")
    assert problem == (
        f"the registry {plain_http_registry} speaks plain HTTP (http: server gave HTTP response to HTTPS"
        " client): add --registry-scheme http"
    )


def test_the_right_scheme_or_a_registry_that_does_not_answer_is_left_to_the_run(plain_http_registry):
    assert plain_http_problem(plain_http_registry, "http") is None
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    assert plain_http_problem(f"127.0.0.1:{port}", "https") is None
