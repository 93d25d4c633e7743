Feature: Today's release fetcher always walks the registry step by step
  From Deckhouse v1.76 the source controller no longer creates only the channel's version when the
  jump looks small: it lists the module's tags and creates the highest patch of every minor from
  the deployed version up to the channel's, the deployed minor's newer patch included
  (docs/dkp-eras.md, "step-by-step-always"). The page's era keeps its shortcuts; the truth tables
  in tests/dkp/rules/test_dkp_stepbystep_eras.py compare both.

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module     | version | channels |
      | module-one | v0.7.23 | stable   |
      | module-one | v0.7.24 |          |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "module-one" enables the module

  @claim:DKP-48 @claim:DKP-07 @deckhouse-since:v1.76.0
  Scenario: A jump of several minors first takes the newest patch of the deployed minor
    Given the registry has the modules:
      | module     | version |
      | module-one | v0.8.0  |
      | module-one | v0.8.2  |
      | module-one | v0.9.1  |
    When 15 seconds pass
    And the "stable" channel of module "module-one" moves to v0.9.1
    And 3 minutes pass
    And 10 minutes pass
    Then the releases of module "module-one" are:
      | name               | phase      |
      | module-one-v0.7.23 | Superseded |
      | module-one-v0.7.24 | Superseded |
      | module-one-v0.8.2  | Superseded |
      | module-one-v0.9.1  | Deployed   |
    And the ModuleRelease "module-one-v0.7.24" went through Pending, Deployed, Superseded
    And the ModuleRelease "module-one-v0.7.24" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (step-by-step)
      """
    And the ModuleRelease "module-one-v0.9.1" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (step-by-step)
      """
    And at no time were two releases of module "module-one" Deployed

  @claim:DKP-48 @deckhouse-since:v1.76.0
  Scenario: A patch the channel moves to is created step by step as well
    When 15 seconds pass
    And the "stable" channel of module "module-one" moves to v0.7.24
    And 3 minutes pass
    Then the ModuleRelease "module-one-v0.7.24" is in phase "Deployed"
    And the ModuleRelease "module-one-v0.7.24" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (step-by-step)
      """

  @claim:DKP-49 @deckhouse-since:v1.76.0
  Scenario: A channel that moves back below the deployed version creates nothing
    Given the registry has the modules:
      | module     | version |
      | module-one | v0.7.22 |
    When 15 seconds pass
    And the "stable" channel of module "module-one" moves to v0.7.24
    And 3 minutes pass
    Then the ModuleRelease "module-one-v0.7.24" is in phase "Deployed"
    When the "stable" channel of module "module-one" moves to v0.7.22
    And 3 minutes pass
    Then the releases of module "module-one" are:
      | name               | phase      |
      | module-one-v0.7.23 | Superseded |
      | module-one-v0.7.24 | Deployed   |
    And the ModuleSource "example" matches:
      """
      status:
        modules:
        - name: module-one
          version: v0.7.22
          error: ~
      """

  @claim:DKP-50 @deckhouse-since:v1.76.0
  Scenario: Releases already bridged by a from-to rule are not walked again
    The pending release v0.9.0 declares that it may be installed straight from v0.7, so the
    releases v0.7.23 and v0.9.0 already form a chain: the fetcher starts after v0.9.0, finds nothing
    newer and creates no v0.8.2. (Before v1.76 the fetcher walks from v0.7.23 and creates v0.8.2.)
    A Manual policy keeps v0.9.0 Pending while the channel moves.

    Given the registry has the modules:
      | module     | version |
      | module-one | v0.8.2  |
      | module-one | v0.9.0  |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: manual
      spec:
        releaseChannel: Stable
        update:
          mode: Manual
      """
    When I patch the ModuleConfig "module-one" with:
      """
      spec:
        updatePolicy: manual
      """
    And 15 seconds pass
    And I apply:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: module-one-v0.9.0
        labels: {module: module-one, source: example, modules.deckhouse.io/update-policy: manual}
      spec:
        moduleName: module-one
        version: 0.9.0
        update:
          versions:
          - from: "0.7"
            to: "0.9"
      """
    And the "stable" channel of module "module-one" moves to v0.9.0
    And 3 minutes pass
    Then the releases of module "module-one" are:
      | name               | phase    |
      | module-one-v0.7.23 | Deployed |
      | module-one-v0.9.0  | Pending  |
