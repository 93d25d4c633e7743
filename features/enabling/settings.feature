Feature: A ModuleConfig both enables and configures a module
  spec.settings are checked against the module's settings schema (spec.version names the schema
  version). Page section: "Enabling the module".

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module     | version | channels | settings schema                                                                  |
      | module-one | v0.7.24 | stable   | {type: object, additionalProperties: false, properties: {parameter: {type: string}}} |
    And the cluster has the objects of "features/sources/example-source.yaml"

  @claim:EN-10
  Scenario: The page's ModuleConfig with settings and a version enables and configures the module
    When I apply:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        settings:
          parameter: value
        version: 1
      """
    And 15 seconds pass
    Then the Module "module-one" is in phase "Ready"
    And the ModuleConfig "module-one" matches:
      """
      status:
        message: ""
      """

  @claim:DKP-32
  Scenario: Settings that break the installed module's schema are reported in the ModuleConfig
    DKP validates a ModuleConfig against the schema of the module its module manager has loaded
    (the config controller's refreshModuleConfigStatus); a module that was never downloaded has
    no schema yet, and its first release is Suspended at deploy instead (dkp-behaviour §5.8). So
    the module is installed first, then its settings are broken.

    When I apply:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        settings:
          parameter: value
        version: 1
      """
    And 15 seconds pass
    Then the Module "module-one" is in phase "Ready"
    When I patch the ModuleConfig "module-one" with:
      """
      spec:
        settings:
          parameter: 42
      """
    Then the ModuleConfig "module-one" has a message containing "Error: "
    And the ModuleConfig "module-one" matches:
      """
      status:
        version: ""
      """
    When I run `kubectl get mc module-one`
    Then the output contains "Error: moduleOne.parameter in body must be of type string"
