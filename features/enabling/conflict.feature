Feature: A module offered by several sources needs its source named
  With two ModuleSources offering module-one and no spec.source in its ModuleConfig, DKP cannot
  choose: the module is in Conflict until the ModuleConfig names a source. Page section: "Module source".

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
      kind: ModuleSource
      metadata:
        name: other
      spec:
        registry:
          repo: ${REGISTRY}/other/modules
          scheme: HTTP
      """

  @claim:EN-07 @claim:DKP-10 @deckhouse-before:v1.76.0
  Scenario: The enabled module is in Conflict and naming the source resolves it
    When the ModuleConfig "module-one" enables the module
    And I run `kubectl get module module-one`
    Then the row of "module-one" reads:
      | SOURCE  |          |
      | PHASE   | Conflict |
      | ENABLED | False    |
      | READY   | False    |
    And the Module "module-one" matches:
      """
      status:
        conditions:
        - type: IsReady
          status: "False"
          reason: Conflict
          message: several available sources
      """
    When I patch the ModuleConfig "module-one" with:
      """
      spec:
        source: other
      """
    Then the Module "module-one" matches:
      """
      properties:
        source: other
      """
    When 15 seconds pass
    Then the releases of module "module-one" are:
      | name               | phase    |
      | module-one-v0.7.25 | Deployed |
    And the Module "module-one" went through Conflict, Downloading, Ready

  @claim:EN-07 @claim:DKP-10
  Scenario: In every Deckhouse version the module is in Conflict until its source is named
    When the ModuleConfig "module-one" enables the module
    Then the Module "module-one" matches:
      """
      status:
        phase: Conflict
        conditions:
        - type: IsReady
          status: "False"
          reason: Conflict
          message: several available sources
      """
    When I patch the ModuleConfig "module-one" with:
      """
      spec:
        source: other
      """
    Then the Module "module-one" matches:
      """
      properties:
        source: other
      """
    When 15 seconds pass
    Then the releases of module "module-one" are:
      | name               | phase    |
      | module-one-v0.7.25 | Deployed |
    And the Module "module-one" went through Conflict, Downloading, Ready

  @claim:DKP-31
  Scenario: Disabling a module in Conflict returns it to Available
    When the ModuleConfig "module-one" enables the module
    Then the Module "module-one" is in phase "Conflict"
    When the ModuleConfig "module-one" disables the module
    Then the Module "module-one" is in phase "Available"

  @beyond-page
  Scenario: A ModuleConfig may not name a source that does not offer the module
    DKP's ModuleConfig webhook (deckhouse/deckhouse PR #10336, the module config controller of
    v1.67) refuses a spec.source that is not among the module's available sources, naming them.

    Given the ModuleConfig "module-one" enables the module
    When I try to apply:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        source: elsewhere
      """
    Then the API server refuses it with a message containing "admission webhook "module-configs.deckhouse-webhook.deckhouse.io" denied the request: the 'elsewhere' module source is an unavailable source for the 'module-one' module, available sources: [example other]"
    And the ModuleConfig "module-one" matches:
      """
      spec:
        source: ~
      """
