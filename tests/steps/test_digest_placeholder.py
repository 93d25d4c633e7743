"""``the registry digest of module … at tag … is ${DIGEST}`` names a digest for later YAML.

DKP's override-controller tests start from a ModulePullOverride whose ``status.imageDigest``
already holds the digest of its tag (their installer mock answers a fixed one). A scenario cannot
write the digest the scenario's registry computes, so the step reads it and ``${DIGEST}`` carries
it into the seed; the lint accepts the name before any run, and a wrong one is the scenario's
mistake.
"""

from __future__ import annotations

from harness.steps.catalogue import CATALOGUE
from harness.steps.lint import lint

pytest_plugins = ["pytester"]

NAMED = '''\
Feature: a digest named for the seed
  Scenario: The seeded override holds the digest of its tag
    Given the registry has the modules:
      | module     | version |
      | module-one | v1.0.0  |
      | module-one | v1.1.0  |
    And the registry digest of module "module-one" at tag "v1.0.0" is ${DIGEST}
    And the registry digest of module "module-one" at tag "v1.1.0" is ${DIGEST_NEW}
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: module-one
        annotations:
          example.com/next: ${DIGEST_NEW}
      spec:
        imageTag: v1.0.0
      status:
        imageDigest: ${DIGEST}
      """
    Then the ModulePullOverride "module-one" matches:
      """
      metadata:
        annotations:
          example.com/next: ${DIGEST_NEW}
      status:
        imageDigest: ${DIGEST}
      """
'''


def test_the_named_digest_is_the_registrys_and_fills_seeds_and_checks(feature_project, pytester):
    """The module is unknown, so the override controller leaves the digest alone (and the
    registry's digest of a manifest is the sha256 of its bytes, which the step reads)."""
    feature_project("named", NAMED)
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


UNPUBLISHED = """\
Feature: a digest of an image that is not there
  Scenario: The tag was never published
    Given the registry has the modules:
      | module     | version |
      | module-one | v1.0.0  |
    And the registry digest of module "module-one" at tag "main" is ${DIGEST}
"""


def test_a_digest_of_an_unpublished_tag_is_the_scenarios_mistake(feature_project, pytester):
    feature_project("unpublished", UNPUBLISHED)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*ScenarioError: module 'module-one' has no image tagged 'main'*publish it first*"]
    )


WRONG_NAME = """\
Feature: a digest named like something else
  Scenario: The name is not a digest's
    Given the registry has the modules:
      | module     | version |
      | module-one | v1.0.0  |
    And the registry digest of module "module-one" at tag "v1.0.0" is ${REGISTRY}
"""


def test_only_digest_names_can_be_defined(feature_project, pytester):
    feature_project("wrong", WRONG_NAME)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*${REGISTRY} cannot name a digest: write ${DIGEST} or ${DIGEST_<WORD>}*"])


def test_the_lint_accepts_digest_placeholders_and_still_refuses_unknown_ones(tmp_path):
    features = tmp_path / "features"
    features.mkdir()
    (features / "a.feature").write_text(
        NAMED
        + '''
  Scenario: an unknown placeholder
    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: module-one
      spec:
        imageTag: ${TAG}
      """
''',
        encoding="utf-8",
    )
    report = lint(features, CATALOGUE)
    problems = [problem for _, problem in report.invalid]
    assert len(problems) == 1 and "unknown placeholder ${TAG}" in problems[0]
