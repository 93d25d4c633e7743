Feature: Switching a module to another ModuleSource
  Create the new ModuleSource, name it in the ModuleConfig's spec.source, and the module's new
  releases come from it. Page section: "Switching the module to a different module source".

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module     | version | channels | repo          |
      | module-one | v0.7.24 | stable   |               |
      | module-one | v0.7.25 | stable   | other/modules |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        source: example
      """
    And 15 seconds pass

  @claim:SW-01 @claim:DKP-12
  Scenario: Naming the new source in the ModuleConfig deploys its release and supersedes the old one
    When I apply:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: other
      spec:
        registry:
          repo: ${REGISTRY}/other/modules
          scheme: HTTP
      """
    Then the ModuleSource "other" matches:
      """
      status:
        modules:
        - name: module-one
      """
    When I patch the ModuleConfig "module-one" with:
      """
      spec:
        source: other
      """
    And 3 minutes pass
    Then the releases of module "module-one" are:
      | name               | phase      |
      | module-one-v0.7.24 | Superseded |
      | module-one-v0.7.25 | Deployed   |
    And the ModuleRelease "module-one-v0.7.25" matches:
      """
      metadata:
        labels:
          source: other
      """
    And the Module "module-one" matches:
      """
      properties:
        source: other
        version: v0.7.25
        availableSources: [example, other]
      """
    And at no time were two releases of module "module-one" Deployed

  @claim:DKP-14
  Scenario: A source that owns a deployed release cannot be deleted
    When I delete the ModuleSource "example"
    Then the ModuleSource "example" matches:
      """
      status:
        phase: Terminating
        message: The source contains at least 1 deployed release and cannot be deleted. Please delete target ModuleReleases manually to continue
      """
    When I delete the ModuleRelease "module-one-v0.7.24"
    And 5 seconds pass
    Then the ModuleSource "example" does not exist

  @claim:DKP-15
  Scenario: The force-delete annotation deletes the source and its releases go with it
    When I annotate the ModuleSource "example" with modules.deckhouse.io/force-delete="true"
    And I delete the ModuleSource "example"
    And 5 seconds pass
    Then the ModuleSource "example" does not exist
    And no ModuleRelease of module "module-one" exists
