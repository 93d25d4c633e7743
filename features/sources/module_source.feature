Feature: A ModuleSource tells DKP where to find modules
  DKP scans the registry named in a ModuleSource, reports what it found in the source's status,
  and creates one Module object per module it finds. Page section: "Module source".

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module     | version | channels | weight |
      | module-one | v0.7.24 | stable   | 910    |
      | module-two | v1.2.3  | stable   |        |

  @claim:MS-01 @claim:MS-07 @claim:DKP-24
  Scenario: The page's ModuleSource is synchronised and its modules appear as Module objects
    Given the cluster has the objects of "features/sources/example-source.yaml"
    Then the ModuleSource "example" matches:
      """
      status:
        phase: Active
        syncTime: "2024-12-16T09:00:00Z"
        modulesCount: 2
        modules:
        - name: module-one
          version: v0.7.24
        - name: module-two
          version: v1.2.3
      """
    And the ModuleSource "example" has the message ""
    And the Module "module-one" is in phase "Available"
    And the Module "module-two" is in phase "Available"

  @claim:MS-02
  Scenario: DKP rescans the source every three minutes
    Given the cluster has the objects of "features/sources/example-source.yaml"
    When the registry publishes:
      | module       | version | channels |
      | module-three | v0.1.0  | stable   |
    And 2 minutes pass
    Then the Module "module-three" does not exist
    When 60 seconds pass
    Then the Module "module-three" is in phase "Available"
    And the ModuleSource "example" matches:
      """
      status:
        modulesCount: 3
        syncTime: "2024-12-16T09:03:00Z"
      """

  @claim:MS-03 @deviation
  Scenario: kubectl get ms shows the count and an empty MSG after a clean sync
    The page shows MSG "Ready" for a healthy source; DKP writes an empty status.message,
    so the MSG cell is blank. COUNT and SYNC behave as the page says.

    Given the cluster has the objects of "features/sources/example-source.yaml"
    When I run `kubectl get ms`
    Then the output has the columns "NAME COUNT SYNC MSG"
    And the row of "example" reads:
      | COUNT | 2 |
      | MSG   |   |
    But the page says: the row of "example" reads:
      | COUNT | 2     |
      | MSG   | Ready |

  @claim:MS-04 @claim:MS-05 @claim:TR-03 @deckhouse-before:v1.73.0
  Scenario: A missing release channel of an enabled module is reported as a sync error
    Given the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "module-one" enables the module
    When the "stable" channel of module "module-one" is removed from the registry
    And 3 minutes pass
    Then the ModuleSource "example" has the message "Some errors occurred. Inspect status for details"
    When I run `kubectl get ms`
    Then the row of "example" reads:
      | MSG | Some errors occurred. Inspect status for details |
    When I run `kubectl get ms example -o jsonpath='{range .status.modules[*]}{.name}{" module error: "}{.pullError}{"\n"}{end}'`
    Then the output contains "module-one module error: "
    And the output contains "/v2/deckhouse/modules/module-one/release/manifests/stable: MANIFEST_UNKNOWN: manifest unknown; map[Tag:stable]"

  @claim:MS-04 @claim:TR-03
  Scenario: In every Deckhouse version a missing release channel of an enabled module is a sync error
    Where the per-module error is written changed in v1.73 (pullError, then error); the source's
    message did not.

    Given the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "module-one" enables the module
    When the "stable" channel of module "module-one" is removed from the registry
    And 3 minutes pass
    Then the ModuleSource "example" has the message "Some errors occurred. Inspect status for details"
    When I run `kubectl get ms`
    Then the row of "example" reads:
      | MSG | Some errors occurred. Inspect status for details |

  @claim:DKP-21
  Scenario: A broken module that is not enabled from the source is not reported as an error
    Given the cluster has the objects of "features/sources/example-source.yaml"
    When the "stable" channel of module "module-two" is removed from the registry
    And 3 minutes pass
    Then the ModuleSource "example" matches:
      """
      status:
        modules:
        - name: module-two
          version: unknown
          pullError: ~
      """
    And the ModuleSource "example" has the message ""

  @claim:MS-06
  Scenario: jsonpath lists the modules of one source and of all sources
    Given the registry has the modules:
      | module       | version | channels | repo          |
      | module-three | v0.1.0  | stable   | other/modules |
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
    When the cluster settles
    And I run `kubectl get ms example -o jsonpath='{.status.modules[*].name}'`
    Then the output is:
      """
      module-one module-two
      """
    When I run `kubectl get ms -o jsonpath='{.items[*].status.modules[*].name}'`
    Then the output is:
      """
      module-one module-two module-three
      """

  @claim:MS-08 @claim:EN-08 @deckhouse-before:v1.76.0
  Scenario: kubectl get module lists discovered modules as Available and not enabled
    Given the cluster has the objects of "features/sources/example-source.yaml"
    When I run `kubectl get module`
    Then the output has the columns "NAME WEIGHT SOURCE PHASE ENABLED READY"
    And the row of "module-one" reads:
      | WEIGHT  |           |
      | SOURCE  |           |
      | PHASE   | Available |
      | ENABLED | False     |
      | READY   | False     |

  @claim:EN-08
  Scenario: In every Deckhouse version kubectl get modules lists the modules a source offers
    From v1.76 the command prints the package view (other columns), but still one row per module.

    Given the cluster has the objects of "features/sources/example-source.yaml"
    When I run `kubectl get modules`
    Then the output contains "module-one"
    And the output contains "module-two"

  @claim:MS-09
  Scenario: A discovered module's YAML shows its source and why it is not running
    Given the cluster has the objects of "features/sources/example-source.yaml"
    Then the Module "module-one" matches:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: module-one
      properties:
        availableSources:
        - example
      status:
        phase: Available
        conditions:
        - type: EnabledByModuleConfig
          status: "False"
          reason: Disabled
          message: disabled
        - type: EnabledByModuleManager
          status: "False"
        - type: IsReady
          status: "False"
          reason: NotInstalled
          message: not installed
      """

  @claim:DKP-25
  Scenario: A dockerCfg without an entry for the registry host fails the scan without showing credentials
    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: example
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
          dockerCfg: eyJhdXRocyI6IHsicmVnaXN0cnkuZXhhbXBsZS5jb20iOiB7ImF1dGgiOiAiWVd4cFkyVTZjek5qY21WMCJ9fX0=
      """
    Then the ModuleSource "example" matches:
      """
      status:
        message: 'read auth config: "${REGISTRY}/deckhouse/modules" credentials not found in the dockerCfg'
      """
    And the Module "module-one" does not exist

  @claim:DKP-34
  Scenario: A module that leaves the registry is deleted unless it is enabled
    Given the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "module-one" enables the module
    When the module "module-one" is removed from the registry
    And the module "module-two" is removed from the registry
    And 3 minutes pass
    Then the Module "module-two" does not exist
    And the Module "module-one" matches:
      """
      properties:
        availableSources: []
      """
