Feature: A built-in module taken over by an external source
  From Deckhouse v1.76 an Embedded module that a ModuleSource also offers is pre-staged from the
  source its ModuleConfig names; once its release is installed the module's source is that source.

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module | version | channels |
      | echo   | v1.0.0  | stable   |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: echo
        annotations:
          modules.deckhouse.io/embedded: "true"
      properties:
        source: Embedded
        weight: 900
      """
    And the cluster has the objects of "features/sources/example-source.yaml"
    And 3 minutes pass
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: echo
      spec:
        enabled: true
        source: example
      """

  @claim:DKP-44 @deckhouse-since:v1.76.0
  Scenario: The named source's release is installed and the module leaves Embedded
    When 6 minutes pass
    Then the ModuleRelease "echo-v1.0.0" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (no releases in cluster)
        labels:
          source: example
      status:
        phase: Deployed
      """
    And the Module "echo" matches:
      """
      properties:
        source: example
      """

  @claim:DKP-44 @deckhouse-before:v1.76.0
  Scenario: Before v1.76 an Embedded module stays with its built-in copy
    When 6 minutes pass
    Then no ModuleRelease of module "echo" exists
    And the Module "echo" matches:
      """
      properties:
        source: Embedded
      """
