"""DKP's validating webhooks, and which era registers them (docs/dkp-eras.md)."""

from __future__ import annotations

import pytest

from harness import eras
from harness.api import kinds
from harness.apiserver import ApiServer
from harness.clock import VirtualClock
from harness.cluster import crd_layers, register_webhooks
from harness.dkp.rules.admission import embedded_source_refused, second_default_source, unavailable_source
from harness.kube.errors import Forbidden


def source(name: str, default: str | None = None) -> dict[str, object]:
    meta: dict[str, object] = {"name": name}
    if default is not None:
        meta["annotations"] = {"modules.deckhouse.io/default-source": default}
    return {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "ModuleSource",
        "metadata": meta,
        "spec": {"registry": {"repo": "127.0.0.1:5000/deckhouse/modules"}},
    }


@pytest.mark.parametrize(
    ("new", "existing", "denied"),
    [
        (source("b", "true"), [source("a", "true")], True),
        (source("b", "true"), [source("a", "false")], False),
        (source("b", "false"), [source("a", "true")], False),
        (source("b"), [source("a", "true")], False),
        (source("a", "true"), [source("a", "true")], False),  # updating the default itself
        (source("b", "true"), [], False),
    ],
)
def test_only_one_default_source(new, existing, denied):
    reason = second_default_source(new, existing)
    assert (reason == "there can only be one default source") if denied else reason is None


@pytest.mark.parametrize(("wanted", "denied"), [("Embedded", True), ("example", False), (None, False)])
def test_embedded_is_not_a_source_a_module_config_may_name(wanted, denied):
    config = {"metadata": {"name": "echo"}, "spec": {"enabled": True, "source": wanted}}
    assert (embedded_source_refused(config) == "'Embedded' is a forbidden source") is denied


@pytest.mark.parametrize("version", [eras.DEFAULT_VERSION, eras.LATEST], ids=str)
def test_the_webhooks_are_registered_for_the_clusters_era(version):
    server = ApiServer(VirtualClock(), crd_dir=crd_layers(version))
    try:
        register_webhooks(server, eras.behaviours_for(version))
        client = server.client()
        client.create(kinds.MODULE_SOURCE, source("a", "true"))
        newer = version >= eras.parse_version("v1.73.0")
        if newer:
            with pytest.raises(Forbidden, match="there can only be one default source"):
                client.create(kinds.MODULE_SOURCE, source("b", "true"))
        else:
            client.create(kinds.MODULE_SOURCE, source("b", "true"))
        config = {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleConfig",
            "metadata": {"name": "echo"},
            "spec": {"enabled": True, "source": "Embedded"},
        }
        if version >= eras.parse_version("v1.76.0"):
            with pytest.raises(Forbidden, match="'Embedded' is a forbidden source"):
                client.create(kinds.MODULE_CONFIG, config)
        else:
            client.create(kinds.MODULE_CONFIG, config)
    finally:
        server.stop()


def module(name: str, *available: str) -> dict[str, object]:
    return {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "Module",
        "metadata": {"name": name},
        "properties": {"availableSources": list(available)},
    }


def module_config(name: str, source: str | None = None) -> dict[str, object]:
    spec: dict[str, object] = {"enabled": True}
    if source is not None:
        spec["source"] = source
    meta = {"name": name}
    return {"apiVersion": "deckhouse.io/v1alpha1", "kind": "ModuleConfig", "metadata": meta, "spec": spec}


@pytest.mark.parametrize(
    ("config", "found", "reason"),
    [
        (
            module_config("test", "test3"),
            module("test", "test1", "test2"),
            "the 'test3' module source is an unavailable source for the 'test' module, "
            "available sources: [test1 test2]",
        ),
        (
            module_config("test", "test3"),
            module("test"),
            "the 'test3' module source is an unavailable source for the 'test' module, available sources: []",
        ),
        (module_config("test", "test1"), module("test", "test1", "test2"), None),
        (module_config("test"), module("test", "test1", "test2"), None),  # no source named
        (module_config("test", "test3"), None, None),  # the module is not known yet
        (module_config("global", "test3"), module("global"), None),  # global has no source
    ],
)
def test_a_module_config_may_name_only_a_source_that_offers_the_module(config, found, reason):
    assert unavailable_source(config, found) == reason


@pytest.mark.parametrize("version", [eras.DEFAULT_VERSION, eras.LATEST], ids=str)
def test_every_era_refuses_a_module_config_naming_a_source_that_does_not_offer_the_module(version):
    server = ApiServer(VirtualClock(), crd_dir=crd_layers(version))
    try:
        register_webhooks(server, eras.behaviours_for(version))
        client = server.client()
        client.create(kinds.MODULE_CONFIG, module_config("early", "gone"))  # no Module yet: allowed
        client.create(kinds.MODULE, module("test", "test1", "test2"))
        expected = (
            'admission webhook "module-configs.deckhouse-webhook.deckhouse.io" denied the request: '
            "the 'test3' module source is an unavailable source for the 'test' module, "
            "available sources: \\[test1 test2\\]"
        )
        with pytest.raises(Forbidden, match=expected):
            client.create(kinds.MODULE_CONFIG, module_config("test", "test3"))
        client.create(kinds.MODULE_CONFIG, module_config("test", "test2"))
        updated = {**module_config("test", "test3"), "metadata": {"name": "test"}}
        with pytest.raises(Forbidden, match="unavailable source"):
            client.update(kinds.MODULE_CONFIG, updated)
    finally:
        server.stop()


def _release(policy: str | None, **labels: str) -> dict[str, object]:
    if policy is not None:
        labels["modules.deckhouse.io/update-policy"] = policy
    return {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "ModuleRelease",
        "metadata": {"name": "m-v1.0.0", "labels": labels},
        "spec": {"moduleName": "m", "version": "1.0.0", "weight": 900},
    }


@pytest.mark.parametrize(
    ("old", "new", "user", "denied"),
    [
        ("manual", "auto", "kubernetes-admin", True),
        ("manual", "auto", "system:serviceaccount:d8-system:deckhouse", False),
        ("manual", "manual", "kubernetes-admin", False),
        (None, "auto", "kubernetes-admin", False),  # a label where there was none
        ("manual", None, "kubernetes-admin", False),  # removed, so that Deckhouse finds the policy
    ],
)
def test_only_deckhouse_changes_a_releases_update_policy_label(old, new, user, denied):
    from harness.dkp.rules.admission import update_policy_relabel

    reason = update_policy_relabel(_release(new), _release(old), user)
    assert (reason is not None) == denied
    if denied:
        assert reason.startswith(
            "Manual update-policy change is forbidden. Please, remove the update-policy label"
        )
    assert update_policy_relabel(_release(new), None, user) is None  # creates are not matched


def test_the_policy_denies_in_kube_apiservers_words_and_lets_deckhouse_through():
    api = ApiServer(VirtualClock(), crd_dir=crd_layers(eras.DEFAULT_VERSION))
    register_webhooks(api, eras.behaviours_for(eras.DEFAULT_VERSION))
    admin, deckhouse = api.client(), api.client(user="system:serviceaccount:d8-system:deckhouse")
    admin.create(kinds.MODULE_RELEASE, _release("manual"))
    with pytest.raises(Forbidden) as refused:
        admin.patch(
            kinds.MODULE_RELEASE, "m-v1.0.0", {"metadata": {"labels": _release("auto")["metadata"]["labels"]}}
        )
    assert str(refused.value.message) == (
        'modulereleases.deckhouse.io "m-v1.0.0" is forbidden: ValidatingAdmissionPolicy '
        "'update-policy-label-objects.deckhouse.io' with binding 'update-policy-label-objects.deckhouse.io' "
        "denied request: Manual update-policy change is forbidden. Please, remove the update-policy label "
        "to automatically find a new suitable policy"
    )
    moved = deckhouse.patch(
        kinds.MODULE_RELEASE, "m-v1.0.0", {"metadata": {"labels": _release("auto")["metadata"]["labels"]}}
    )
    assert moved["metadata"]["labels"]["modules.deckhouse.io/update-policy"] == "auto"
    api.stop()
