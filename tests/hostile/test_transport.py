"""Hostile HTTP framing: what is read before authentication, size limits, timeouts, odd methods."""

from __future__ import annotations

import socket

import pytest

from tests.hostile.conftest import AUTH, CM_PATH, TOKEN, Hostile, parse_raw

LIMIT = 3 * 1024 * 1024
HUGE = 200 * 1024 * 1024


def _head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *[f"{k}: {v}" for k, v in headers.items()]]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _send_huge_after_answer(hostile: Hostile, head: bytes, chunked: bool) -> tuple[bytes, int]:
    """Send the headers, read the answer, then try to push 200 MB: returns (answer, bytes accepted)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", hostile.port), timeout=10) as sock:
        sock.sendall(head)
        answer = sock.recv(65536)
        block = b"x" * (1024 * 1024)
        frame = f"{len(block):x}\r\n".encode() + block + b"\r\n" if chunked else block
        try:
            while sent < HUGE:
                sock.sendall(frame)
                sent += len(block)
        except OSError:
            pass
    return answer, sent


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_an_unauthenticated_200mb_body_is_refused_from_the_headers_alone(hostile, chunked):
    framing = {"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(HUGE)}
    head = _head("POST", CM_PATH, {"Content-Type": "application/json", **framing})
    answer, sent = _send_huge_after_answer(hostile, head, chunked)
    reply = parse_raw(answer)
    assert reply.status == 401
    assert reply.status_object()["reason"] == "Unauthorized"
    # The server closed the connection instead of reading: far less than 200 MB got through.
    assert sent < HUGE
    hostile.assert_healthy()


def test_an_authenticated_body_over_the_limit_is_a_413_before_it_is_read(hostile):
    head = _head("POST", CM_PATH, {**AUTH, "Content-Type": "application/json", "Content-Length": str(HUGE)})
    answer, sent = _send_huge_after_answer(hostile, head, chunked=False)
    status = parse_raw(answer).status_object()
    assert status["code"] == 413
    assert status["reason"] == "RequestEntityTooLarge"
    assert status["message"] == f"Request entity too large: limit is {LIMIT}"
    assert sent < HUGE
    hostile.assert_healthy()


def test_a_chunked_body_is_cut_off_at_the_limit(hostile):
    head = _head(
        "POST", CM_PATH, {**AUTH, "Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    )
    block = b"x" * (1024 * 1024)
    body = (f"{len(block):x}\r\n".encode() + block + b"\r\n") * 4 + b"0\r\n\r\n"
    status = parse_raw(hostile.raw(head + body)).status_object()
    assert (status["code"], status["reason"]) == (413, "RequestEntityTooLarge")
    hostile.assert_healthy()


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", " 12x", "99999999999999999999999999"])
def test_a_malformed_content_length_is_a_400(hostile, length):
    head = _head("POST", CM_PATH, {**AUTH, "Content-Type": "application/json", "Content-Length": length})
    reply = parse_raw(hostile.raw(head + b"{}"))
    if length.startswith("9"):
        assert reply.status_object()["reason"] == "RequestEntityTooLarge"
    else:
        status = reply.status_object()
        assert (status["code"], status["reason"]) == (400, "BadRequest")
        assert "Content-Length" in status["message"]
    hostile.assert_healthy()


@pytest.mark.parametrize("size_line", [b"zz", b"-5", b"", b"1" * 40])
def test_a_bad_chunk_size_is_a_400(hostile, size_line):
    head = _head(
        "POST", CM_PATH, {**AUTH, "Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    )
    status = parse_raw(hostile.raw(head + size_line + b"\r\n{}\r\n0\r\n\r\n")).status_object()
    assert (status["code"], status["reason"]) == (400, "BadRequest")
    hostile.assert_healthy()


def test_a_half_sent_body_does_not_hold_the_connection(hostile):
    head = _head("POST", CM_PATH, {**AUTH, "Content-Type": "application/json", "Content-Length": "100"})
    # The server gives up after its read timeout (0.3 s here) and closes without an answer.
    assert hostile.raw(head + b'{"apiVersion"') == b""
    hostile.assert_healthy()


@pytest.mark.parametrize("payload", [b"", b"GET /version HTTP/1.1\r\nHost: x\r\n"], ids=["idle", "half-head"])
def test_an_idle_or_half_sent_request_is_closed_after_the_timeout(hostile, payload):
    assert hostile.raw(payload) == b""
    hostile.assert_healthy()


def test_options_is_a_405_status_and_needs_a_token_first(hostile):
    denied = hostile.request("OPTIONS", CM_PATH, auth=False)
    assert denied.status_object()["reason"] == "Unauthorized"
    refused = hostile.request("OPTIONS", CM_PATH)
    status = refused.status_object()
    assert (status["code"], status["reason"]) == (405, "MethodNotAllowed")


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "BREW"])
def test_any_other_method_gets_a_status_not_an_html_page(hostile, method):
    reply = parse_raw(hostile.answer(_head(method, CM_PATH, AUTH)))
    assert reply.status == 405
    assert reply.status_object()["reason"] == "MethodNotAllowed"


def test_a_garbage_request_line_gets_a_status(hostile):
    reply = parse_raw(hostile.raw(b"\x16\x03\x01 not http at all\r\n\r\n"))
    assert reply.status == 400
    reply.status_object()
    hostile.assert_healthy()


def test_an_oversized_header_is_a_431_status(hostile):
    head = _head("GET", CM_PATH, {**AUTH, "X-Big": "a" * 70_000})
    reply = parse_raw(hostile.raw(head))
    assert reply.status == 431
    reply.status_object()
    hostile.assert_healthy()


def test_a_wrong_token_with_a_body_gets_401_and_nothing_is_stored(hostile):
    body = b'{"metadata":{"name":"sneaky"},"data":{"a":"b"}}'
    reply = hostile.request("POST", CM_PATH, body, headers={"Authorization": f"Bearer {TOKEN}x"}, auth=False)
    assert reply.status_object()["reason"] == "Unauthorized"
    assert hostile.request("GET", f"{CM_PATH}/sneaky").status == 404


def test_expect_100_continue_is_not_granted_before_authentication_or_over_the_limit(hostile):
    head = _head(
        "POST",
        CM_PATH,
        {"Content-Type": "application/json", "Content-Length": "10", "Expect": "100-continue"},
    )
    answer = parse_raw(hostile.raw(head, read_all=False))
    assert answer.status == 401  # no "100 Continue" first
    head = _head(
        "POST",
        CM_PATH,
        {**AUTH, "Content-Type": "application/json", "Content-Length": str(HUGE), "Expect": "100-continue"},
    )
    status = parse_raw(hostile.raw(head, read_all=False)).status_object()
    assert status["reason"] == "RequestEntityTooLarge"
    hostile.assert_healthy()
