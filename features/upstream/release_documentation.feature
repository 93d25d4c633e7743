Feature: The documentation object a deployed release leaves, as DKP's release-controller tests seed it
  A deployed release of a module the module manager enables writes ModuleDocumentation/<module>
  (cluster-scoped, owned by the release) for Deckhouse's documentation builder. The goldens are of
  v1.75 and later, whose path is the module's mount (`/modules/<module>`; up to v1.74 it was the
  versioned download directory, features/eras/releases.feature). The test suite's clock stands at
  2019-10-17 15:33 UTC, a Thursday.

  Background:
    Given it is Thursday 2019-10-17 15:33 UTC
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

  @deckhouse-since:v1.75.0 @beyond-page
  Scenario: Deploying the release of an enabled module creates its ModuleDocumentation
    Upstream case "module documentation created" (testdata
    releases/module-documentation-create): the module manager enables parca, its only release
    deploys, and the documentation object names that release's version, checksum and path.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: parca
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
    And the ModuleDocumentation "parca" matches:
      """
      metadata:
        labels:
          module: parca
          source: foxtrot
        ownerReferences:
        - apiVersion: deckhouse.io/v1alpha1
          controller: true
          kind: ModuleRelease
          name: parca-v1.4.3
      spec:
        checksum: 98d00f741c99e06e6c6c4d18b763c550
        path: /modules/parca
        version: v1.4.3
      """

  @deckhouse-since:v1.75.0 @beyond-page
  Scenario: Deploying a newer release moves the module's ModuleDocumentation to it
    Upstream case "module documentation updated" (testdata
    releases/module-documentation-update): the documentation object the previous release
    v1.4.2 left behind is rewritten with the version, checksum and path of the deployed v1.4.3,
    which now owns it.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: parca
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
        path: /parca/v1.4.2
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
    And the ModuleDocumentation "parca" matches:
      """
      metadata:
        labels:
          module: parca
          source: foxtrot
        ownerReferences:
        - apiVersion: deckhouse.io/v1alpha1
          controller: true
          kind: ModuleRelease
          name: parca-v1.4.3
      spec:
        checksum: 98d00f741c99e06e6c6c4d18b763c550
        path: /modules/parca
        version: v1.4.3
      """
