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
