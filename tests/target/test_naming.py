from __future__ import annotations

import re

from harness.target.naming import Naming, new_run_id, new_token


def test_the_simulator_keeps_every_name_as_written():
    names = Naming()
    assert names.name("module-one") == "module-one"
    assert names.repo("deckhouse/modules") == "deckhouse/modules"
    assert names.out("module-one-v0.7.24 in example") == "module-one-v0.7.24 in example"
    assert not names.owns("module-one")


def test_a_shared_cluster_gets_the_scenario_token_on_every_name_and_derived_name():
    names = Naming("abcde123")
    assert names.name("module-one") == "module-one-abcde123"
    assert names.name("example") == "example-abcde123"
    # A release is named after its module: mapped through the module's name, not given a second token.
    assert names.name("module-one-v0.7.24") == "module-one-abcde123-v0.7.24"
    assert names.out("module-one module error: /v2/deckhouse/modules/module-one/release") == (
        "module-one-abcde123 module error: /v2/deckhouse/modules/module-one-abcde123/release"
    )


def test_longer_names_win_and_words_inside_other_words_are_left_alone():
    names = Naming("tok00aaa")
    names.name("example")
    names.name("example-update-policy")
    assert names.out("updatePolicy: example-update-policy") == "updatePolicy: example-update-policy-tok00aaa"
    assert names.out("my-example and examples") == "my-example and examples"


def test_repositories_move_under_the_run_tree_and_placeholders_survive():
    names = Naming("tok00aaa")
    assert names.repo("deckhouse/modules") == "dkp-harness/tok00aaa/deckhouse/modules"
    assert names.out("repo: ${REGISTRY}/deckhouse/modules") == (
        "repo: ${REGISTRY}/dkp-harness/tok00aaa/deckhouse/modules"
    )


def test_the_clusters_own_objects_are_never_renamed():
    names = Naming("tok00aaa")
    assert names.name("deckhouse") == "deckhouse"
    assert names.name("d8-system") == "d8-system"


def test_ownership_is_by_the_token_as_a_whole_word():
    names = Naming("tok00aaa")
    assert names.owns("module-one-tok00aaa")
    assert names.owns("module-one-tok00aaa-v0.1.0")
    assert not names.owns("module-one-tok00aaab")
    assert not names.owns("module-one")


def test_run_ids_and_tokens_are_valid_name_parts_and_grouped_by_run():
    run = new_run_id()
    assert re.fullmatch(r"[a-z][a-z0-9]{4}", run)
    token = new_token(run)
    assert token.startswith(run) and re.fullmatch(r"[a-z][a-z0-9]{7}", token)
