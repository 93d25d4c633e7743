Feature: The embedded update policy of a cluster that names no update mode

  The deckhouse ModuleConfig carries the policy of every module without a ModuleUpdatePolicy.
  When it names no `settings.update.mode`, Deckhouse up to v1.76 ran that policy as `Auto`;
  from v1.77 it runs it as the documented `AutoPatch`, so a minor module release waits for
  approval (docs/dkp-eras.md, `embedded-policy-autopatch`). The change also reached v1.75.15 and
  v1.76.9 as backports, so the `Auto` scenario runs only before v1.75.15; `backports.feature`
  pins the patches on both sides of each cherry-pick.

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module   | version | channels |
      | module-1 | v1.0.0  | stable   |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "module-1" enables the module
    And 3 minutes pass

  @deckhouse-since:v1.77.0 @beyond-page
  Scenario: From v1.77 a minor module release waits for approval
    When I patch the ModuleConfig "deckhouse" with:
      """
      spec:
        settings:
          update: null
      """
    And the registry has the modules:
      | module   | version | channels |
      | module-1 | v1.1.0  | stable   |
    And 3 minutes pass
    Then the ModuleRelease "module-1-v1.0.0" is in phase "Deployed"
    And the ModuleRelease "module-1-v1.1.0" is in phase "Pending"
    And the ModuleRelease "module-1-v1.1.0" has a message containing "modules.deckhouse.io/approved"

  @deckhouse-before:v1.75.15 @beyond-page
  Scenario: Before the AutoPatch default a minor module release deploys on its own
    When I patch the ModuleConfig "deckhouse" with:
      """
      spec:
        settings:
          update: null
      """
    And the registry has the modules:
      | module   | version | channels |
      | module-1 | v1.1.0  | stable   |
    And 3 minutes pass
    Then the ModuleRelease "module-1-v1.1.0" is in phase "Deployed"
