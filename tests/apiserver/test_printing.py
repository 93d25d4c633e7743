from __future__ import annotations

from datetime import timedelta

import pytest

from harness.apiserver.jsonpath import JsonPathError, compile_path
from harness.apiserver.printing import go_print, human_duration

from .conftest import WIDGET, widget

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-5, "<invalid>"),
        (-1, "0s"),
        (16, "16s"),
        (119, "119s"),
        (120, "2m"),
        (310, "5m10s"),
        (599, "9m59s"),
        (600, "10m"),
        (179 * 60, "179m"),
        (3 * 3600, "3h"),
        (3 * 3600 + 60, "3h1m"),
        (8 * 3600, "8h"),
        (33 * 3600, "33h"),
        (48 * 3600, "2d"),
        (50 * 3600, "2d2h"),
        (8 * 86400, "8d"),
        (48 * 86400, "48d"),
        (730 * 86400, "2y"),
        (731 * 86400, "2y1d"),
        (9 * 365 * 86400, "9y"),
    ],
)
def test_ages_are_rendered_like_kube_apiserver(seconds, text):
    assert human_duration(seconds) == text


def test_jsonpath_filter_and_escaped_dots():
    obj = {
        "metadata": {"labels": {"modules.deckhouse.io/update-policy": "auto"}},
        "status": {
            "conditions": [{"type": "Other", "status": "False"}, {"type": "IsReady", "status": "True"}]
        },
    }
    assert compile_path(".status.conditions[?(@.type=='IsReady')].status").find(obj) == ["True"]
    assert compile_path(r".metadata.labels.modules\.deckhouse\.io/update-policy").find(obj) == ["auto"]
    assert compile_path("{.status.conditions[*].type}").find(obj) == ["Other", "IsReady"]
    assert compile_path(".status.conditions[1].type").find(obj) == ["IsReady"]
    assert compile_path(".status.missing").find(obj) == []


def test_unsupported_jsonpath_is_refused_with_the_expression():
    with pytest.raises(JsonPathError, match="unsupported filter"):
        compile_path(".a[?(@.x > 1)]")


def test_go_print_matches_the_go_jsonpath_printer():
    assert go_print([{"from": "8:00", "days": ["Mon"]}]) == "[map[days:[Mon] from:8:00]]"
    assert go_print(True) == "true"


def test_table_rows_render_columns_with_ages_from_the_clock(client, http, clock):
    client.create(
        WIDGET,
        {
            **widget("t", count=3, windows=[{"from": "08:00"}]),
            "metadata": {"name": "t", "labels": {"example.com/policy": "auto"}},
        },
    )
    client.patch(
        WIDGET,
        "t",
        {
            "status": {
                "syncTime": "2024-12-16T09:00:00Z",
                "conditions": [{"type": "IsReady", "status": "True"}],
            }
        },
        subresource="status",
    )
    clock.advance(timedelta(minutes=5, seconds=10))
    body = http.get("/apis/example.com/v1alpha2/widgets", headers={"Accept": TABLE}).json()
    assert body["kind"] == "Table"
    assert [c["name"] for c in body["columnDefinitions"]] == [
        "Name",
        "Ready",
        "Policy",
        "Count",
        "Synced",
        "Windows",
    ]
    assert body["rows"][0]["cells"] == ["t", "True", "auto", 3, "5m10s", "[map[from:08:00]]"]
    assert body["rows"][0]["object"]["kind"] == "PartialObjectMetadata"


def test_missing_cells_are_null_and_include_object_is_honoured(client, http):
    client.create(WIDGET, widget("t"))
    url = "/apis/example.com/v1alpha2/widgets"
    body = http.get(url, params={"includeObject": "None"}, headers={"Accept": TABLE}).json()
    assert body["rows"][0]["cells"] == ["t", None, None, None, None, None]
    assert "object" not in body["rows"][0]
    full = http.get(url, params={"includeObject": "Object"}, headers={"Accept": TABLE}).json()
    assert full["rows"][0]["object"]["spec"]["repo"] == "r"


def test_crd_without_columns_gets_an_age_column(http, client):
    from .conftest import GADGET

    client.create(GADGET, {"metadata": {"name": "g", "namespace": "default"}})
    body = http.get("/apis/example.com/v1/namespaces/default/gadgets", headers={"Accept": TABLE}).json()
    assert [c["name"] for c in body["columnDefinitions"]] == ["Name", "Age"]
    assert body["rows"][0]["cells"] == ["g", "0s"]


def test_plain_json_accept_gets_a_list_not_a_table(http, client):
    client.create(WIDGET, widget("t"))
    body = http.get("/apis/example.com/v1alpha2/widgets").json()
    assert body["kind"] == "WidgetList" and body["items"][0]["metadata"]["name"] == "t"


def test_an_event_table_has_kube_apiservers_columns_with_the_name_last_and_wide(client, http, clock):
    """``printEvent``: no leading Name column (``kubectl get events`` starts with LAST SEEN), the
    sub-object, source, first sighting, count and name only under ``-o wide``; times that are
    absent fall back as upstream's do."""
    from harness.kube.resources import Resource

    events = Resource("", "v1", "events", "Event", namespaced=True)
    base = {
        "involvedObject": {"kind": "Pod", "name": "p", "fieldPath": "spec.containers{c}"},
        "type": "Normal",
    }
    client.create(
        events,
        {
            **base,
            "metadata": {"name": "pulled", "namespace": "default"},
            "reason": "Pulled",
            "message": "  pulled  ",
            "count": 3,
            "firstTimestamp": "2024-12-16T08:50:00Z",
            "lastTimestamp": "2024-12-16T08:58:00Z",
            "source": {"component": "kubelet", "host": "node-0"},
        },
    )
    client.create(
        events,
        {
            **base,
            "metadata": {"name": "newer", "namespace": "default"},
            "reason": "Started",
            "eventTime": "2024-12-16T08:59:00.000000Z",
            "reportingComponent": "kubelet",
        },
    )
    body = http.get("/api/v1/namespaces/default/events", headers={"Accept": TABLE}).json()
    columns = [(c["name"], c["priority"]) for c in body["columnDefinitions"]]
    assert columns == [
        ("Last Seen", 0),
        ("Type", 0),
        ("Reason", 0),
        ("Object", 0),
        ("Subobject", 1),
        ("Source", 1),
        ("Message", 0),
        ("First Seen", 1),
        ("Count", 1),
        ("Name", 1),
    ]
    rows = {row["cells"][-1]: row["cells"] for row in body["rows"]}
    assert rows["pulled"] == [
        "2m",
        "Normal",
        "Pulled",
        "pod/p",
        "spec.containers{c}",
        "kubelet, node-0",
        "pulled",
        "10m",
        3,
        "pulled",
    ]
    assert rows["newer"] == [
        "60s",
        "Normal",
        "Started",
        "pod/p",
        "spec.containers{c}",
        "kubelet",
        "",
        "60s",
        1,
        "newer",
    ]
