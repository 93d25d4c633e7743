"""Servers built on harness.serving stop on a wake-up, not at the end of a poll interval."""

from __future__ import annotations

import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness.serving import PromptShutdown

BOUND = 5.0  # seconds: a bound for joins, not a measurement


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class _Server(PromptShutdown, ThreadingHTTPServer):
    daemon_threads = True


def test_serves_then_stops_when_asked():
    server = _Server(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=BOUND) as answer:
        assert answer.read() == b"ok"
    server.shutdown()
    thread.join(BOUND)
    assert not thread.is_alive()
    server.server_close()


def test_a_shutdown_before_the_loop_runs_ends_it_as_soon_as_it_starts():
    server = _Server(("127.0.0.1", 0), _Ok)
    server.shutdown()  # nothing serves yet: returns without waiting
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    thread.join(BOUND)
    assert not thread.is_alive()
    server.server_close()
    server.shutdown()  # after close: a no-op, not an error
