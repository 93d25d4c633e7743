Feature: A pull override that already pulled its tag, as DKP's override-controller tests seed it
  The override's status records the digest the registry has for its tag (named with the step
  that reads it, as upstream's tests hand their installer a fixed digest); the controllers then
  handle it.

  Background:
    Given the registry has the modules:
      | module      | version |
      | test-module | v1.0.0  |
    And the registry digest of module "test-module" at tag "v1.0.0" is ${DIGEST}

  @beyond-page
  Scenario: An override whose recorded digest is its tag's is Ready and downloads nothing
    Upstream override-controller case "up-to-date module" (testdata overrides/up-to-date): the
    Module is marked overridden, the status keeps its digest and message, and the image is not
    downloaded, so no module version is loaded from it. (Upstream's tag is the branch tag main;
    here a version tag, which the registry step publishes; the digest decides, not the name.)

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: dev
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: test-module
        finalizers: [modules.deckhouse.io/mpo-finalizer]
      spec:
        imageTag: v1.0.0
        scanInterval: 15s
      status:
        message: Ready
        imageDigest: ${DIGEST}
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
    When 1 minute passes
    Then the ModulePullOverride "test-module" matches:
      """
      status:
        message: Ready
        imageDigest: ${DIGEST}
      """
    And the Module "test-module" matches:
      """
      properties:
        source: dev
        version: ~
      status:
        conditions:
        - type: EnabledByModuleConfig
          status: "True"
        - type: IsOverridden
          status: "True"
      """

  @beyond-page
  Scenario: A renew annotation other than "true" is ignored and kept
    Upstream override-controller case "renew ignored unless true" (testdata overrides/renew-ignored):
    with the digest unchanged, renew "1" forces nothing: no download, and the annotation stays.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: dev
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: test-module
        annotations:
          modules.deckhouse.io/renew: "1"
        finalizers: [modules.deckhouse.io/mpo-finalizer]
      spec:
        imageTag: v1.0.0
        scanInterval: 15s
      status:
        message: Ready
        imageDigest: ${DIGEST}
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
    When 1 minute passes
    Then the ModulePullOverride "test-module" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/renew: "1"
      status:
        message: Ready
        imageDigest: ${DIGEST}
      """
    And the Module "test-module" matches:
      """
      properties:
        version: ~
      status:
        conditions:
        - type: IsOverridden
          status: "True"
      """

  @deckhouse-since:v1.78.0 @beyond-page
  Scenario: A renew annotation of "true" deploys the unchanged tag once more and is dropped
    Upstream override-controller case "renew forces redeploy" (testdata
    overrides/renew-forces-redeploy, suite at 3c08f0fc, Deckhouse's main branch): the digest is the
    one recorded, yet renew "true" downloads and installs the image again, documents it, and drops
    the one-shot annotation, so later looks leave the module alone. The redeploy writes message
    and digest, no weight (the golden's status has none).

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: dev
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: test-module
        annotations:
          modules.deckhouse.io/renew: "true"
        finalizers: [modules.deckhouse.io/mpo-finalizer]
      spec:
        imageTag: v1.0.0
        scanInterval: 15s
      status:
        message: Ready
        imageDigest: ${DIGEST}
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
    When 1 minute passes
    Then the ModulePullOverride "test-module" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/renew: ~
      status:
        message: Ready
        imageDigest: ${DIGEST}
        weight: ~
      """
    And the Module "test-module" matches:
      """
      properties:
        source: dev
        version: v1.0.0
      status:
        conditions:
        - type: IsOverridden
          status: "True"
      """
    And the ModuleDocumentation "test-module" matches:
      """
      metadata:
        labels:
          module: test-module
          source: dev
        ownerReferences:
        - apiVersion: deckhouse.io/v1alpha2
          kind: ModulePullOverride
          name: test-module
          controller: true
      spec:
        checksum: ${DIGEST}
        path: /modules/test-module
        version: v1.0.0
      """

  @deckhouse-since:v1.78.0 @beyond-page
  Scenario: A renew whose download fails says so and stays armed
    Upstream override-controller case "renew survives a failed deploy" (testdata
    overrides/renew-deploy-fails, suite at 3c08f0fc): the tag's digest is readable but its image
    cannot be downloaded, so the override reports the deploy error, keeps its digest and the renew
    annotation, and nothing is installed; once the registry serves the image again, the next look
    deploys it and drops the annotation.

    Given the registry answers 500 for "/blobs/"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: dev
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModulePullOverride
      metadata:
        name: test-module
        annotations:
          modules.deckhouse.io/renew: "true"
        finalizers: [modules.deckhouse.io/mpo-finalizer]
      spec:
        imageTag: v1.0.0
        scanInterval: 15s
      status:
        message: Ready
        imageDigest: ${DIGEST}
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
    When 1 minute passes
    Then the ModulePullOverride "test-module" has a message containing "Deploy error: download the module 'test-module': "
    And the ModulePullOverride "test-module" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/renew: "true"
      status:
        imageDigest: ${DIGEST}
      """
    And the Module "test-module" matches:
      """
      properties:
        version: ~
      """
    And the ModuleDocumentation "test-module" does not exist
    When the registry comes back
    And 1 minute passes
    Then the ModulePullOverride "test-module" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/renew: ~
      status:
        message: Ready
      """
    And the Module "test-module" matches:
      """
      properties:
        version: v1.0.0
      """
