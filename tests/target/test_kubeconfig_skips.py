"""What a real cluster cannot be made to be: the scenario is skipped before anything is touched."""

from __future__ import annotations

import pytest

from harness.target.base import ScenarioOptions, TargetSkip
from harness.target.kubeconfig import KubeconfigTarget


def test_a_scenario_that_chooses_the_embedded_modules_of_the_build_is_skipped_on_a_real_cluster():
    options = ScenarioOptions(embedded_modules=frozenset({"parca"}))
    with pytest.raises(TargetSkip, match="ships chosen modules embedded"):
        KubeconfigTarget.start(object(), options)  # type: ignore[arg-type]
