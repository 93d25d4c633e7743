Feature: A release of a module the running Deckhouse still ships embedded, as DKP's release-controller tests seed it
  The upstream case turns on its installer mock's answer that an embedded copy of the module is
  still on disk; here the Deckhouse build is told to ship the module embedded before the cluster
  starts. The test suite's clock stands at 2019-10-17 15:33 UTC, a Thursday.

  @deckhouse-since:v1.76.0 @beyond-page
  Scenario: A release of a module still shipped embedded is staged and the module keeps its Embedded source
    Upstream case "embedded module keeps source while staged" (testdata
    releases/embedded-module-stage-keep-source): the Module's source is Embedded and its
    embedded copy is still shipped, so the downloaded v1.4.3 is only staged. The release is
    Deployed all the same, with the deploy's annotations and finalizers, and mirrored into the
    Module's package view; the Module's source stays Embedded (compare "A module marked embedded
    switches to the source of the release it deploys" in release_checks.feature, the same deploy
    without the embedded copy).

    Given it is Thursday 2019-10-17 15:33 UTC
    And Deckhouse ships the module "parca" embedded
    And the registry has the modules:
      | module | version |
      | parca  | v1.4.3  |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: foxtrot
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: foxtrot-alpha
      spec:
        releaseChannel: Alpha
        update:
          mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: parca
      properties:
        source: Embedded
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-v1.4.3
        labels:
          module: parca
          modules.deckhouse.io/update-policy: foxtrot-alpha
          release-checksum: 98d00f741c99e06e6c6c4d18b763c550
          source: foxtrot
        ownerReferences:
        - apiVersion: deckhouse.io/v1alpha1
          controller: true
          kind: ModuleSource
          name: foxtrot
          uid: 71d2300f-700b-452a-896a-6a3805f9cef7
      spec:
        changelog:
          features:
          - Bump parca version
        moduleName: parca
        version: 1.4.3
        weight: 900
      status:
        phase: Pending
        transitionTime: "2024-05-03T20:55:49Z"
      """
    When the cluster settles
    Then the ModuleRelease "parca-v1.4.3" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "true"
          modules.deckhouse.io/notified: "true"
        finalizers:
        - modules.deckhouse.io/metrics-registered
        - modules.deckhouse.io/exist-on-fs
        labels:
          status: deployed
          source: foxtrot
      spec:
        changelog:
          features:
          - Bump parca version
        version: 1.4.3
      status:
        phase: Deployed
      """
    And the Module "parca" matches:
      """
      properties:
        source: Embedded
      spec:
        packageRepositoryName: foxtrot
        packageVersion: v1.4.3
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "True"
      """

  @deckhouse-since:v1.77.0 @beyond-page
  Scenario: A staged release of a module still shipped embedded writes no ModuleDocumentation
    Upstream case "module documentation skipped for embedded module" (testdata
    releases/module-documentation-embedded): the Module's source is Embedded and its embedded
    copy is still shipped, so v1.4.3 is only staged; from v1.77 (PR #21682) DKP documents
    embedded modules elsewhere and writes no ModuleDocumentation for the staged release.

    Given it is Thursday 2019-10-17 15:33 UTC
    And Deckhouse ships the module "parca" embedded
    And the registry has the modules:
      | module | version |
      | parca  | v1.4.3  |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: foxtrot
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: foxtrot-alpha
      spec:
        releaseChannel: Alpha
        update:
          mode: Auto
      """
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: parca
      properties:
        source: Embedded
      status:
        phase: Ready
        conditions:
        - type: EnabledByModuleConfig
          status: "True"
        - type: EnabledByModuleManager
          status: "True"
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-v1.4.3
        labels:
          module: parca
          modules.deckhouse.io/update-policy: foxtrot-alpha
          release-checksum: 98d00f741c99e06e6c6c4d18b763c550
          source: foxtrot
      spec:
        moduleName: parca
        version: 1.4.3
        weight: 900
      status: {approved: false, message: "", phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      """
    When the cluster settles
    Then the ModuleRelease "parca-v1.4.3" matches:
      """
      status:
        phase: Deployed
      """
    And the Module "parca" matches:
      """
      properties:
        source: Embedded
      """
    And the ModuleDocumentation "parca" does not exist

  @deckhouse-since:v1.77.0 @beyond-page
  Scenario: A staged release of a module still shipped embedded deletes the ModuleDocumentation an older Deckhouse left
    Upstream case "stale module documentation deleted for embedded module" (testdata
    releases/module-documentation-stale-embedded): a ModuleDocumentation written before v1.77
    points at a module mount a staged release never gets, so the documentation builder would
    retry it for ever; the release controller deletes it.

    Given it is Thursday 2019-10-17 15:33 UTC
    And Deckhouse ships the module "parca" embedded
    And the registry has the modules:
      | module | version |
      | parca  | v1.4.3  |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: foxtrot
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: foxtrot-alpha
      spec:
        releaseChannel: Alpha
        update:
          mode: Auto
      """
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: parca
      properties:
        source: Embedded
      status:
        phase: Ready
        conditions:
        - type: EnabledByModuleConfig
          status: "True"
        - type: EnabledByModuleManager
          status: "True"
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleDocumentation
      metadata:
        name: parca
        labels:
          module: parca
          source: foxtrot
        ownerReferences:
        - apiVersion: deckhouse.io/v1alpha1
          controller: true
          kind: ModuleRelease
          name: parca-v1.4.2
          uid: 5e0f7c1a-2b9d-4e67-9a51-0c3d8f4b2a17
      spec:
        checksum: 0b95d0f1c9b3d6f2b0e5f5b4a3c2d1e0
        path: /modules/parca
        version: v1.4.2
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-v1.4.3
        labels:
          module: parca
          modules.deckhouse.io/update-policy: foxtrot-alpha
          release-checksum: 98d00f741c99e06e6c6c4d18b763c550
          source: foxtrot
      spec:
        moduleName: parca
        version: 1.4.3
        weight: 900
      status: {approved: false, message: "", phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      """
    When the cluster settles
    Then the ModuleRelease "parca-v1.4.3" matches:
      """
      status:
        phase: Deployed
      """
    And the ModuleDocumentation "parca" does not exist
