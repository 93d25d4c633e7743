"""``pods/exec`` on the wire: the WebSocket upgrade, the channel protocol and the refusals.

A hand-written client (plain sockets, frames masked as a client must) checks what kubectl and the
``kubernetes`` client rely on: the handshake answer, the empty first message, the output channels,
the Status on channel 3, the close, a pong for a ping, and the 400s for what cannot be upgraded.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.apiserver import ApiServer, websocket
from harness.apiserver.remotecommand import ExecCall, ExecResult
from harness.clock import VirtualClock

from .conftest import TEST_CRDS

POD = {
    "metadata": {"name": "p", "namespace": "ns"},
    "spec": {
        "nodeName": "node-0",
        "containers": [{"name": "main", "image": "i"}, {"name": "side", "image": "i"}],
    },
}


@pytest.fixture
def served() -> Iterator[tuple[ApiServer, list[ExecCall]]]:
    calls: list[ExecCall] = []

    def runner(call: ExecCall) -> ExecResult:
        calls.append(call)
        if call.command[0] == "fail":
            return ExecResult(stdout=b"partial\n", stderr=b"went wrong\n", exit_code=3)
        if call.command[0] == "missing":
            return ExecResult(error='exec: "missing": executable file not found')
        if call.command[0] == "boom":
            raise RuntimeError("the runner broke")
        return ExecResult(stdout=b"line one\nline two\n", stderr=b"a warning\n")

    server = ApiServer(VirtualClock(), crd_dir=TEST_CRDS, token="t")
    server.start()
    server.client().create(server.client().resolve("v1", "Namespace"), {"metadata": {"name": "ns"}})
    server.client().create(server.client().resolve("v1", "Pod"), dict(POD), namespace="ns")
    server.set_exec_runner(runner)
    yield server, calls
    server.stop()


def _request(server: ApiServer, query: list[tuple[str, str]], headers: dict[str, str]) -> socket.socket:
    address = urlsplit(server.url)
    sock = socket.create_connection((address.hostname, address.port), timeout=10)
    lines = [f"GET /api/v1/namespaces/ns/pods/p/exec?{urlencode(query)} HTTP/1.1", f"Host: {address.netloc}"]
    lines += [f"{k}: {v}" for k, v in {"Authorization": "Bearer t", **headers}.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return sock


def _upgrade_headers(protocols: str = "v5.channel.k8s.io, v4.channel.k8s.io") -> dict[str, str]:
    return {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-Websocket-Version": "13",  # Go's canonical spelling: header names are case-insensitive
        "Sec-Websocket-Key": base64.b64encode(os.urandom(16)).decode(),
        "Sec-Websocket-Protocol": protocols,
    }


def _head(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        assert chunk, data
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    status_line, *header_lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in header_lines)}
    return int(status_line.split()[1]), headers, rest


def _reader(sock: socket.socket, rest: bytes):
    buffer = bytearray(rest)

    def read(n: int) -> bytes:
        while len(buffer) < n:
            chunk = sock.recv(65536)
            if not chunk:
                break
            buffer.extend(chunk)
        taken = bytes(buffer[:n])
        del buffer[:n]
        return taken

    return read


def _server_frames(read) -> list[tuple[int, bytes]]:
    """Frames until the server's close; server frames are unmasked (read here by hand)."""
    frames = []
    while True:
        head = read(2)
        assert len(head) == 2, frames
        opcode, length = head[0] & 0x0F, head[1] & 0x7F
        assert not head[1] & 0x80, "a server frame must not be masked"
        if length == 126:
            length = int.from_bytes(read(2), "big")
        elif length == 127:
            length = int.from_bytes(read(8), "big")
        frames.append((opcode, read(length)))
        if opcode == websocket.CLOSE:
            return frames


COMMAND = [("command", "tool"), ("command", "--flag"), ("command", "")]


def test_the_upgrade_answers_the_key_and_the_first_offered_protocol_then_streams_the_result(served):
    server, calls = served
    headers = _upgrade_headers("v4.channel.k8s.io, v5.channel.k8s.io")
    query = [*COMMAND, ("container", "side"), ("stdout", "true"), ("stderr", "true")]
    sock = _request(server, query, headers)
    status, answer, rest = _head(sock)
    assert status == 101
    assert answer["upgrade"] == "websocket" and answer["connection"] == "Upgrade"
    assert answer["sec-websocket-accept"] == websocket.accept_key(headers["Sec-Websocket-Key"])
    assert answer["sec-websocket-protocol"] == "v4.channel.k8s.io"
    read = _reader(sock, rest)
    frames = _server_frames(read)
    sock.sendall(websocket.encode_frame(websocket.CLOSE, b"\x03\xe8", mask=b"abcd"))
    assert frames == [
        (websocket.BINARY, b"\x01"),  # the empty first message, on stdout
        (websocket.BINARY, b"\x01line one\nline two\n"),
        (websocket.BINARY, b"\x02a warning\n"),
        (websocket.BINARY, b'\x03{"metadata":{},"status":"Success"}'),
        (websocket.CLOSE, b"\x03\xe8"),
    ]
    assert read(1) == b""  # the server closed the connection after the client's close
    sock.close()
    assert calls == [ExecCall("ns", "p", "side", ("tool", "--flag", ""), stdout=True, stderr=True)]


def test_a_non_zero_exit_is_a_failure_status_with_the_exit_code_as_its_cause(served):
    server, _ = served
    query = [("command", "fail"), ("command", "x"), ("container", "main"), ("stdout", "1"), ("stderr", "1")]
    sock = _request(server, query, _upgrade_headers())
    status, answer, rest = _head(sock)
    assert (status, answer["sec-websocket-protocol"]) == (101, "v5.channel.k8s.io")
    frames = _server_frames(_reader(sock, rest))
    sock.close()
    error = json.loads(frames[-2][1][1:])
    assert error == {
        "metadata": {},
        "status": "Failure",
        "message": (
            "command terminated with non-zero exit code: error executing command [fail x], exit code 3"
        ),
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": "3"}]},
    }
    assert frames[1:3] == [(websocket.BINARY, b"\x01partial\n"), (websocket.BINARY, b"\x02went wrong\n")]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("missing", 'exec: "missing": executable file not found'),
        ("boom", "RuntimeError: the runner broke"),
    ],
)
def test_a_command_that_cannot_start_is_an_internal_error_status(served, command, message):
    server, _ = served
    sock = _request(
        server, [("command", command), ("container", "main"), ("stdout", "1")], _upgrade_headers()
    )
    _, _, rest = _head(sock)
    frames = _server_frames(_reader(sock, rest))
    sock.close()
    error = json.loads(frames[-2][1][1:])
    assert (error["reason"], error["code"]) == ("InternalError", 500)
    assert error["message"] == f"Internal error occurred: error executing command in container: {message}"


def test_with_a_tty_the_output_is_one_stream_with_terminal_line_ends(served):
    server, _ = served
    query = [("command", "tool"), ("container", "main"), ("stdout", "1"), ("stdin", "1"), ("tty", "1")]
    sock = _request(server, query, _upgrade_headers())
    sock.sendall(websocket.encode_frame(websocket.BINARY, b'\x04{"Width":80,"Height":24}', mask=b"size"))
    _, _, rest = _head(sock)
    read = _reader(sock, rest)
    frames = _server_frames(read)
    sock.close()
    assert frames[1] == (websocket.BINARY, b"\x01line one\r\nline two\r\na warning\r\n")


def test_the_clients_stdin_and_pings_are_read_after_the_answer_and_a_ping_gets_its_pong(served):
    server, _ = served
    query = [("command", "tool"), ("container", "main"), ("stdout", "1"), ("stdin", "1")]
    sock = _request(server, query, _upgrade_headers())
    sock.sendall(websocket.encode_frame(websocket.BINARY, b"\x00typed input\n", mask=b"\x01\x02\x03\x04"))
    sock.sendall(websocket.encode_frame(websocket.BINARY, b"\xff\x00", mask=b"wxyz"))  # v5: stdin closed
    sock.sendall(websocket.encode_frame(websocket.PING, b"are you there", mask=b"mask"))
    _, _, rest = _head(sock)
    read = _reader(sock, rest)
    frames = _server_frames(read)
    head = read(2)
    assert head == bytes([0x80 | websocket.PONG, len(b"are you there")])
    assert read(len(b"are you there")) == b"are you there"
    sock.sendall(websocket.encode_frame(websocket.CLOSE, b"", mask=b"abcd"))
    assert read(1) == b""
    sock.close()
    assert frames[-2][1] == b'\x03{"metadata":{},"status":"Success"}'


@pytest.mark.parametrize(
    ("headers", "query", "code", "message"),
    [
        ({}, [("command", "tool"), ("container", "main"), ("stdout", "1")], 400, "Upgrade request required"),
        (
            {"Connection": "Upgrade", "Upgrade": "SPDY/3.1"},
            [("command", "tool"), ("container", "main"), ("stdout", "1")],
            400,
            "serves exec over WebSocket only, not SPDY/3.1",
        ),
        (
            _upgrade_headers("channel.k8s.io, base64.channel.k8s.io"),
            [("command", "tool"), ("container", "main"), ("stdout", "1")],
            400,
            "none of the subprotocols offered (channel.k8s.io, base64.channel.k8s.io) is served",
        ),
        (
            _upgrade_headers(),
            [("command", "tool"), ("stdout", "1")],
            400,
            "a container name must be specified for pod p, choose one of: [main side]",
        ),
        (
            _upgrade_headers(),
            [("command", "tool"), ("container", "nope"), ("stdout", "1")],
            400,
            "container nope is not valid for pod p",
        ),
        (_upgrade_headers(), [("container", "main"), ("stdout", "1")], 400, "at least one command"),
        (
            {**_upgrade_headers(), "Sec-Websocket-Key": "ключ"},
            [("command", "tool"), ("container", "main"), ("stdout", "1")],
            400,
            "a Sec-WebSocket-Key of 16 bytes in base64",
        ),
        (
            {**_upgrade_headers(), "Sec-Websocket-Key": "c2hvcnQ="},
            [("command", "tool"), ("container", "main"), ("stdout", "1")],
            400,
            "a Sec-WebSocket-Key of 16 bytes in base64",
        ),
        (
            _upgrade_headers(),
            [("command", "tool"), ("container", "main")],
            400,
            "you must specify at least 1 of stdin, stdout, stderr",
        ),
    ],
)
def test_what_cannot_be_upgraded_gets_a_status_saying_why(served, headers, query, code, message):
    server, calls = served
    sock = _request(server, query, headers)
    status, answer, rest = _head(sock)
    body = rest
    while len(body) < int(answer["content-length"]):
        body += sock.recv(4096)
    sock.close()
    assert status == code
    assert message in json.loads(body)["message"]
    assert calls == []


def test_exec_into_a_pod_that_does_not_exist_is_not_found(served):
    server, _ = served
    address = urlsplit(server.url)
    sock = socket.create_connection((address.hostname, address.port), timeout=10)
    sock.sendall(
        b"POST /api/v1/namespaces/ns/pods/gone/exec?command=x&stdout=1 HTTP/1.1\r\n"
        b"Authorization: Bearer t\r\nContent-Length: 0\r\n\r\n"
    )
    status, _, _ = _head(sock)
    sock.close()
    assert status == 404


def test_the_accept_key_is_the_rfcs_example():
    assert websocket.accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


@given(
    payload=st.one_of(
        st.binary(max_size=200),
        # the 7-bit, 16-bit and 64-bit length encodings at their edges (RFC 6455 section 5.2)
        st.sampled_from([125, 126, 65535, 65536, 70000]).map(lambda n: (bytes(range(256)) * 300)[:n]),
    ),
    mask=st.binary(min_size=4, max_size=4),
    opcode=st.sampled_from([websocket.BINARY, websocket.TEXT, websocket.PING, websocket.CLOSE]),
)
def test_a_masked_frame_of_any_length_reads_back_as_sent(payload, mask, opcode):
    if opcode >= websocket.CLOSE:
        payload = payload[:125]  # a control frame's limit (section 5.5)
    data = websocket.encode_frame(opcode, payload, mask=mask)
    offset = 0

    def read(n: int) -> bytes:
        nonlocal offset
        offset += n
        return data[offset - n : offset]

    frame = websocket.read_frame(read)
    assert frame == websocket.Frame(opcode, payload, True)
    assert websocket.read_frame(read) is None  # then the connection's end


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (websocket.encode_frame(websocket.BINARY, b"x"), "must be masked"),
        (bytes([0x82, 0xFF]) + (2**21).to_bytes(8, "big") + b"mask", "larger than this server reads"),
        (websocket.encode_frame(websocket.BINARY, b"abcdef", mask=b"mask")[:-2], "ended inside a frame"),
        (websocket.encode_frame(websocket.PING, b"p" * 126, mask=b"mask"), "at most 125 bytes"),
        (bytes([0x09, 0x80]) + b"mask", "never fragmented"),  # a ping without FIN
    ],
)
def test_a_frame_this_server_does_not_read_is_refused_with_the_reason(data, message):
    stream = iter([data])
    buffer = bytearray()

    def read(n: int) -> bytes:
        while len(buffer) < n:
            chunk = next(stream, b"")
            if not chunk:
                break
            buffer.extend(chunk)
        taken = bytes(buffer[:n])
        del buffer[:n]
        return taken

    with pytest.raises(websocket.FrameError, match=message):
        websocket.read_frame(read)


def test_a_v5_client_with_stdin_is_answered_once_its_first_frame_says_its_streams_exist(served):
    """kubectl creates its streams while it already reads: output or a close arriving first is
    lost ("error: closed all streams"). Its first frame (here v5's close of stdin) comes after."""
    server, _ = served
    ready = threading.Event()
    seen: list[bool] = []
    server.set_exec_runner(lambda call: seen.append(ready.is_set()) or ExecResult(stdout=b"ok\n"))
    query = [("command", "tool"), ("container", "main"), ("stdout", "1"), ("stdin", "1")]
    sock = _request(server, query, _upgrade_headers())
    _, _, rest = _head(sock)
    read = _reader(sock, rest)
    assert read(3) == bytes([0x82, 1, 1])  # the empty first message on stdout: sent at once
    sock.sendall(websocket.encode_frame(websocket.PING, b"", mask=b"ping"))  # answered, not the signal
    ready.set()
    sock.sendall(websocket.encode_frame(websocket.BINARY, b"\xff\x00", mask=b"done"))
    frames = _server_frames(read)
    sock.close()
    assert seen == [True]
    assert (websocket.PONG, b"") in frames and (websocket.BINARY, b"\x01ok\n") in frames


def test_a_v4_client_is_answered_without_waiting_for_a_frame_it_may_never_send(served):
    server, _ = served
    query = [("command", "tool"), ("container", "main"), ("stdout", "1"), ("stdin", "1")]
    sock = _request(server, query, _upgrade_headers("v4.channel.k8s.io"))
    _, _, rest = _head(sock)
    frames = _server_frames(_reader(sock, rest))  # no frame sent: the answer comes all the same
    sock.close()
    assert frames[-2][1] == b'\x03{"metadata":{},"status":"Success"}'


def test_a_client_cannot_hold_the_session_open_by_sending_frames_after_the_answer(served):
    from harness.apiserver.remotecommand import DRAIN_FRAMES

    server, _ = served
    sock = _request(server, [("command", "tool"), ("container", "main"), ("stdout", "1")], _upgrade_headers())
    _, _, rest = _head(sock)
    read = _reader(sock, rest)
    _server_frames(read)
    flood = websocket.encode_frame(websocket.BINARY, b"\x00x", mask=b"abcd") * (DRAIN_FRAMES + 5)
    try:
        sock.sendall(flood)
    except OSError:
        pass  # the server may already have closed: that is the point
    assert read(1) == b""  # it closed after DRAIN_FRAMES frames, without waiting for a close
    sock.close()


def test_a_v5_client_that_sends_nothing_is_answered_after_a_short_grace_not_held(served, monkeypatch):
    """kubectl -i whose stdin stays open, or the kubernetes client (v5 with stdin=True), send
    nothing: the answer must come all the same (the test's socket gives up after 10 s; the
    connection's read timeout is 32 s; the grace, half a second, is shortened here)."""
    from harness.apiserver import remotecommand

    monkeypatch.setattr(remotecommand, "FIRST_FRAME_GRACE", 0.05)
    server, calls = served
    query = [("command", "tool"), ("container", "main"), ("stdout", "1"), ("stdin", "1")]
    sock = _request(server, query, _upgrade_headers())
    _, _, rest = _head(sock)
    frames = _server_frames(_reader(sock, rest))
    sock.close()
    assert frames[-2][1] == b'\x03{"metadata":{},"status":"Success"}' and len(calls) == 1


def test_a_client_with_nothing_to_send_is_answered_after_the_start_grace_not_at_once(served, monkeypatch):
    """kubectl exec without -i sends nothing, and creates its streams while it already reads: an
    answer sent at once was sometimes lost whole on a loaded machine. The command runs after the
    start grace (long here, so the test's frame ends the wait first: proof that it is waited)."""
    from harness.apiserver import remotecommand

    monkeypatch.setattr(remotecommand, "START_GRACE", 30.0)
    server, _ = served
    ready = threading.Event()
    seen: list[bool] = []
    server.set_exec_runner(lambda call: seen.append(ready.is_set()) or ExecResult(stdout=b"ok\n"))
    sock = _request(server, [("command", "tool"), ("container", "main"), ("stdout", "1")], _upgrade_headers())
    _, _, rest = _head(sock)
    read = _reader(sock, rest)
    assert read(3) == bytes([0x82, 1, 1])
    ready.set()
    sock.sendall(websocket.encode_frame(websocket.BINARY, b"\x00", mask=b"wake"))
    frames = _server_frames(read)
    sock.close()
    assert seen == [True] and (websocket.BINARY, b"\x01ok\n") in frames
