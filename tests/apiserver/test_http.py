"""The HTTP layer: auth, Status on every error, body formats, pod logs, kubeconfig."""

from __future__ import annotations

import json

import httpx
import pytest
import yaml

from .conftest import CONFIGMAP, POD, WIDGET, widget

URL = "/apis/example.com/v1alpha2/widgets"


def test_missing_or_wrong_token_is_401_status(server):
    url = server.start()
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        r = httpx.get(f"{url}{URL}", headers=headers, verify=False)
        assert r.status_code == 401
        assert r.json()["kind"] == "Status" and r.json()["reason"] == "Unauthorized"


def test_token_is_random_per_server_and_not_in_repr(clock):
    from harness.apiserver import ApiServer

    from .conftest import TEST_CRDS

    a, b = ApiServer(clock, crd_dir=TEST_CRDS), ApiServer(clock, crd_dir=TEST_CRDS)
    assert a.token != b.token and a.token not in repr(a)


@pytest.mark.parametrize(
    ("method", "path", "code", "reason"),
    [
        ("GET", "/apis/example.com/v1alpha2/widgets/none", 404, "NotFound"),
        ("GET", "/apis/nope/v1/things", 404, "NotFound"),
        ("POST", URL, 400, "BadRequest"),
        ("PATCH", f"{URL}/none", 404, "NotFound"),
        ("PATCH", f"{URL}/none", 415, "UnsupportedMediaType"),
        ("PUT", URL, 405, "MethodNotAllowed"),
        ("GET", "/unknown", 404, "NotFound"),
    ],
)
def test_every_error_is_a_status_object(http, method, path, code, reason):
    # a patch names its patch type; one without is a 415 before the object is looked up
    typed = {"Content-Type": "application/merge-patch+json"} if method == "PATCH" and code != 415 else {}
    r = http.request(method, path, content=b"[1]" if method != "GET" else None, headers=typed)
    assert r.status_code == code
    body = r.json()
    assert (body["kind"], body["status"], body["reason"], body["code"]) == ("Status", "Failure", reason, code)


def test_handler_crash_is_a_500_status_not_a_dropped_connection(server, http, monkeypatch):
    from harness.apiserver import handlers

    def broken(b, req):
        raise RuntimeError("kaput")

    monkeypatch.setitem(handlers.VERBS, "list", broken)
    r = http.get(URL)
    assert r.status_code == 500 and "kaput" in r.json()["message"]
    assert http.get("/version").status_code == 200  # same keep-alive connection still works


def test_a_subresource_a_kind_lacks_is_a_404(http):
    """apiextensions-apiserver answers a custom resource's unknown subresource as a missing object;
    a built-in kind's has no route."""
    custom = http.get(f"{URL}/w/bogus").json()
    assert (custom["message"], custom["details"]) == (
        'widgets.example.com "w" not found',
        {"name": "w", "group": "example.com", "kind": "widgets"},
    )
    built_in = http.get("/api/v1/namespaces/default/configmaps/c/bogus").json()
    assert (built_in["code"], built_in["message"]) == (
        404,
        "the server could not find the requested resource",
    )


def test_a_status_is_written_with_the_go_structs_key_order(http):
    """``kubectl -v=8`` and ``get --raw`` show the body as sent: kube-apiserver writes
    ``metav1.Status`` in its fields' order, details before the code."""
    r = http.get(f"{URL}/none")
    assert list(r.json()) == [
        "kind",
        "apiVersion",
        "metadata",
        "status",
        "message",
        "reason",
        "details",
        "code",
    ]
    assert r.text.endswith('"details":{"name":"none","group":"example.com","kind":"widgets"},"code":404}\n')


@pytest.mark.parametrize(
    ("query", "agent", "pretty"),
    [
        ("", "kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07", False),
        ("", "curl/8.5.0", True),
        ("", "Mozilla/5.0 (X11)", True),
        ("?pretty=true", "kubectl/v1.32.4", True),
        ("?pretty=1", "python-httpx", True),
        ("?pretty=false", "curl/8.5.0", False),
        ("?pretty=yes", "curl/8.5.0", False),  # ParseBool refuses it: not pretty
    ],
)
def test_bodies_are_compact_with_a_newline_or_indented_when_asked(http, client, query, agent, pretty):
    """kube-apiserver's JSON encoder ends an object with a newline; ``?pretty`` (Go's ParseBool)
    or a curl, Wget or browser user agent gets it indented by two spaces, without one."""
    client.create(WIDGET, widget("p"))
    r = http.get(f"{URL}/p{query}", headers={"User-Agent": agent})
    compact = json.dumps(r.json(), separators=(",", ":")) + "\n"
    assert r.text == (json.dumps(r.json(), indent=2) if pretty else compact)


def test_bodies_and_watch_events_escape_html_characters_and_keep_utf8_as_go_writes_them(http, client):
    """Go's ``encoding/json`` writes ``<``, ``>``, ``&`` as ``\\u003c``, ``\\u003e``, ``\\u0026`` and
    other characters as UTF-8; watch events used ``\\u00fc`` escapes for non-ASCII text."""
    cm = "/api/v1/namespaces/default/configmaps"
    client.create(CONFIGMAP, {"metadata": {"name": "h", "namespace": "default"}, "data": {"a": "<b&c> ü"}})
    escaped = '"a":"\\u003cb\\u0026c\\u003e ü"'
    assert escaped in http.get(f"{cm}/h").text
    with http.stream("GET", cm, params={"watch": "1", "timeoutSeconds": "-1"}) as watch:
        events = watch.read().decode()
    assert escaped in events and events.endswith("\n"), events


def test_version_is_indented_json_and_the_openapi_index_compact(http):
    """``/version`` is WriteRawJSON's indented JSON for every client; the OpenAPI index is
    kube-openapi's ``json.Marshal`` output, compact, without a newline."""
    version = http.get("/version")
    assert version.text.startswith('{\n  "major": "1",\n  "minor": "32",') and version.text.endswith("}")
    index = http.get("/openapi/v3")
    assert index.text == json.dumps(index.json(), separators=(",", ":"))


def test_post_without_content_type_is_json_and_yaml_bodies_work(http):
    r = http.post(URL, content=json.dumps(widget("j")).encode(), headers={"Content-Type": ""})
    assert r.status_code == 201, r.text
    r = http.post(
        URL, content=yaml.safe_dump(widget("yml")).encode(), headers={"Content-Type": "application/yaml"}
    )
    assert r.status_code == 201 and r.json()["metadata"]["name"] == "yml"


def test_strategic_merge_patch_on_a_custom_resource_is_415(http, client):
    client.create(WIDGET, widget("s"))
    r = http.patch(
        f"{URL}/s", json={"spec": {}}, headers={"Content-Type": "application/strategic-merge-patch+json"}
    )
    assert r.status_code == 415 and r.json()["reason"] == "UnsupportedMediaType"
    # apiextensions-apiserver's list, in its order: kubectl patch prints it as it comes
    assert r.json()["message"] == (
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
    )


def test_an_unknown_patch_type_on_a_built_in_kind_lists_the_four_it_takes(http):
    r = http.patch(
        "/api/v1/namespaces/default/configmaps/c", json={}, headers={"Content-Type": "application/x-patch"}
    )
    assert r.status_code == 415 and r.json()["message"] == (
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, "
        "application/strategic-merge-patch+json, application/apply-patch+yaml"
    )


def test_json_patch_test_failure_is_422(http, client):
    client.create(WIDGET, widget("s"))
    ops = [{"op": "test", "path": "/spec/repo", "value": "other"}]
    r = http.patch(f"{URL}/s", json=ops, headers={"Content-Type": "application/json-patch+json"})
    assert r.status_code == 422


def test_pod_logs_come_from_the_source_with_tail_lines(server, http, client):
    client.create(
        POD,
        {
            "metadata": {"name": "deckhouse-0", "namespace": "d8-system", "labels": {"app": "deckhouse"}},
            "spec": {"containers": [{"name": "deckhouse", "image": "x"}]},
        },
    )
    server.set_pod_log_source(lambda ns, pod, c: f"{ns}/{pod}/{c} one\ntwo\nthree\n")
    r = http.get("/api/v1/namespaces/d8-system/pods/deckhouse-0/log", params={"tailLines": "2"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/plain"
    assert r.text == "two\nthree\n"
    r = http.get("/api/v1/namespaces/d8-system/pods/deckhouse-0/log", params={"container": "other"})
    assert r.status_code == 400 and "container other is not valid" in r.json()["message"]


def test_kubeconfig_has_server_token_and_private_mode(server, tmp_path):
    server.start()
    path = server.write_kubeconfig(tmp_path / "kc")
    config = yaml.safe_load(path.read_text())
    assert config["clusters"][0]["cluster"]["server"] == server.url
    assert config["users"][0]["user"]["token"] == server.token
    assert path.stat().st_mode & 0o777 == 0o600


def test_start_binds_loopback_on_a_free_port(server):
    url = server.start()
    assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")


def test_every_tls_server_of_the_process_shares_one_context():
    from harness.apiserver.tls import loopback_cert

    assert loopback_cert().server_context() is loopback_cert().server_context()


def test_a_watch_stream_that_fails_ends_with_an_error_event_and_its_last_chunk(server, http, monkeypatch):
    """Before, only OSError was caught: any other exception cut the connection (IncompleteRead)."""
    from harness.apiserver import handlers

    def failing(spec, store, log, convert):
        yield {"type": "ADDED", "object": {"kind": "Widget", "metadata": {"name": "first"}}}
        raise OverflowError("timeout value is too large")

    monkeypatch.setattr(handlers, "watch_stream", failing)
    with http.stream("GET", URL, params={"watch": "true"}) as r:
        assert r.status_code == 200
        events = [json.loads(line) for line in r.iter_lines() if line]  # ends cleanly: no IncompleteRead
    assert [e["type"] for e in events] == ["ADDED", "ERROR"]
    assert events[1]["object"]["code"] == 500 and "OverflowError" in events[1]["object"]["message"]
    assert http.get("/version").status_code == 200  # the keep-alive connection is still usable


def test_pod_log_limit_bytes_cuts_the_text(server, http, client):
    client.create(
        POD, {"metadata": {"name": "p", "namespace": "default"}, "spec": {"containers": [{"name": "c"}]}}
    )
    server.set_pod_log_source(lambda ns, pod, c: "one\ntwo\nthree\n")
    r = http.get("/api/v1/namespaces/default/pods/p/log", params={"limitBytes": "5", "tailLines": "2"})
    assert r.status_code == 200 and r.text == "two\nt"
    r = http.get("/api/v1/namespaces/default/pods/p/log", params={"tailLines": "-1"})
    assert r.status_code == 422 and r.json()["details"]["kind"] == "PodLogOptions"
