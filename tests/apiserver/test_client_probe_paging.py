"""A list continued after its snapshot left the history, as kube-apiserver 1.32 answers it.

The etcd3 store turns a compacted continuation into ``410 Expired`` with the message
``inconsistentContinue`` and a fresh token in the Status's ``metadata.continue``
(``handleCompactedErrorForPaging`` in ``k8s.io/apiserver/pkg/storage/etcd3/errors.go``): its
resourceVersion is -1, "continue at the latest", so a client may finish the list inconsistently
instead of starting over (client-go's pager and ``kubectl get --chunk-size`` rely on the 410)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from harness.apiserver import ApiServer
from harness.clock import VirtualClock

from .conftest import TEST_CRDS

CMS = "/api/v1/namespaces/default/configmaps"
INCONSISTENT = (
    "The provided continue parameter is too old to display a consistent list result. You can start a "
    "new list without the continue parameter, or use the continue token in this response to retrieve "
    "the remainder of the results. Continuing with the provided token results in an inconsistent list "
    "- objects that were created, modified, or deleted between the time the first chunk was returned "
    "and now may show up in the list."
)


@pytest.fixture
def short_history() -> Iterator[httpx.Client]:
    server = ApiServer(VirtualClock(), crd_dir=TEST_CRDS, token="t", watch_history=3)
    url = server.start()
    with httpx.Client(base_url=url, headers={"Authorization": "Bearer t"}, timeout=10) as client:
        yield client
    server.stop()


def _cm(name: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": name}}


def test_an_expired_continue_is_410_with_a_token_to_finish_the_list(short_history):
    http = short_history
    for name in ("a", "b", "c", "d"):
        assert http.post(CMS, json=_cm(name)).status_code == 201
    first = http.get(CMS, params={"limit": 2}).json()
    assert [i["metadata"]["name"] for i in first["items"]] == ["a", "b"]
    for name in ("e", "f", "g", "h"):  # the history (3 commits) moves past the first page's snapshot
        assert http.post(CMS, json=_cm(name)).status_code == 201
    r = http.get(CMS, params={"limit": 2, "continue": first["metadata"]["continue"]})
    assert r.status_code == 410
    status = r.json()
    assert (status["reason"], status["message"]) == ("Expired", INCONSISTENT)
    token = status["metadata"]["continue"]
    names: list[str] = []
    while token:
        page = http.get(CMS, params={"limit": 2, "continue": token})
        assert page.status_code == 200, page.text
        names += [i["metadata"]["name"] for i in page.json()["items"]]
        token = page.json()["metadata"].get("continue")
    assert names == ["c", "d", "e", "f", "g", "h"]  # the rest, as it is now
