Feature: Enabling a module with a ModuleConfig
  A ModuleConfig named like the module, with spec.enabled true, turns it on; the module then
  downloads, installs and becomes Ready. Page sections: "Module source", "Enabling the module".

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module     | version | channels | weight | requires deckhouse | requires kubernetes |
      | module-one | v0.7.24 | stable   | 910    | > v1.63.0          | > v1.25.0           |
      | module-two | v1.2.3  | stable   |        |                    |                     |
    And the cluster has the objects of "features/sources/example-source.yaml"

  @claim:EN-01 @claim:EN-02 @claim:EN-03 @claim:EN-04 @deckhouse-before:v1.76.0 @simulation-only
  Scenario: The page's ModuleConfig takes module-one through Downloading and Installing to Ready
    When I apply:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        source: example
      """
    And I run `kubectl get module module-one`
    Then the row of "module-one" reads:
      | WEIGHT  |             |
      | SOURCE  | example     |
      | PHASE   | Downloading |
      | ENABLED | False       |
      | READY   | False       |
    When 5 seconds pass
    And I run `kubectl get module module-one`
    Then the row of "module-one" reads:
      | WEIGHT  | 910        |
      | PHASE   | Installing |
      | ENABLED | False      |
      | READY   | False      |
    When 10 seconds pass
    And I run `kubectl get module module-one`
    Then the row of "module-one" reads:
      | WEIGHT  | 910   |
      | SOURCE  | example |
      | PHASE   | Ready |
      | ENABLED | True  |
      | READY   | True  |
    And the Module "module-one" went through Available, Downloading, Installing, Ready

  @claim:EN-01 @claim:EN-02 @claim:EN-03 @claim:EN-04 @simulation-only
  Scenario: In every Deckhouse version the page's ModuleConfig takes module-one to Ready
    From Deckhouse v1.76 `kubectl get module` prints the package view, so this checks the same
    states on the Module object itself. Its checks of the passing Downloading and Installing
    states at their instants need the simulator's clock: on a real cluster the module is Ready
    before a check 5 seconds later can look.

    When I apply:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        source: example
      """
    Then the Module "module-one" matches:
      """
      properties:
        source: example
      status:
        phase: Downloading
      """
    When 5 seconds pass
    Then the Module "module-one" matches:
      """
      properties:
        weight: 910
      status:
        phase: Installing
      """
    When 10 seconds pass
    Then the Module "module-one" matches:
      """
      properties:
        weight: 910
        source: example
      status:
        phase: Ready
        conditions:
        - type: EnabledByModuleManager
          status: "True"
        - type: IsReady
          status: "True"
      """
    And the Module "module-one" went through Available, Downloading, Installing, Ready

  @claim:EN-03
  Scenario: A module without a weight of its own is installed with weight 900
    When the ModuleConfig "module-two" enables the module
    And 15 seconds pass
    Then the Module "module-two" matches:
      """
      properties:
        weight: 900
      status:
        phase: Ready
      """

  @claim:EN-05
  Scenario: An installed module shows its version, source, requirements and ready conditions
    When the ModuleConfig "module-one" enables the module
    And 15 seconds pass
    Then the Module "module-one" matches:
      """
      properties:
        availableSources:
        - example
        releaseChannel: Stable
        requirements:
          deckhouse: '> v1.63.0'
          kubernetes: '> v1.25.0'
        source: example
        version: v0.7.24
        weight: 910
      status:
        conditions:
        - type: EnabledByModuleConfig
          status: "True"
        - type: EnabledByModuleManager
          status: "True"
        - type: IsReady
          status: "True"
        - type: IsOverridden
          status: "False"
        hooksState: 'v0.7.24/hooks/moduleVersion.py: ok'
        phase: Ready
      """

  @claim:DKP-11 @simulation-only
  Scenario: A module offered by exactly one source takes that source when enabled
    When the ModuleConfig "module-two" enables the module
    Then the Module "module-two" matches:
      """
      properties:
        source: example
      status:
        phase: Downloading
        conditions:
        - type: IsReady
          status: "False"
          reason: Downloading
          message: downloading
      """

  @claim:EN-09
  Scenario: deckhouse-controller module enable has the same effect as a ModuleConfig
    When the Deckhouse CLI enables the module "module-one"
    And 15 seconds pass
    Then the ModuleConfig "module-one" matches:
      """
      spec:
        enabled: true
      """
    And the Module "module-one" is in phase "Ready"

  @claim:EN-09
  Scenario: The page's kubectl exec command runs deckhouse-controller in the leading Deckhouse pod
    When I run `kubectl -ti -n d8-system exec svc/deckhouse-leader -c deckhouse -- deckhouse-controller module enable module-one`
    Then the output is:
      """
      Module module-one enabled
      """
    When 15 seconds pass
    Then the Module "module-one" is in phase "Ready"
    When the Deckhouse CLI disables the module "module-one"
    Then the ModuleConfig "module-one" matches:
      """
      spec:
        enabled: false
      """
    And the Module "module-one" matches:
      """
      status:
        conditions:
        - type: EnabledByModuleConfig
          status: "False"
      """

  @claim:DKP-31 @simulation-only
  Scenario: Disabling a Downloading module returns it to Available
    When the ModuleConfig "module-one" enables the module
    Then the Module "module-one" is in phase "Downloading"
    When the ModuleConfig "module-one" disables the module
    Then the Module "module-one" matches:
      """
      status:
        phase: Available
        conditions:
        - type: EnabledByModuleConfig
          status: "False"
        - type: IsReady
          status: "False"
          reason: NotInstalled
      """

  @claim:DKP-31
  Scenario: Disabling a Ready module marks it not ready, then the module manager leaves it Downloaded
    The config controller's disableModule keeps the phase (Ready) and writes IsReady Disabled
    (its golden); the module manager then turns the module off and the kube_config extender's
    verdict settles it as Downloaded (dkp-behaviour §3.3; a DKP 1.67 cluster lists disabled
    downloaded modules as "Downloaded False False"). The settled state is what kubectl shows.

    When the ModuleConfig "module-one" enables the module
    And 15 seconds pass
    And the ModuleConfig "module-one" disables the module
    Then the Module "module-one" matches:
      """
      status:
        phase: Downloaded
        conditions:
        - type: EnabledByModuleConfig
          status: "False"
        - type: EnabledByModuleManager
          status: "False"
          reason: ModuleConfig
          message: turned off by module config
        - type: IsReady
          status: "False"
          reason: ModuleConfig
          message: turned off by module config
      """
    And the Module "module-one" went through Ready, Downloaded
