Feature: Modules enabled by their edition bundle, and modules an edition does not offer
  From Deckhouse v1.75 a module's module.yaml says in which editions it is available and in which
  bundles it is enabled without a ModuleConfig (accessibility.editions.<edition>.enabledInBundles).

  Background:
    Given it is Monday 2024-12-16 09:00 UTC

  @claim:DKP-37 @deckhouse-since:v1.75.0
  Scenario: A module enabled by the bundle gets its release without a ModuleConfig
    Given the registry has the modules:
      | module   | version | channels | accessibility                                                             |
      | bundled  | v1.0.0  | stable   | {ee: {available: true, enabledInBundles: [Default]}}                      |
      | ee-only  | v1.0.0  | stable   | {_default: {available: false}, ee: {available: true, enabledInBundles: []}} |
    And the cluster has the objects of "features/sources/example-source.yaml"
    When 6 minutes pass
    Then the releases of module "bundled" are:
      | name           | phase    |
      | bundled-v1.0.0 | Deployed |
    And the Module "bundled" matches:
      """
      properties:
        source: example
        accessibility:
          editions:
            ee:
              available: true
              enabledInBundles: [Default]
      """
    And no ModuleRelease of module "ee-only" exists

  @claim:DKP-37 @deckhouse-before:v1.75.0
  Scenario: Before v1.75 the bundle of a downloaded module enables nothing
    Given the registry has the modules:
      | module   | version | channels | accessibility                                                             |
      | bundled  | v1.0.0  | stable   | {ee: {available: true, enabledInBundles: [Default]}}                      |
      | ee-only  | v1.0.0  | stable   | {_default: {available: false}, ee: {available: true, enabledInBundles: []}} |
    And the cluster has the objects of "features/sources/example-source.yaml"
    When 6 minutes pass
    Then no ModuleRelease of module "bundled" exists
    And the Module "bundled" is in phase "Available"

  @claim:DKP-37 @deckhouse-since:v1.75.0
  Scenario: The Minimal bundle does not enable a module bundled only in Default
    Given the cluster runs the Minimal bundle
    And the registry has the modules:
      | module   | version | channels | accessibility                                                             |
      | bundled  | v1.0.0  | stable   | {ee: {available: true, enabledInBundles: [Default]}}                      |
      | ee-only  | v1.0.0  | stable   | {_default: {available: false}, ee: {available: true, enabledInBundles: []}} |
    And the cluster has the objects of "features/sources/example-source.yaml"
    When 6 minutes pass
    Then no ModuleRelease of module "bundled" exists

  @claim:DKP-38 @deckhouse-since:v1.75.0
  Scenario: A module the edition does not offer is Unavailable even when a ModuleConfig enables it
    Given the cluster runs the ce edition
    And the registry has the modules:
      | module   | version | channels | accessibility                                                             |
      | bundled  | v1.0.0  | stable   | {ee: {available: true, enabledInBundles: [Default]}}                      |
      | ee-only  | v1.0.0  | stable   | {_default: {available: false}, ee: {available: true, enabledInBundles: []}} |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "ee-only" enables the module
    When 6 minutes pass
    Then the Module "ee-only" matches:
      """
      status:
        phase: Unavailable
        conditions:
        - type: EnabledByModuleManager
          status: "False"
          reason: EditionAvailableExtender
          message: unavailable in 'ce' edition
      """

  @claim:DKP-37
  Scenario: A cluster pinned to Deckhouse v1.74 ignores the bundle in any run
    Given the cluster runs Deckhouse v1.74.0
    And the registry has the modules:
      | module  | version | channels | accessibility                                        |
      | bundled | v1.0.0  | stable   | {ee: {available: true, enabledInBundles: [Default]}} |
    And the cluster has the objects of "features/sources/example-source.yaml"
    When 6 minutes pass
    Then no ModuleRelease of module "bundled" exists
