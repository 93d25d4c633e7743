"""In-process reads are copy-on-write views: callers may change anything, the store never changes."""

from __future__ import annotations

import copy
import json
import pickle

import pytest
import yaml

from harness.apiserver import ApiServer
from harness.apiserver.cow import CowDict, CowList, thaw
from harness.clock import VirtualClock


@pytest.fixture
def client():
    server = ApiServer(VirtualClock())
    yield server.client()
    server.stop()


@pytest.fixture
def mr(client):
    resource = client.resolve("deckhouse.io/v1alpha1", "ModuleRelease")
    client.create(
        resource,
        {
            "metadata": {"name": "one", "labels": {"module": "m"}, "annotations": {"a": "1"}},
            "spec": {"moduleName": "m", "version": "v1.0.0", "requirements": {"deckhouse": ">= 1.60"}},
        },
    )
    return resource


def _stored(client, mr):
    return json.loads(json.dumps(client.get(mr, "one")))


MUTATIONS = [
    lambda o: o["metadata"]["labels"].update(module="x"),
    lambda o: o["spec"]["requirements"].pop("deckhouse"),
    lambda o: o.get("spec").setdefault("weight", 5),
    lambda o: o["spec"].__setitem__("version", "v9"),
    lambda o: dict(o)["metadata"]["annotations"].clear(),
    lambda o: {**o}["spec"]["requirements"].update(k="v"),
    lambda o: o.copy()["metadata"]["labels"].clear(),
    lambda o: next(v for v in o.values() if isinstance(v, dict)).clear(),
    lambda o: [v for _, v in o.items() if isinstance(v, dict)][-1].clear(),
    lambda o: o.pop("spec").clear(),
    lambda o: (o | {})["spec"].clear(),
]


@pytest.mark.parametrize("mutate", MUTATIONS)
def test_changing_a_read_object_never_changes_the_store(client, mr, mutate):
    before = _stored(client, mr)
    mutate(client.get(mr, "one"))
    mutate(client.list(mr)[0])
    assert _stored(client, mr) == before


def test_lists_inside_objects_are_copied_on_access_too(client):
    pods = client.resolve("v1", "Pod")
    client.create(
        pods, {"metadata": {"name": "p", "namespace": "default"}, "spec": {"containers": [{"name": "a"}]}}
    )
    got = client.get(pods, "p", namespace="default")
    before = copy.deepcopy(got["spec"]["containers"])
    assert before[0]["name"] == "a"
    for container in got["spec"]["containers"]:
        container["name"] = "changed"
    got["spec"]["containers"][0:1][0]["image"] = "x"
    next(reversed(got["spec"]["containers"]))["more"] = 1
    (got["spec"]["containers"] + [])[0]["again"] = 1
    sorted(got["spec"]["containers"], key=str)[0]["sorted"] = 1
    got["spec"]["containers"].pop()["popped"] = 1
    assert client.get(pods, "p", namespace="default")["spec"]["containers"] == before


def test_a_changed_view_written_back_is_stored_as_changed(client, mr):
    obj = client.get(mr, "one")
    obj["metadata"]["labels"]["module"] = "renamed"
    client.update(mr, obj)
    assert client.get(mr, "one")["metadata"]["labels"] == {"module": "renamed"}


def test_a_view_written_back_stays_as_the_caller_had_it_and_shares_nothing_with_the_store(client, mr):
    """The client hands the handler its own deep copy of the view, which the handler keeps and
    changes (resourceVersion, managedFields) without copying it again."""
    obj = client.get(mr, "one")
    obj["metadata"]["labels"]["module"] = "renamed"
    sent = thaw(obj)
    stored = client.update(mr, obj)
    assert thaw(obj) == sent
    assert stored["metadata"]["resourceVersion"] != sent["metadata"]["resourceVersion"]
    obj["metadata"]["labels"]["module"] = "changed after the write"
    obj["metadata"]["resourceVersion"] = "1"
    assert client.get(mr, "one")["metadata"]["labels"] == {"module": "renamed"}


def test_views_serialise_and_copy_like_plain_json(client, mr):
    obj = client.get(mr, "one")
    plain = thaw(obj)
    assert type(plain) is dict and type(plain["metadata"]) is dict
    assert isinstance(obj, CowDict) and isinstance(obj, dict)
    assert json.loads(json.dumps(obj)) == plain
    assert yaml.safe_load(yaml.safe_dump(obj)) == plain
    assert yaml.safe_load(yaml.dump(client.list(mr))) == [plain]
    assert copy.deepcopy(obj) == plain and type(copy.deepcopy(obj)) is dict
    assert pickle.loads(pickle.dumps(obj)) == plain
    assert obj == plain


def test_a_list_costs_shallow_copies_only(client, mr):
    items = client.list(mr)
    raw = dict.__getitem__(items[0], "spec")  # not reached through the view yet: shared, unchanged
    assert type(raw) is dict and not isinstance(raw, CowDict)
    assert isinstance(items[0]["spec"], CowDict)
    assert isinstance(CowList([[1]])[0], CowList)
