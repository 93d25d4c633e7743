Feature: Without a ModuleUpdatePolicy a module follows Deckhouse's own update settings
  The deckhouse ModuleConfig's releaseChannel and update settings act as a built-in policy with
  an empty name. Page section: "Module update policy".

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module     | version | channels |
      | module-one | v0.7.24 | stable   |
      | module-one | v0.7.25 | alpha    |
    And the cluster has the objects of "features/sources/example-source.yaml"

  @claim:UP-02 @claim:DKP-27
  Scenario: The module reads the Stable channel and updates automatically by default
    When the ModuleConfig "module-one" enables the module
    And 15 seconds pass
    Then the Module "module-one" matches:
      """
      properties:
        releaseChannel: Stable
        version: v0.7.24
      """
    And the ModuleSource "example" matches:
      """
      status:
        modules:
        - name: module-one
          policy: ~
      """

  @claim:UP-02 @claim:DKP-27
  Scenario: The deckhouse module's channel and mode apply to the module
    When I patch the ModuleConfig "deckhouse" with:
      """
      spec:
        settings:
          releaseChannel: Alpha
          update:
            mode: Manual
      """
    And the ModuleConfig "module-one" enables the module
    And 15 seconds pass
    Then the Module "module-one" matches:
      """
      properties:
        releaseChannel: Alpha
        version: v0.7.25
      """
    And the ModuleRelease "module-one-v0.7.25" matches:
      """
      metadata:
        labels:
          modules.deckhouse.io/update-policy: ""
      status:
        phase: Deployed
      """
