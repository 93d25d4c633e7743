Feature: Today's ModuleSource: per-module error field, scan interval and the default source

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module   | version | channels |
      | module-1 | v1.0.0  | stable   |

  @claim:DKP-36 @deckhouse-since:v1.73.0
  Scenario: A module's fetch error is recorded in status.modules[].error
    Given the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "module-1" enables the module
    And 3 minutes pass
    When the "stable" channel of module "module-1" is removed from the registry
    And 3 minutes pass
    Then the ModuleSource "example" has the message "Some errors occurred. Inspect status for details"
    And the ModuleSource "example" matches:
      """
      status:
        modules:
        - name: module-1
          version: unknown
          pullError: ~
      """
    When I run `kubectl get ms example -o jsonpath={.status.modules[0].error}`
    Then the output contains "MANIFEST_UNKNOWN: manifest unknown; map[Tag:stable]"

  @claim:DKP-40 @deckhouse-since:v1.75.0
  Scenario: spec.scanInterval sets how often the repository is rescanned
    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: example
      spec:
        scanInterval: 10m
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      """
    And 1 minute pass
    When the registry publishes:
      | module   | version | channels |
      | module-2 | v1.0.0  | stable   |
    And 5 minutes pass
    Then the ModuleSource "example" matches:
      """
      spec:
        scanInterval: 10m0s
      status:
        modulesCount: 1
      """
    When 5 minutes pass
    Then the ModuleSource "example" matches:
      """
      status:
        modulesCount: 2
      """

  @claim:DKP-46 @deckhouse-since:v1.73.0
  Scenario: Only one ModuleSource may be the default source
    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: first
        annotations:
          modules.deckhouse.io/default-source: "true"
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      """
    When I try to apply:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: second
        annotations:
          modules.deckhouse.io/default-source: "true"
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      """
    Then the API server refuses it with a message containing "there can only be one default source"
