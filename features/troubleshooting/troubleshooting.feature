Feature: Finding out why a module does not run
  The page's troubleshooting advice: the Deckhouse log, the Module, the ModuleConfig, the
  ModuleSource and the ModuleReleases each tell part of the story. Page section: "Troubleshooting".

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module     | version | channels | weight |
      | module-one | v0.7.24 | stable   | 910    |

  @claim:TR-02 @claim:DKP-13 @deviation
  Scenario: A ModuleConfig for a module no source offers is ignored until a source offers it
    The page runs `kubectl get moduleconfig module-1` and prints a row named module-one;
    kubectl prints the name it was asked for.

    Given the cluster has the objects of "features/sources/example-source.yaml"
    When the ModuleConfig "module-1" enables the module
    And I run `kubectl get moduleconfig module-1`
    Then the output has the columns "NAME ENABLED VERSION AGE MESSAGE"
    And the row of "module-1" reads:
      | ENABLED | true                          |
      | MESSAGE | Ignored: unknown module name  |
    But the page says: the row of "module-one" reads:
      | ENABLED | true                          |
      | MESSAGE | Ignored: unknown module name  |
    When the registry publishes:
      | module   | version  | channels |
      | module-1 | v1.23.2  | stable   |
    And 3 minutes pass
    Then the ModuleConfig "module-1" matches:
      """
      status:
        message: ""
      """

  @claim:TR-01
  Scenario: kubectl logs shows the Deckhouse log
    Given the cluster has the objects of "features/sources/example-source.yaml"
    When the ModuleConfig "module-one" enables the module
    And I run `kubectl -n d8-system logs -l app=deckhouse --tail=-1`
    Then the output contains "module enabled by module config"

  @claim:EN-06 @claim:DKP-23 @deviation @deckhouse-before:v1.76.0
  Scenario: A failing hook puts the module in Error with READY False
    The page shows READY "Error"; READY is the status of the IsReady condition, which is False.

    Given the registry has the modules:
      | module     | version | channels | hook error               |
      | module-two | v1.2.3  | stable   | hook failed: no database |
    And the cluster has the objects of "features/sources/example-source.yaml"
    When the ModuleConfig "module-two" enables the module
    And 15 seconds pass
    And I run `kubectl get module module-two`
    Then the row of "module-two" reads:
      | PHASE   | Error |
      | ENABLED | True  |
      | READY   | False |
    But the page says: the row of "module-two" reads:
      | PHASE   | Error |
      | ENABLED | True  |
      | READY   | Error |
    And the Module "module-two" matches:
      """
      status:
        conditions:
        - type: IsReady
          status: "False"
          reason: HookError
          message: 'hook failed: no database'
      """

  @claim:EN-06 @claim:DKP-23 @deviation
  Scenario: In every Deckhouse version a failing hook puts the module in Error, not ready
    The page shows READY "Error"; the Module's IsReady condition, which READY prints, is False.

    Given the registry has the modules:
      | module     | version | channels | hook error               |
      | module-two | v1.2.3  | stable   | hook failed: no database |
    And the cluster has the objects of "features/sources/example-source.yaml"
    When the ModuleConfig "module-two" enables the module
    And 15 seconds pass
    Then the Module "module-two" matches:
      """
      status:
        phase: Error
        conditions:
        - type: EnabledByModuleManager
          status: "True"
        - type: IsReady
          status: "False"
          reason: HookError
          message: 'hook failed: no database'
      """

  @claim:EN-02
  Scenario: A module whose source cannot be read never starts downloading
    Given the registry answers 500 for "module-one/release"
    And the cluster has the objects of "features/sources/example-source.yaml"
    When the ModuleConfig "module-one" enables the module
    And 3 minutes pass
    Then the Module "module-one" is in phase "Available"
    And no ModuleRelease of module "module-one" exists
    And the ModuleSource "example" has the message "Some errors occurred. Inspect status for details"

  @claim:MS-02
  Scenario: A source recovers at the next scan after the registry comes back
    Given the registry is down
    And the cluster has the objects of "features/sources/example-source.yaml"
    Then the Module "module-one" does not exist
    And the ModuleSource "example" has a message containing "deckhouse/modules"
    When the registry comes back
    And 3 minutes pass
    Then the Module "module-one" is in phase "Available"
    And the ModuleSource "example" has the message ""

  @claim:DKP-21
  Scenario: A release image without version.json is reported for the enabled module
    Given the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "module-one" enables the module
    And the "stable" channel of module "module-one" has a release without version.json
    When 3 minutes pass
    Then the ModuleSource "example" has the message "Some errors occurred. Inspect status for details"
    And the ModuleSource "example" matches:
      """
      status:
        modules:
        - name: module-one
          version: unknown
      """

  @claim:DKP-33
  Scenario: A ModulePullOverride takes the module out of release management
    Given the registry has the modules:
      | module     | version |
      | module-one | v0.8.0  |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "module-one" enables the module
    When 15 seconds pass
    And I apply:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: module-one
      spec:
        imageTag: v0.8.0
      """
    And the "stable" channel of module "module-one" moves to v0.8.0
    And 3 minutes pass
    Then the ModuleSource "example" matches:
      """
      status:
        modules:
        - name: module-one
          overridden: true
      """
    And the releases of module "module-one" are:
      | name               | phase    |
      | module-one-v0.7.24 | Deployed |
    And the ModulePullOverride "module-one" has the message "Ready"
