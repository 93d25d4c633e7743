Feature: Today's release controller: requirements messages, the package mirror, documentation

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module   | version | channels | requires kubernetes |
      | module-1 | v1.0.0  | stable   |                     |
      | module-2 | v1.0.0  | stable   | > 1.30.0            |
    And the cluster has the objects of "features/sources/example-source.yaml"

  @claim:DKP-41 @deckhouse-since:v1.75.0
  Scenario: Unmet requirements are reported with the checker's prefixes
    Given the ModuleConfig "module-2" enables the module
    When 3 minutes pass
    Then the ModuleRelease "module-2-v1.0.0" is in phase "Pending"
    And the ModuleRelease "module-2-v1.0.0" has the message "check module release requirements: validate release: requirements are not satisfied: current kubernetes version is not suitable: 1.30.0 is less than or equal to 1.30.0"

  @claim:DKP-43 @deckhouse-since:v1.76.0
  Scenario: A deployed release is mirrored into the package view of its Module
    Given the ModuleConfig "module-1" enables the module
    When 3 minutes pass
    Then the ModuleRelease "module-1-v1.0.0" is in phase "Deployed"
    And the Module "module-1" matches:
      """
      spec:
        packageVersion: v1.0.0
        packageRepositoryName: example
      """
    When I run `kubectl get modules.v1alpha2.deckhouse.io module-1`
    Then the output has the columns "NAME VERSION STATE MESSAGE AGE"
    And the row of "module-1" reads:
      | VERSION | v1.0.0 |

  @claim:DKP-43 @deckhouse-since:v1.76.0
  Scenario: The first version mirrored into the package view brings the ModuleConfig along
    The write that first puts a version on the Module's package view also copies the module's
    ModuleConfig onto it, its spec.version as settingsVersion (upstream modulesync EnsureModule;
    the release-controller goldens at 049a95cf show settingsVersion: 1).

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-1
      spec:
        version: 1
        enabled: true
      """
    When 3 minutes pass
    Then the ModuleRelease "module-1-v1.0.0" is in phase "Deployed"
    And the Module "module-1" matches:
      """
      spec:
        packageVersion: v1.0.0
        packageRepositoryName: example
        settingsVersion: 1
        enabled: true
      """

  @claim:DKP-43 @deckhouse-since:v1.76.0
  Scenario: A release that was already Deployed is mirrored at the controller's next look
    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: module-1-v1.0.0
        labels:
          module: module-1
        ownerReferences:
        - apiVersion: deckhouse.io/v1alpha1
          kind: ModuleSource
          name: example
          uid: 71d2300f-700b-452a-896a-6a3805f9cef7
          controller: true
      spec:
        moduleName: module-1
        version: 1.0.0
      status:
        phase: Deployed
      """
    When the cluster settles
    Then the ModuleRelease "module-1-v1.0.0" is in phase "Deployed"
    And the Module "module-1" matches:
      """
      spec:
        packageVersion: v1.0.0
        packageRepositoryName: example
      """

  @deckhouse-since:v1.76.0 @beyond-page
  Scenario: A ModulePullOverride's dev image is the package view, marked dev
    Given the registry has the modules:
      | module   | version |
      | module-1 | v1.1.0  |
    And the ModuleConfig "module-1" enables the module
    And 3 minutes pass
    When I apply:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: module-1
      spec:
        imageTag: v1.1.0
      """
    And 15 seconds pass
    Then the ModulePullOverride "module-1" has the message "Ready"
    And the Module "module-1" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/dev: "true"
      spec:
        packageVersion: v1.1.0
        packageRepositoryName: example
      """

  @claim:DKP-47 @deckhouse-since:v1.75.0
  Scenario: A deployed release of an enabled module documents itself at the module's mount
    Given the ModuleConfig "module-1" enables the module
    When 3 minutes pass
    Then the ModuleDocumentation "module-1" matches:
      """
      metadata:
        labels:
          module: module-1
          source: example
        ownerReferences:
        - kind: ModuleRelease
          name: module-1-v1.0.0
      spec:
        version: v1.0.0
        path: /modules/module-1
      """

  @claim:DKP-47 @deckhouse-before:v1.75.0
  Scenario: Up to v1.74 a deployed release documents itself at its versioned download directory
    Given the ModuleConfig "module-1" enables the module
    When 3 minutes pass
    Then the ModuleDocumentation "module-1" matches:
      """
      metadata:
        labels:
          module: module-1
          source: example
        ownerReferences:
        - kind: ModuleRelease
          name: module-1-v1.0.0
      spec:
        version: v1.0.0
        path: /module-1/v1.0.0
      """

  @beyond-page
  Scenario: A ModulePullOverride documents its dev image while the release leaves the documentation alone
    The override controller writes the documentation after each deploy of its image, owned by the
    override, with the image tag as version and the image digest as checksum; while the override
    exists the release controller's looks at the deployed release leave the object alone.

    Given the registry has the modules:
      | module   | version |
      | module-1 | v1.1.0  |
    And the ModuleConfig "module-1" enables the module
    And 3 minutes pass
    And the registry digest of module "module-1" at tag "v1.1.0" is ${DIGEST}
    When I apply:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: module-1
      spec:
        imageTag: v1.1.0
      """
    And 15 seconds pass
    Then the ModulePullOverride "module-1" has the message "Ready"
    And the ModuleDocumentation "module-1" matches:
      """
      metadata:
        labels:
          module: module-1
          source: example
        ownerReferences:
        - apiVersion: deckhouse.io/v1alpha2
          kind: ModulePullOverride
          name: module-1
          controller: true
      spec:
        version: v1.1.0
        checksum: ${DIGEST}
      """
    When 1 minute passes
    Then the ModuleDocumentation "module-1" matches:
      """
      spec:
        version: v1.1.0
      """

  @beyond-page @deckhouse-before:v1.76.11
  Scenario: Deleting a ModulePullOverride deletes the documentation it owns
    The garbage collector deletes what the override owned. The deployed release documents itself
    again at the release controller's next look at it, which comes with Deckhouse's restart (not
    simulated); from v1.77, and v1.76.11 (backport #22289), the config controller may restore it
    sooner.

    Given the registry has the modules:
      | module   | version |
      | module-1 | v1.1.0  |
    And the ModuleConfig "module-1" enables the module
    And 3 minutes pass
    When I apply:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: module-1
      spec:
        imageTag: v1.1.0
      """
    And 15 seconds pass
    Then the ModuleDocumentation "module-1" matches:
      """
      spec:
        version: v1.1.0
      """
    When I delete the ModulePullOverride "module-1"
    And 1 minute passes
    Then the ModulePullOverride "module-1" does not exist
    And the ModuleDocumentation "module-1" does not exist

  @beyond-page @deckhouse-before:v1.75.0
  Scenario: Up to v1.74 an override's documentation names its dev directory
    Given the registry has the modules:
      | module   | version |
      | module-1 | v1.1.0  |
    And the ModuleConfig "module-1" enables the module
    And 3 minutes pass
    When I apply:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: module-1
      spec:
        imageTag: v1.1.0
      """
    And 15 seconds pass
    Then the ModuleDocumentation "module-1" matches:
      """
      spec:
        path: /module-1/dev
      """

  @beyond-page @deckhouse-since:v1.75.0
  Scenario: From v1.75 an override's documentation names the module's mount
    Given the registry has the modules:
      | module   | version |
      | module-1 | v1.1.0  |
    And the ModuleConfig "module-1" enables the module
    And 3 minutes pass
    When I apply:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: module-1
      spec:
        imageTag: v1.1.0
      """
    And 15 seconds pass
    Then the ModuleDocumentation "module-1" matches:
      """
      spec:
        path: /modules/module-1
      """

  @claim:DKP-02 @deckhouse-since:v1.76.0
  Scenario: From v1.76 the update-window message prints the year in full
    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: deckhouse
      spec:
        version: 1
        settings:
          releaseChannel: Stable
          update:
            mode: Auto
            windows:
            - days: ["Wed"]
              from: "13:30"
              to: "14:00"
      """
    And the ModuleConfig "module-1" enables the module
    And 3 minutes pass
    And the registry has the modules:
      | module   | version | channels |
      | module-1 | v1.0.1  | stable   |
    When 3 minutes pass
    Then the ModuleRelease "module-1-v1.0.1" has the message "Release is waiting for the update window until 18 Dec 2024 13:30 UTC"

  @claim:DKP-02 @deckhouse-before:v1.76.0
  Scenario: Up to v1.75 the update-window message prints the time as RFC 822
    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: deckhouse
      spec:
        version: 1
        settings:
          releaseChannel: Stable
          update:
            mode: Auto
            windows:
            - days: ["Wed"]
              from: "13:30"
              to: "14:00"
      """
    And the ModuleConfig "module-1" enables the module
    And 3 minutes pass
    And the registry has the modules:
      | module   | version | channels |
      | module-1 | v1.0.1  | stable   |
    When 3 minutes pass
    Then the ModuleRelease "module-1-v1.0.1" has the message "Release is waiting for the update window until 18 Dec 24 13:30 UTC"

  @deckhouse-since:v1.77.0 @beyond-page
  Scenario: From v1.77 switching a module off drops its documentation, switching it on restores it
    Given the ModuleConfig "module-1" enables the module
    And 3 minutes pass
    When the ModuleConfig "module-1" disables the module
    Then the ModuleDocumentation "module-1" does not exist
    When the ModuleConfig "module-1" enables the module
    Then the ModuleDocumentation "module-1" matches:
      """
      spec:
        version: v1.0.0
        path: /modules/module-1
      """

  @beyond-page @deckhouse-before:v1.78.0
  Scenario: Up to v1.77 a release's status stores an empty message and a zero size
    DKP writes a release's whole typed status; its message and size have no omitempty yet, so
    they are stored at their zero values (upstream's release-controller goldens up to v1.77).

    Given the ModuleConfig "module-1" enables the module
    When 3 minutes pass
    Then the ModuleRelease "module-1-v1.0.0" matches:
      """
      status:
        phase: Deployed
        approved: false
        message: ""
        size: 0
        pullDuration: 0s
      """

  @beyond-page @deckhouse-since:v1.78.0
  Scenario: From v1.78 a release's status leaves an empty message and a zero size out
    The newest release-controller goldens (suite at 049a95cf) print neither: the fields gained
    omitempty. approved (a bool) and pullDuration (a struct) are still written.

    Given the ModuleConfig "module-1" enables the module
    When 3 minutes pass
    Then the ModuleRelease "module-1-v1.0.0" matches:
      """
      status:
        phase: Deployed
        approved: false
        message: ~
        size: ~
        pullDuration: 0s
      """
    And the ModuleSource "example" matches:
      """
      status:
        phase: Active
        message: ~
      """
