Feature: Sources, module configs and pull overrides, as DKP's controller tests seed them
  Objects are written with their status, as the upstream tests' fake clients hold them; the
  controllers then handle them.

  Background:
    Given it is Thursday 2019-10-17 15:33 UTC

  @claim:DKP-26
  Scenario: A scan creates the first release only for the modules enabled from the source
    Upstream source-controller case "proceed-enabled-modules": the Modules already name the
    source; the one whose EnabledByModuleConfig is False gets no release, the one with a policy
    gets that policy's label and channel.

    Given the registry has the modules:
      | module           | version | channels      |
      | disabledmodule   | v1.2.3  | stable, alpha |
      | enabledmodule    | v1.2.3  | stable        |
      | withpolicymodule | v1.2.3  | alpha         |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-1
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: test-alpha
      spec:
        releaseChannel: Alpha
        update:
          mode: Manual
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: disabledmodule
      properties:
        source: test-source-1
        availableSources: [test-source-1]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "False"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: enabledmodule
      properties:
        source: test-source-1
        availableSources: [test-source-1]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: withpolicymodule
      properties:
        source: test-source-1
        updatePolicy: test-alpha
        availableSources: [test-source-1]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      """
    When the cluster settles
    Then the ModuleSource "test-source-1" matches:
      """
      metadata:
        finalizers: [modules.deckhouse.io/module-exists]
      status:
        phase: Active
        modulesCount: 3
        modules:
        - {name: disabledmodule, version: v1.2.3}
        - {name: enabledmodule, version: v1.2.3}
        - {name: withpolicymodule, version: v1.2.3, policy: test-alpha}
      """
    And the ModuleSource "test-source-1" has the message ""
    And no ModuleRelease of module "disabledmodule" exists
    And the ModuleRelease "enabledmodule-v1.2.3" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (no releases in cluster)
        labels:
          module: enabledmodule
          modules.deckhouse.io/update-policy: ""
          source: test-source-1
        ownerReferences:
        - {kind: ModuleSource, name: test-source-1, controller: true}
      spec:
        moduleName: enabledmodule
        version: 1.2.3
        weight: 900
      """
    And the ModuleRelease "withpolicymodule-v1.2.3" matches:
      """
      metadata:
        labels:
          module: withpolicymodule
          modules.deckhouse.io/update-policy: test-alpha
          source: test-source-1
      """

  @claim:DKP-18
  Scenario: Disabling an enabled module deletes its pending release and marks it disabled
    Upstream config-controller case "disable-with-releases".

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: test-module
      spec:
        enabled: false
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: test-module
      properties:
        source: test-source
      status:
        phase: Ready
        conditions:
        - type: EnabledByModuleConfig
          status: "True"
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: test-module-v1.0.0
        labels:
          module: test-module
      spec:
        moduleName: test-module
        version: 1.0.0
      status:
        phase: Pending
      """
    When the cluster settles
    Then no ModuleRelease of module "test-module" exists
    And the ModuleConfig "test-module" matches:
      """
      metadata:
        finalizers: [modules.deckhouse.io/module-registered]
      status:
        message: ""
        version: "1"
      """
    And the Module "test-module" matches:
      """
      status:
        phase: Ready
        conditions:
        - {type: EnabledByModuleConfig, status: "False"}
        - {type: IsReady, status: "False", reason: Disabled, message: disabled}
        - {type: LastReleaseDeployed, status: Unknown}
      """

  @beyond-page
  Scenario: A ModuleConfig naming another available source switches the module and its policy
    Upstream config-controller case "change-source".

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: test-module
      properties:
        source: old-source
        updatePolicy: auto
        availableSources: [old-source, new-source]
      status:
        phase: Ready
        conditions:
        - type: EnabledByModuleConfig
          status: "True"
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: test-module
      spec:
        enabled: true
        source: new-source
        updatePolicy: manual
      """
    When the cluster settles
    Then the Module "test-module" matches:
      """
      properties:
        availableSources: [old-source, new-source]
        source: new-source
        updatePolicy: manual
      status:
        phase: Ready
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      """
    And the ModuleConfig "test-module" matches:
      """
      metadata:
        finalizers: [modules.deckhouse.io/module-registered]
      status:
        message: ""
      """

  @beyond-page
  Scenario Outline: A ModulePullOverride of a module it cannot override says why: <message>
    Upstream override-controller case "<case>": the module's own state decides, before any
    registry is read.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: test-module
      spec:
        imageTag: main
        scanInterval: 15s
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: test-module
      properties:
        source: <source>
      status:
        conditions:
        - type: EnabledByModuleConfig
          status: "<enabled>"
      """
    When the cluster settles
    Then the ModulePullOverride "test-module" has the message "<message>"
    And the ModulePullOverride "test-module" matches:
      """
      metadata:
        finalizers: ~
      """

    Examples:
      | case            | source   | enabled | message                                   |
      | no-source       | ""       | True    | The module does not have an active source |
      | disabled-module | dev      | False   | The module disabled                       |
      | embedded-module | Embedded | True    | The module is embedded                    |

  @beyond-page
  Scenario: A ModulePullOverride of a module that does not exist says so and waits
    Upstream override-controller case "module not found" (testdata overrides/module-not-found):
    there is no Module object yet; the override gets neither the finalizer nor a digest.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: test-module
      spec:
        imageTag: main
        scanInterval: 15s
      """
    When the cluster settles
    Then the ModulePullOverride "test-module" matches:
      """
      metadata:
        finalizers: ~
      status:
        message: The module not found
        imageDigest: ~
      """
    And the Module "test-module" does not exist

  @beyond-page
  Scenario: A ModulePullOverride of a disabled module forgets the digest it had pulled
    Upstream override-controller case "disabled module" (testdata overrides/disabled-module): the
    override was Ready with a digest; with the module disabled the digest is cleared, so the image
    is pulled again once the module is enabled.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: test-module
      spec:
        imageTag: main
        scanInterval: 15s
      status:
        message: Ready
        imageDigest: sha256:cafe
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: test-module
      properties:
        source: dev
      status:
        conditions:
        - type: EnabledByModuleConfig
          status: "False"
      """
    When the cluster settles
    Then the ModulePullOverride "test-module" matches:
      """
      metadata:
        finalizers: ~
      status:
        message: The module disabled
        imageDigest: ~
      """
    And the Module "test-module" matches:
      """
      properties:
        source: dev
      status:
        conditions:
        - type: EnabledByModuleConfig
          status: "False"
      """

  @beyond-page
  Scenario: A ModulePullOverride of an enabled module whose source is gone marks it overridden
    Upstream override-controller case "source-not-found".

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: test-module
        finalizers:
        - modules.deckhouse.io/mpo-finalizer
      spec:
        imageTag: main
        scanInterval: 15s
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: test-module
      properties:
        source: dev
      status:
        conditions:
        - type: EnabledByModuleConfig
          status: "True"
      """
    When the cluster settles
    Then the ModulePullOverride "test-module" has the message "The source not found"
    And the Module "test-module" matches:
      """
      status:
        conditions:
        - type: IsOverridden
          status: "True"
      """

  @claim:DKP-48 @deckhouse-since:v1.76.0
  Scenario: From v1.76 the scan walks on from the last release of the chain, its minor's newer patch included
    Upstream source-controller case "source with module releases and registry check" (testdata
    existing-module-releases-with-listing-registry), run by the fetcher that always steps: the
    releases in the cluster (v1.4.1 deployed, v1.5.2 pending, both of another source) form a
    chain, so the walk starts at v1.5.2 and creates the highest patch of v1.5, v1.6 and v1.7 up
    to the channel's v1.7.1.

    Given the registry has the modules:
      | module | version | channels |
      | parca  | v1.3.1  |          |
      | parca  | v1.4.1  |          |
      | parca  | v1.5.2  |          |
      | parca  | v1.5.3  |          |
      | parca  | v1.6.1  |          |
      | parca  | v1.6.2  |          |
      | parca  | v1.7.2  |          |
      | parca  | v1.7.1  | stable   |
    And the cluster has the objects of "features/upstream/parca-listing.yaml"
    When the cluster settles
    Then the releases of module "parca" are:
      | name         | phase    | message                                    |
      | parca-v1.4.1 | Deployed |                                            |
      | parca-v1.5.2 | Pending  | Update policy foxtrot-alpha not found      |
      | parca-v1.5.3 | Pending  | awaiting for v1.5.2 release to be deployed |
      | parca-v1.6.2 | Pending  | awaiting for v1.5.2 release to be deployed |
      | parca-v1.7.1 | Pending  | awaiting for v1.5.2 release to be deployed |
    And the ModuleRelease "parca-v1.6.2" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (step-by-step)
        labels:
          source: test-source-1
          modules.deckhouse.io/update-policy: ""
      """

  @deckhouse-before:v1.76.0 @beyond-page
  Scenario: Before v1.76 the scan steps from the last release of the chain to the channel, one release per minor
    Upstream source-controller case "source with module releases and registry check" (testdata
    existing-module-releases-with-listing-registry, the golden of the fetcher before it always
    stepped): v1.5.2 → v1.7.1 skips a minor, so the fetcher lists the tags and creates the highest
    patch of each minor after v1.5.

    Given the registry has the modules:
      | module | version | channels |
      | parca  | v1.3.1  |          |
      | parca  | v1.4.1  |          |
      | parca  | v1.5.2  |          |
      | parca  | v1.5.3  |          |
      | parca  | v1.6.1  |          |
      | parca  | v1.6.2  |          |
      | parca  | v1.7.2  |          |
      | parca  | v1.7.1  | stable   |
    And the cluster has the objects of "features/upstream/parca-listing.yaml"
    When the cluster settles
    Then the releases of module "parca" are:
      | name         | phase    | message                                    |
      | parca-v1.4.1 | Deployed |                                            |
      | parca-v1.5.2 | Pending  | Update policy foxtrot-alpha not found      |
      | parca-v1.6.2 | Pending  | awaiting for v1.5.2 release to be deployed |
      | parca-v1.7.1 | Pending  | awaiting for v1.5.2 release to be deployed |
    And the ModuleSource "test-source-1" matches:
      """
      status:
        message: ""
        modules:
        - {name: parca, version: v1.7.1}
      """
    And the ModuleRelease "parca-v1.7.1" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (step-by-step)
        labels:
          source: test-source-1
      """

  @claim:DKP-44 @deckhouse-since:v1.76.0
  Scenario: An enabled Embedded module offered by one source takes that source's release
    Upstream source-controller case "embedded-module-single-source": the Module is Embedded and
    enabled, no ModuleConfig names a source; the only source creates the first release, which
    deploys and switches the module to that source.

    Given the registry has the modules:
      | module       | version | channels |
      | ingressnginx | v1.2.3  | stable   |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-1
      spec:
        registry: {repo: "${REGISTRY}/deckhouse/modules", scheme: HTTP}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: ingressnginx
      properties:
        source: Embedded
        availableSources: [test-source-1]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      """
    When the cluster settles
    Then the ModuleRelease "ingressnginx-v1.2.3" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (no releases in cluster)
        labels:
          source: test-source-1
      status:
        phase: Deployed
      """
    And the Module "ingressnginx" matches:
      """
      properties:
        source: test-source-1
      """

  @claim:DKP-44 @deckhouse-since:v1.76.0
  Scenario: An enabled Embedded module offered by two sources, none chosen, gets no release
    Upstream source-controller case "embedded-module-several-sources-conflict".

    Given the registry has the modules:
      | module       | version | channels | repo                |
      | ingressnginx | v1.2.3  | stable   | deckhouse/modules   |
      | ingressnginx | v1.2.3  | stable   | deckhouse/modules-2 |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-1
      spec:
        registry: {repo: "${REGISTRY}/deckhouse/modules", scheme: HTTP}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-2
      spec:
        registry: {repo: "${REGISTRY}/deckhouse/modules-2", scheme: HTTP}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: ingressnginx
      properties:
        source: Embedded
        availableSources: [test-source-1, test-source-2]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      """
    When the cluster settles
    Then no ModuleRelease of module "ingressnginx" exists
    And the ModuleSource "test-source-1" matches:
      """
      status:
        modules:
        - {name: ingressnginx, version: v1.2.3}
      """
    And the Module "ingressnginx" matches:
      """
      properties:
        source: Embedded
      """


  @claim:DKP-44 @deckhouse-since:v1.76.0
  Scenario: An enabled Embedded module offered by two sources takes the release of the one its config names
    Upstream source-controller case "embedded-module-chosen-source" (testdata
    embedded-module-chosen-source): test-source-1 and test-source-2 both offer the Embedded
    module, and its ModuleConfig names test-source-1; test-source-1 creates the first release,
    test-source-2 none.

    Given the registry has the modules:
      | module       | version | channels | repo                |
      | ingressnginx | v1.2.3  | stable   | deckhouse/modules   |
      | ingressnginx | v1.2.3  | stable   | deckhouse/modules-2 |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-1
      spec:
        registry: {repo: "${REGISTRY}/deckhouse/modules", scheme: HTTP}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-2
      spec:
        registry: {repo: "${REGISTRY}/deckhouse/modules-2", scheme: HTTP}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: ingressnginx
        annotations: {modules.deckhouse.io/embedded: "true"}
      properties:
        source: Embedded
        availableSources: [test-source-1, test-source-2]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: ingressnginx
      spec:
        enabled: true
        source: test-source-1
      """
    When the cluster settles
    Then the releases of module "ingressnginx" are:
      | name                | phase    |
      | ingressnginx-v1.2.3 | Deployed |
    And the ModuleRelease "ingressnginx-v1.2.3" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (no releases in cluster)
        labels:
          module: ingressnginx
          modules.deckhouse.io/update-policy: ""
          source: test-source-1
        ownerReferences:
        - {kind: ModuleSource, name: test-source-1, controller: true}
      """
    And the ModuleSource "test-source-1" matches:
      """
      metadata:
        finalizers: [modules.deckhouse.io/module-exists]
      status:
        phase: Active
        modules:
        - {name: ingressnginx, version: v1.2.3}
      """

  @claim:DKP-44 @deckhouse-since:v1.76.0
  Scenario: An enabled Embedded module whose config names a source that does not offer it gets no release
    Upstream source-controller case "embedded-module-stale-chosen-source" (testdata
    embedded-module-stale-chosen-source): only test-source-1 offers the Embedded module, but its
    ModuleConfig names test-source-2; test-source-1 lists the module and creates no release, and
    the module stays Embedded. The config is seeded before the Module exists: DKP's ModuleConfig
    webhook refuses a config naming a source the existing Module is not offered by.

    Given the registry has the modules:
      | module       | version | channels |
      | ingressnginx | v1.2.3  | stable   |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: ingressnginx
      spec:
        enabled: true
        source: test-source-2
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-1
      spec:
        registry: {repo: "${REGISTRY}/deckhouse/modules", scheme: HTTP}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: ingressnginx
        annotations: {modules.deckhouse.io/embedded: "true"}
      properties:
        source: Embedded
        availableSources: [test-source-1]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      """
    When the cluster settles
    Then no ModuleRelease of module "ingressnginx" exists
    And the ModuleSource "test-source-1" matches:
      """
      metadata:
        finalizers: [modules.deckhouse.io/module-exists]
      status:
        phase: Active
        modulesCount: 1
        modules:
        - {name: ingressnginx, version: v1.2.3}
      """
    And the Module "ingressnginx" matches:
      """
      properties:
        source: Embedded
      """

  @claim:DKP-44 @deckhouse-since:v1.76.0
  Scenario: An enabled Embedded module offered by two sources takes no release from the one its config does not name
    Upstream source-controller case "embedded module with several sources and a different chosen
    source" (testdata embedded-module-other-chosen-source): test-source-1 and test-source-2 both
    offer the Embedded module and its ModuleConfig names test-source-2; test-source-1, the source
    the case reconciles, lists the module and pre-stages no release. The upstream test looks at
    test-source-1 alone; here test-source-2 is scanned too, so the module's only release is
    test-source-2's, as the chosen source's own scan makes it.

    Given the registry has the modules:
      | module       | version | channels | repo                |
      | ingressnginx | v1.2.3  | stable   | deckhouse/modules   |
      | ingressnginx | v1.2.3  | stable   | deckhouse/modules-2 |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-1
      spec:
        registry: {repo: "${REGISTRY}/deckhouse/modules", scheme: HTTP}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-2
      spec:
        registry: {repo: "${REGISTRY}/deckhouse/modules-2", scheme: HTTP}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: ingressnginx
      properties:
        source: Embedded
        availableSources: [test-source-1, test-source-2]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: ingressnginx
      spec:
        enabled: true
        source: test-source-2
      """
    When the cluster settles
    Then the releases of module "ingressnginx" are:
      | name                | phase    |
      | ingressnginx-v1.2.3 | Deployed |
    And the ModuleRelease "ingressnginx-v1.2.3" matches:
      """
      metadata:
        labels:
          source: test-source-2
        ownerReferences:
        - {kind: ModuleSource, name: test-source-2, controller: true}
      """
    And the ModuleSource "test-source-1" matches:
      """
      metadata:
        finalizers: [modules.deckhouse.io/module-exists]
      status:
        phase: Active
        modulesCount: 1
        modules:
        - {name: ingressnginx, version: v1.2.3}
      """

  @claim:DKP-44
  Scenario: After the upgrade to v1.76 a config naming Embedded is no choice, so two sources get no release
    Upstream source-controller case "embedded module with several sources and Embedded chosen
    source" (testdata embedded-module-embedded-chosen-source): the Embedded module's
    ModuleConfig names "Embedded", which the v1.76 source controller takes as no choice, so
    test-source-1 and test-source-2 are a conflict and test-source-1 lists the module and creates
    no release. From v1.76 DKP's ModuleConfig webhook refuses "Embedded" as a source, so such a
    config can only predate the upgrade: the cluster starts on v1.75, where the config is
    written before the Module exists (the webhook of every version refuses a source the existing
    Module is not offered by), and is then updated to v1.76.

    Given the cluster runs Deckhouse v1.75.0
    And the registry has the modules:
      | module       | version | channels | repo                |
      | ingressnginx | v1.2.3  | stable   | deckhouse/modules   |
      | ingressnginx | v1.2.3  | stable   | deckhouse/modules-2 |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: ingressnginx
      spec:
        enabled: true
        source: Embedded
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-1
      spec:
        registry: {repo: "${REGISTRY}/deckhouse/modules", scheme: HTTP}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-2
      spec:
        registry: {repo: "${REGISTRY}/deckhouse/modules-2", scheme: HTTP}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: ingressnginx
        annotations: {modules.deckhouse.io/embedded: "true"}
      properties:
        source: Embedded
        availableSources: [test-source-1, test-source-2]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      """
    When Deckhouse is updated to v1.76.0
    And 3 minutes pass
    Then no ModuleRelease of module "ingressnginx" exists
    And the ModuleSource "test-source-1" matches:
      """
      metadata:
        finalizers: [modules.deckhouse.io/module-exists]
      status:
        phase: Active
        modulesCount: 1
        modules:
        - {name: ingressnginx, version: v1.2.3}
      """
    And the Module "ingressnginx" matches:
      """
      properties:
        source: Embedded
      """

  @deckhouse-before:v1.76.0 @beyond-page
  Scenario: Before v1.76 a pending release of the channel's version is rewritten from deployed, its changelog dropped
    Upstream source-controller case "LTS channel module direct update to latest version"
    (testdata module-lts-channel-direct-update, suite at 74c983e1): v1.0.0 is deployed and
    v1.1.0, v1.2.0 and v2.0.0 are pending; the Module names no update policy, so the embedded
    Stable policy applies (the LTS policy the releases are labelled with is not the module's) and
    the channel's v2.0.0 follows v1.0.0 without a skipped minor or major. The fetcher therefore
    rewrites the pending v2.0.0 itself: change cause "from deployed", and a spec rebuilt from the
    channel's image, which carries no changelog. The rewrite sets no requirements either, though
    the image names some (as the suite's mocked images do): upstream's fetcher copies them on
    create only, and the golden's rewritten v2.0.0 has none.

    Given the registry has the modules:
      | module     | version | channels | requires kubernetes |
      | testmodule | v1.0.0  |          | >= 1.27             |
      | testmodule | v1.1.0  |          | >= 1.27             |
      | testmodule | v1.2.0  |          | >= 1.27             |
      | testmodule | v2.0.0  | stable   | >= 1.27             |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-1
      spec:
        registry: {repo: "${REGISTRY}/deckhouse/modules", scheme: HTTP}
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: test-lts
      spec:
        releaseChannel: Lts
        update:
          mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: testmodule
      properties:
        version: 1.0.0
        source: test-source-1
        availableSources: [test-source-1]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: testmodule-v1.0.0
        labels: {module: testmodule, modules.deckhouse.io/update-policy: test-lts, release-checksum: 98d00f741c99e06e6c6c4d18b763c550, source: test-source-1}
      spec:
        changelog: {features: [Initial version]}
        moduleName: testmodule
        version: 1.0.0
        weight: 900
      status: {phase: Deployed, transitionTime: "2024-05-03T20:55:49Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: testmodule-v1.1.0
        labels: {module: testmodule, modules.deckhouse.io/update-policy: test-lts, release-checksum: 98d00f741c99e06e6c6c4d18b763c550, source: test-source-1}
      spec:
        changelog: {features: [Minor update]}
        moduleName: testmodule
        version: 1.1.0
        weight: 900
      status: {phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: testmodule-v1.2.0
        labels: {module: testmodule, modules.deckhouse.io/update-policy: test-lts, release-checksum: 98d00f741c99e06e6c6c4d18b763c550, source: test-source-1}
      spec:
        changelog: {features: [Another minor update]}
        moduleName: testmodule
        version: 1.2.0
        weight: 900
      status: {phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: testmodule-v2.0.0
        labels: {module: testmodule, modules.deckhouse.io/update-policy: test-lts, release-checksum: 98d00f741c99e06e6c6c4d18b763c550, source: test-source-1}
      spec:
        changelog: {features: [Major update]}
        moduleName: testmodule
        version: 2.0.0
        weight: 900
      status: {phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      """
    When the cluster settles
    Then the ModuleRelease "testmodule-v2.0.0" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (from deployed)
      spec:
        changelog: ~
        requirements: ~
        moduleName: testmodule
        version: 2.0.0
        weight: 900
      """
    And the ModuleRelease "testmodule-v1.1.0" matches:
      """
      spec:
        changelog:
          features: [Minor update]
      """
    And the ModuleSource "test-source-1" matches:
      """
      status:
        modules:
        - {name: testmodule, version: v2.0.0}
      """

  @claim:DKP-26 @deckhouse-before:v1.76.0
  Scenario: Before v1.76 a patch chain from the deployed release gets only the channel's patch, from deployed
    Upstream source-controller case "module source with existing module releases apply last patch
    without listing tags" (testdata existing-module-releases-without-listing-registry, the golden
    before the fetcher always stepped):
    v1.4.1 is deployed and v1.4.2, v1.4.3 pending, all from another source whose policy does not
    exist; the channel's v1.4.4 is another patch of the same minor, so the fetcher creates it
    alone, change cause "from deployed". The release controller then deploys the patch, which
    waits for no lower release. (The test file's spec.scanInterval arrived with v1.75's scan
    interval, after this golden; it is not checked here.)

    Given the registry has the modules:
      | module | version | channels |
      | parca  | v1.4.1  |          |
      | parca  | v1.4.2  |          |
      | parca  | v1.4.3  |          |
      | parca  | v1.4.4  | stable   |
    And the cluster has the objects of "features/upstream/parca-patches.yaml"
    When the cluster settles
    Then the ModuleRelease "parca-v1.4.4" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (from deployed)
        labels:
          module: parca
          modules.deckhouse.io/update-policy: ""
          source: test-source-1
        ownerReferences:
        - {kind: ModuleSource, name: test-source-1, controller: true}
      spec:
        moduleName: parca
        version: 1.4.4
        weight: 900
      """
    And the ModuleSource "test-source-1" matches:
      """
      metadata:
        finalizers: [modules.deckhouse.io/module-exists]
      status:
        phase: Active
        modulesCount: 1
        modules:
        - {name: parca, version: v1.4.4}
        syncTime: "2019-10-17T15:33:00Z"
      """
    And the releases of module "parca" are:
      | name         | phase      | message                               |
      | parca-v1.4.1 | Superseded |                                       |
      | parca-v1.4.2 | Pending    | Update policy foxtrot-alpha not found |
      | parca-v1.4.3 | Pending    | Update policy foxtrot-alpha not found |
      | parca-v1.4.4 | Deployed   |                                       |

  @claim:DKP-48 @deckhouse-since:v1.76.0
  Scenario: From v1.76 a patch chain gets the channel's patch by a step from its last release
    Upstream source-controller case "module source with existing module releases apply last patch
    without listing tags" (testdata existing-module-releases-without-listing-registry, the golden
    of the fetcher that always steps):
    v1.4.1 is deployed and v1.4.2, v1.4.3 pending, all from another source whose policy does not
    exist; the channel's v1.4.4 is another patch of the same minor, so the fetcher creates it
    alone, change cause "step-by-step". The walk starts at the last
    release of the chain, v1.4.3. The release controller then deploys the patch, which
    waits for no lower release.

    Given the registry has the modules:
      | module | version | channels |
      | parca  | v1.4.1  |          |
      | parca  | v1.4.2  |          |
      | parca  | v1.4.3  |          |
      | parca  | v1.4.4  | stable   |
    And the cluster has the objects of "features/upstream/parca-patches.yaml"
    When the cluster settles
    Then the ModuleRelease "parca-v1.4.4" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (step-by-step)
        labels:
          module: parca
          modules.deckhouse.io/update-policy: ""
          source: test-source-1
        ownerReferences:
        - {kind: ModuleSource, name: test-source-1, controller: true}
      spec:
        moduleName: parca
        version: 1.4.4
        weight: 900
      """
    And the ModuleSource "test-source-1" matches:
      """
      metadata:
        finalizers: [modules.deckhouse.io/module-exists]
      spec:
        scanInterval: 6h30m0s
      status:
        phase: Active
        modulesCount: 1
        modules:
        - {name: parca, version: v1.4.4}
        syncTime: "2019-10-17T15:33:00Z"
      """
    And the releases of module "parca" are:
      | name         | phase      | message                               |
      | parca-v1.4.1 | Superseded |                                       |
      | parca-v1.4.2 | Pending    | Update policy foxtrot-alpha not found |
      | parca-v1.4.3 | Pending    | Update policy foxtrot-alpha not found |
      | parca-v1.4.4 | Deployed   |                                       |

  @claim:DKP-26
  Scenario: A scan creates no release for a module enabled from another source, and ignores an old version
    Upstream source-controller case "proceed enabled modules with old version in module" (testdata
    proceed-enabled-modules-with-old-version): enabledmodule already names v1.2.2 in its
    properties but has no release, so it gets the channel's v1.2.3 as its first release;
    notthissourcemodule is offered by this source but enabled from another one, so it is listed
    and gets none.

    Given the registry has the modules:
      | module              | version | channels      |
      | disabledmodule      | v1.2.3  | stable, alpha |
      | enabledmodule       | v1.2.3  | stable        |
      | withpolicymodule    | v1.2.3  | alpha         |
      | notthissourcemodule | v1.2.3  | stable        |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-1
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: test-alpha
      spec:
        releaseChannel: Alpha
        update:
          mode: Manual
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: disabledmodule
      properties:
        source: test-source-1
        availableSources: [test-source-1]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "False"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: enabledmodule
      properties:
        version: 1.2.2
        source: test-source-1
        availableSources: [test-source-1]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: withpolicymodule
      properties:
        source: test-source-1
        updatePolicy: test-alpha
        availableSources: [test-source-1]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: notthissourcemodule
      properties:
        source: test-source-2
        availableSources: [test-source-1]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      """
    When the cluster settles
    Then the ModuleSource "test-source-1" matches:
      """
      metadata:
        finalizers: [modules.deckhouse.io/module-exists]
      status:
        phase: Active
        modulesCount: 4
        modules:
        - {name: disabledmodule, version: v1.2.3}
        - {name: enabledmodule, version: v1.2.3}
        - {name: notthissourcemodule, version: v1.2.3}
        - {name: withpolicymodule, version: v1.2.3, policy: test-alpha}
        syncTime: "2019-10-17T15:33:00Z"
      """
    And no ModuleRelease of module "disabledmodule" exists
    And no ModuleRelease of module "notthissourcemodule" exists
    And the ModuleRelease "enabledmodule-v1.2.3" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (no releases in cluster)
        labels:
          module: enabledmodule
          modules.deckhouse.io/update-policy: ""
          source: test-source-1
        ownerReferences:
        - {kind: ModuleSource, name: test-source-1, controller: true}
      spec:
        moduleName: enabledmodule
        version: 1.2.3
        weight: 900
      """
    And the ModuleRelease "withpolicymodule-v1.2.3" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (no releases in cluster)
        labels:
          module: withpolicymodule
          modules.deckhouse.io/update-policy: test-alpha
          source: test-source-1
      """

  @claim:DKP-26
  Scenario: A module whose properties name an older version but has no release gets the channel's as its first
    Upstream source-controller case "module source without module releases" (testdata
    without-module-releases): enabledmodule names v1.2.2 in its properties and has no release;
    the scan creates the channel's v1.4.2 (with apply-now in the golden), labelled with the built-in
    policy, and it deploys.

    Given the registry has the modules:
      | module        | version | channels |
      | enabledmodule | v1.4.2  | stable   |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-1
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: test-alpha
      spec:
        releaseChannel: Alpha
        update:
          mode: Manual
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: enabledmodule
      properties:
        version: 1.2.2
        source: test-source-1
        availableSources: [test-source-1]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      """
    When the cluster settles
    Then the ModuleSource "test-source-1" matches:
      """
      status:
        phase: Active
        modulesCount: 1
        modules:
        - {name: enabledmodule, version: v1.4.2}
      """
    And the ModuleRelease "enabledmodule-v1.4.2" went through Pending, Deployed
    And the ModuleRelease "enabledmodule-v1.4.2" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (no releases in cluster)
        labels:
          module: enabledmodule
          modules.deckhouse.io/update-policy: ""
          source: test-source-1
      spec:
        moduleName: enabledmodule
        version: 1.4.2
        weight: 900
      """

  @claim:DKP-11
  Scenario: Enabling a module offered by one source takes that source and the config's policy
    Upstream config-controller case "enable module" (testdata enable-module): the ModuleConfig
    enables the module and names the policy "Auto"; the Module, offered only by test-source and
    disabled so far, takes that source and the policy, and is enabled by its config.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: test-module
      spec:
        enabled: true
        updatePolicy: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: test-module
      properties:
        availableSources: [test-source]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "False"}
      """
    When the cluster settles
    Then the ModuleConfig "test-module" matches:
      """
      metadata:
        finalizers: [modules.deckhouse.io/module-registered]
      spec:
        enabled: true
        updatePolicy: Auto
      status:
        message: ""
        version: "1"
      """
    And the Module "test-module" matches:
      """
      properties:
        availableSources: [test-source]
        source: test-source
        updatePolicy: Auto
      status:
        conditions:
        - type: EnabledByModuleConfig
          status: "True"
      """

  @claim:DKP-10
  Scenario: Enabling a module offered by several sources, none chosen, puts it in Conflict
    Upstream config-controller case "module conflict with multiple sources" (testdata
    multiple-sources): three sources offer the module and its ModuleConfig names none.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: test-module
      spec:
        enabled: true
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: test-module
      properties:
        availableSources: [source-one, source-two, source-three]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      """
    When the cluster settles
    Then the ModuleConfig "test-module" matches:
      """
      metadata:
        finalizers: [modules.deckhouse.io/module-registered]
      status:
        message: ""
        version: "1"
      """
    And the Module "test-module" matches:
      """
      properties:
        availableSources: [source-one, source-two, source-three]
        source: ~
      status:
        phase: Conflict
        conditions:
        - type: EnabledByModuleConfig
          status: "True"
        - type: EnabledByModuleManager
          status: "False"
        - type: IsReady
          status: "False"
          reason: Conflict
          message: several available sources
      """

  @claim:DKP-37 @deckhouse-since:v1.75.0
  Scenario: From v1.75 a scan creates the first release of a module its edition's bundle enables
    Upstream source-controller case "proceed enabled modules without default" (testdata
    proceed-enabled-modules-without-default): the test's Deckhouse is the fe edition with the
    Default bundle; bundlenabledmodule has no ModuleConfig verdict (EnabledByModuleConfig Unknown)
    but its module.yaml enables it in fe's Default bundle, so it gets its first release like
    enabledmodule; notthissourcemodule, enabled from another source, gets none.

    Given the cluster runs the fe edition
    And the registry has the modules:
      | module              | version | channels | accessibility                                        |
      | enabledmodule       | v1.2.3  | stable   |                                                      |
      | bundlenabledmodule  | v1.2.3  | stable   | {fe: {available: true, enabledInBundles: [Default]}} |
      | notthissourcemodule | v1.2.3  | stable   |                                                      |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source-1
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: test-alpha
      spec:
        releaseChannel: Alpha
        update:
          mode: Manual
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: enabledmodule
      properties:
        source: test-source-1
        availableSources: [test-source-1]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: bundlenabledmodule
      properties:
        source: test-source-1
        availableSources: [test-source-1]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "Unknown"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: notthissourcemodule
      properties:
        source: test-source-2
        availableSources: [test-source-1]
      status:
        phase: Available
        conditions:
        - {type: EnabledByModuleConfig, status: "True"}
      """
    When the cluster settles
    Then the ModuleSource "test-source-1" matches:
      """
      status:
        phase: Active
        modulesCount: 3
        modules:
        - {name: bundlenabledmodule, version: v1.2.3}
        - {name: enabledmodule, version: v1.2.3}
        - {name: notthissourcemodule, version: v1.2.3}
      """
    And the ModuleRelease "bundlenabledmodule-v1.2.3" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (no releases in cluster)
        labels:
          module: bundlenabledmodule
          modules.deckhouse.io/update-policy: ""
          source: test-source-1
      """
    And the ModuleRelease "enabledmodule-v1.2.3" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/change-cause: check release (no releases in cluster)
        labels:
          source: test-source-1
      """
    And no ModuleRelease of module "notthissourcemodule" exists
