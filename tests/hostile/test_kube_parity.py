"""Numbers, formats and paths a client can get wrong, answered as kube-apiserver answers them.

Every client string that becomes a number is read as Go's ``strconv`` reads it: ASCII digits only.
``str.isdigit()`` is also true for ``²`` (which ``int()`` refuses: a 500 before) and U+0661, the
Arabic-Indic one (which ``int()`` reads as 1: a silently wrong answer before).
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlencode

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.hostile.conftest import AUTH, CM_PATH, Hostile

PROBES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
POD_PATH = "/api/v1/namespaces/default/pods"
MC_PATH = "/apis/deckhouse.io/v1alpha1/moduleconfigs"
MR_PATH = "/apis/deckhouse.io/v1alpha1/modulereleases"
JSON_PATCH = {"Content-Type": "application/json-patch+json"}
MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}
# Characters str.isdigit() accepts that are not ASCII digits: superscripts, other scripts' digits.
UNICODE_DIGITS = st.text(
    st.characters(categories=["Nd", "No"]).filter(lambda c: c.isdigit() and not c.isascii()),
    min_size=1,
    max_size=4,
)


def _bad_request(reply) -> dict:
    status = reply.status_object()
    assert (status["code"], status["reason"]) == (400, "BadRequest"), status
    return status


def _pod(hostile: Hostile, name: str) -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]},
    }
    created = hostile.request("POST", POD_PATH, pod)
    assert created.status == 201, created.body[:300]
    running = {"status": {"phase": "Running"}}  # what a kubelet reports: its log can be read
    patched = hostile.request(
        "PATCH",
        f"{POD_PATH}/{name}/status",
        running,
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert patched.status == 200, patched.body[:300]


# ---- numbers in the query -----------------------------------------------------------------------


def test_a_superscript_limit_is_goes_parseint_400_not_a_500(hostile: Hostile):
    status = _bad_request(hostile.request("GET", f"{CM_PATH}?limit=%C2%B2"))
    assert status["message"] == 'strconv.ParseInt: parsing "²": invalid syntax'


@PROBES
@given(UNICODE_DIGITS, st.sampled_from(["limit", "timeoutSeconds"]))
def test_unicode_digits_in_any_numeric_query_parameter_are_a_400(hostile: Hostile, digits: str, key: str):
    query = urlencode({"watch": "1", key: digits} if key == "timeoutSeconds" else {key: digits})
    _bad_request(hostile.request("GET", f"{CM_PATH}?{query}"))


def test_limit_out_of_int64_range_is_a_400_and_a_negative_limit_lists_everything(hostile: Hostile):
    status = _bad_request(hostile.request("GET", f"{CM_PATH}?limit=9223372036854775808"))
    assert status["message"] == 'strconv.ParseInt: parsing "9223372036854775808": value out of range'
    listed = hostile.request("GET", f"{CM_PATH}?limit=-5")
    assert listed.status == 200 and listed.json()["items"]


def test_a_watch_timeout_beyond_threading_timeout_max_keeps_the_stream_alive(hostile: Hostile):
    """9999999999 s overflowed Condition.wait: the stream was cut after its ADDED events."""
    conn = http.client.HTTPConnection("127.0.0.1", hostile.port, timeout=10)
    try:
        conn.request(
            "GET", f"{CM_PATH}?watch=1&timeoutSeconds=9999999999&labelSelector=watched", headers=AUTH
        )
        response = conn.getresponse()
        assert response.status == 200
        created = hostile.request(
            "POST", CM_PATH, {"metadata": {"name": "overflow-tick", "labels": {"watched": "yes"}}}
        )
        assert created.status == 201, created.body[:300]
        event = json.loads(response.readline())
        assert (event["type"], event["object"]["metadata"]["name"]) == ("ADDED", "overflow-tick")
        later = hostile.request("DELETE", f"{CM_PATH}/overflow-tick")
        assert later.status == 200
        assert json.loads(response.readline())["type"] == "DELETED"
    finally:
        conn.close()


# ---- pod logs --------------------------------------------------------------------------------------


def test_pod_log_numbers_are_ascii_and_validated_like_pod_log_options(hostile: Hostile):
    _pod(hostile, "logger")
    log = f"{POD_PATH}/logger/log"
    status = _bad_request(hostile.request("GET", f"{log}?tailLines=%C2%B2"))
    assert status["message"] == 'strconv.ParseInt: parsing "²": invalid syntax'
    for query, field, message in [
        ("tailLines=-5", "tailLines", "Invalid value: -5: must be greater than or equal to 0"),
        ("sinceSeconds=-1", "sinceSeconds", "Invalid value: -1: must be greater than 0"),
        ("limitBytes=-1", "limitBytes", "Invalid value: -1: must be greater than 0"),
        ("limitBytes=0", "limitBytes", "Invalid value: 0: must be greater than 0"),
    ]:
        status = hostile.request("GET", f"{log}?{query}").status_object()
        assert (status["code"], status["reason"]) == (422, "Invalid"), status
        assert status["message"] == f'PodLogOptions "logger" is invalid: {field}: {message}'
        assert status["details"]["causes"] == [
            {"reason": "FieldValueInvalid", "message": message, "field": field}
        ]
    for query in ("tailLines=0", "tailLines=3", "sinceSeconds=10", "limitBytes=1"):
        assert hostile.request("GET", f"{log}?{query}").status == 200, query
    _pod(hostile, "waiting")  # then back to Pending: a pod no kubelet runs, whose log kubelet refuses
    hostile.request(
        "PATCH",
        f"{POD_PATH}/waiting/status",
        {"status": {"phase": "Pending"}},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    status = _bad_request(hostile.request("GET", f"{POD_PATH}/waiting/log"))
    assert status["message"] == 'container "c" in pod "waiting" is waiting to start: ContainerCreating'
    status = _bad_request(hostile.request("GET", f"{log}?previous=true"))
    assert status["message"] == 'previous terminated container "c" in pod "logger" not found'


# ---- JSON patch array indexes ----------------------------------------------------------------------


@PROBES
@given(UNICODE_DIGITS, st.sampled_from(["add", "replace", "remove"]))
@example("\u0661", "add")  # Arabic-Indic one: int() reads it as 1, so it was inserted at index 1
@example("²", "add")
def test_a_unicode_digit_array_index_in_a_json_patch_is_a_422(hostile: Hostile, digits: str, op: str):
    name = "finalized"
    if hostile.request("GET", f"{CM_PATH}/{name}").status == 404:
        obj = {"metadata": {"name": name, "finalizers": ["example.com/a", "example.com/b"]}}
        assert hostile.request("POST", CM_PATH, obj).status == 201
    patch = [{"op": op, "path": f"/metadata/finalizers/{digits}", "value": "example.com/c"}]
    reply = hostile.request("PATCH", f"{CM_PATH}/{name}", patch, headers=JSON_PATCH)
    status = reply.status_object()
    assert (status["code"], status["reason"]) == (422, "Invalid"), status
    after = hostile.request("GET", f"{CM_PATH}/{name}").json()
    assert after["metadata"]["finalizers"] == ["example.com/a", "example.com/b"]


def test_json_patch_errors_name_no_python_types(hostile: Hostile):
    """json-patch v4.12.0's own words (``patch.go``), as the one cause of the patch handler's 422."""
    obj = {"metadata": {"name": "patched-plain"}, "data": {"a": "1"}}
    assert hostile.request("POST", CM_PATH, obj).status == 201
    for patch, expected in [
        ([{"op": "add", "value": 1}], "add operation failed to decode path: missing value"),
        ([{"path": "/data/a", "value": "2"}], "Unexpected kind: unknown"),
        (
            [{"op": "move", "path": "/data/b"}],
            "move operation failed to decode from: operation, missing from field: missing value",
        ),
        ([None], "Unexpected kind: unknown"),
    ]:
        reply = hostile.request("PATCH", f"{CM_PATH}/patched-plain", patch, headers=JSON_PATCH)
        status = reply.status_object()
        assert status["code"] == 422, status
        assert status["details"]["causes"] == [{"reason": "UnexpectedServerResponse", "message": expected}]
        assert "None" not in reply.body.decode()


def test_an_empty_or_non_object_body_is_worded_as_the_go_decoder_words_it(hostile: Hostile):
    empty = _bad_request(hostile.request("POST", CM_PATH, b""))
    assert empty["message"] == (
        "the object provided is unrecognized (must be of type ConfigMap): "
        "couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)"
    )
    listed = _bad_request(hostile.request("POST", CM_PATH, [1]))
    assert "cannot unmarshal array into Go value of type struct" in listed["message"]
    merge = hostile.request("PATCH", f"{CM_PATH}/sentinel", [1], headers=MERGE_PATCH).status_object()
    assert merge["code"] == 400, merge
    assert merge["message"] == (
        "error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}"
    )
    for status in (empty, listed, merge):
        assert "NoneType" not in status["message"] and "list" not in status["message"]


# ---- selectors and paths ---------------------------------------------------------------------------


def test_an_empty_set_in_a_label_selector_is_the_empty_value(hostile: Hostile):
    """``labels.Parse`` reads ``()`` as the set of the empty value (``parseValues``: ``case
    ClosedParToken: // handles "()"``), so ``a in ()`` is a valid selector, not a 400."""
    for selector in ("a in ()", "a notin ( )"):
        reply = hostile.request("GET", f"{CM_PATH}?{urlencode({'labelSelector': selector})}")
        assert reply.status == 200, reply.body
        assert reply.json()["kind"] == "ConfigMapList"


def test_a_cluster_scoped_kind_under_a_namespace_is_not_found(hostile: Hostile):
    assert hostile.request("GET", MC_PATH).status == 200
    for method, path in [
        ("GET", "/apis/deckhouse.io/v1alpha1/namespaces/default/moduleconfigs"),
        ("GET", "/apis/deckhouse.io/v1alpha1/namespaces/default/moduleconfigs/x"),
        ("DELETE", "/apis/deckhouse.io/v1alpha1/namespaces/default/moduleconfigs"),
        ("GET", "/api/v1/namespaces/default/namespaces"),
    ]:
        status = hostile.request(method, path).status_object()
        assert (status["code"], status["reason"]) == (404, "NotFound"), (method, path, status)


# ---- format: date-time -----------------------------------------------------------------------------


def _release(name: str, **spec: object) -> dict:
    return {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "ModuleRelease",
        "metadata": {"name": name},
        "spec": {"moduleName": "m", "version": "v1.0.0", **spec},
    }


def test_a_date_time_field_refuses_garbage_as_apiextensions_does(hostile: Hostile):
    status = hostile.request("POST", MR_PATH, _release("m-v1.0.0", applyAfter="garbage-time")).status_object()
    assert (status["code"], status["reason"]) == (422, "Invalid"), status
    detail = (
        'Invalid value: "garbage-time": spec.applyAfter in body must be of type date-time: "garbage-time"'
    )
    assert status["message"] == f'ModuleRelease.deckhouse.io "m-v1.0.0" is invalid: spec.applyAfter: {detail}'
    assert status["details"]["causes"] == [
        {"reason": "FieldValueTypeInvalid", "message": detail, "field": "spec.applyAfter"}
    ]
    assert hostile.request("GET", f"{MR_PATH}/m-v1.0.0").status == 404


def test_a_status_patch_with_a_bad_date_time_is_refused_and_a_good_one_accepted(hostile: Hostile):
    created = hostile.request("POST", MR_PATH, _release("m-v1.0.1", applyAfter="2024-12-18T15:00:00Z"))
    assert created.status == 201, created.body[:300]
    status_path = f"{MR_PATH}/m-v1.0.1/status"
    bad = hostile.request(
        "PATCH", status_path, {"status": {"transitionTime": "not-a-time"}}, headers=MERGE_PATCH
    )
    status = bad.status_object()
    assert status["code"] == 422, status
    assert 'status.transitionTime in body must be of type date-time: "not-a-time"' in status["message"]
    good = {"status": {"transitionTime": "2024-12-18T15:00:00.123+03:00"}}
    assert hostile.request("PATCH", status_path, good, headers=MERGE_PATCH).status == 200


@PROBES
@given(st.text(max_size=30))
def test_any_text_in_a_date_time_field_is_stored_or_refused_with_a_422(hostile: Hostile, text: str):
    reply = hostile.request("POST", f"{MR_PATH}?dryRun=All", _release("probe", applyAfter=text))
    assert reply.status in (201, 422), reply.body[:300]
    if reply.status == 422:
        assert "must be of type date-time" in reply.status_object()["message"]


def test_the_sentinel_survived(hostile: Hostile):
    hostile.assert_healthy()
