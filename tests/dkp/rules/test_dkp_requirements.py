from __future__ import annotations

import pytest

from harness.dkp.rules.requirements import (
    NotMetReason,
    ReleaseRequirements,
    check_release_requirements,
    e3_message,
    pending_message,
)


def check(requirements: ReleaseRequirements, *, deckhouse="1.0.0", kubernetes="1.28.0", modules=None):
    return check_release_requirements(
        requirements,
        module_name="parca",
        deckhouse_version=deckhouse,
        kubernetes_version=kubernetes,
        module_versions=modules,
    )


@pytest.mark.parametrize(
    ("requirements", "message"),
    [
        pytest.param(
            ReleaseRequirements(deckhouse="> v1.63.0"),
            "requirements are not satisfied: current deckhouse version is not suitable: "
            "1.0.0 is less than or equal to v1.63.0",
            id="deckhouse-too-old-golden-e2",
        ),
        pytest.param(
            ReleaseRequirements(kubernetes="> 1.28.0"),
            "requirements are not satisfied: current kubernetes version is not suitable: "
            "1.28.0 is less than or equal to 1.28.0",
            id="kubernetes-too-old",
        ),
        pytest.param(
            ReleaseRequirements(deckhouse="> v1.63.0", kubernetes="> 1.28.0"),
            "requirements are not satisfied: current deckhouse version is not suitable: "
            "1.0.0 is less than or equal to v1.63.0",
            id="deckhouse-is-checked-first-and-stops-the-check",
        ),
        pytest.param(
            ReleaseRequirements(deckhouse="nonsense"),
            "requirements are not satisfied: current deckhouse version is not "
            "suitable: improper constraint: nonsense",
            id="improper-constraint-is-reported",
        ),
        pytest.param(
            ReleaseRequirements(modules={"prometheus": ">= 2.0"}),
            '1 error occurred: the "parca" module dependency "prometheus" does '
            "not meet the version constraint: "
            "1.5.0 is less than 2.0",
            id="module-dependency-too-old",
        ),
        pytest.param(
            ReleaseRequirements(modules={"cert-manager": ">= 1.0"}),
            '1 error occurred: the "cert-manager" module dependency is not deployed',
            id="module-dependency-not-deployed",
        ),
        pytest.param(
            ReleaseRequirements(modules={"ghost": ">= 1.0"}),
            '1 error occurred: could not get the "ghost" module version: '
            'modules.deckhouse.io "ghost" not found',
            id="module-dependency-missing",
        ),
        pytest.param(
            ReleaseRequirements(modules={"prometheus": ">= 2.0", "cert-manager": ">= 1.0"}),
            '2 errors occurred: the "cert-manager" module dependency is not deployed; '
            'the "parca" module dependency "prometheus" does not meet the version '
            "constraint: 1.5.0 is less than 2.0",
            id="several-module-problems-sorted-and-counted",
        ),
    ],
)
def test_unmet_requirements_give_one_reason_in_dkp_words(requirements, message):
    reasons = check(requirements, modules={"prometheus": "v1.5.0-rc.1", "cert-manager": ""})
    assert reasons == [NotMetReason("deckhouse requirements check", message)]
    assert pending_message(reasons) == message


@pytest.mark.parametrize(
    "requirements",
    [
        pytest.param(ReleaseRequirements(), id="no-requirements"),
        pytest.param(ReleaseRequirements(deckhouse=">= 1.0", kubernetes=">=1.25 <1.30"), id="both-satisfied"),
        pytest.param(
            ReleaseRequirements(modules={"prometheus": ">= 1.5"}), id="module-prerelease-part-is-ignored"
        ),
        pytest.param(ReleaseRequirements(modules={"parca": ">= 9"}), id="a-self-dependency-is-dropped"),
    ],
)
def test_met_requirements_give_no_reason(requirements):
    assert check(requirements, modules={"prometheus": "v1.5.0-rc.1"}) == []


def test_an_unparsable_cluster_version_is_reported():
    reasons = check(ReleaseRequirements(kubernetes=">= 1.0"), kubernetes="unknown")
    assert pending_message(reasons) == "parse kubernetes version failed: Invalid Semantic Version"


def test_pending_message_joins_reasons_with_semicolons():
    reasons = [NotMetReason("a", "first"), NotMetReason("b", "second")]
    assert pending_message(reasons) == "first;second"


def test_e3_shape_wraps_the_e2_text():
    e2 = (
        "requirements are not satisfied: current kubernetes version is not suitable: "
        "1.28.0 is less than or equal to 1.28.0"
    )
    assert e3_message(e2) == (
        "check module release requirements: validate release: requirements are not satisfied: "
        "current kubernetes version is not suitable: 1.28.0 is less than or equal to 1.28.0"
    )
