Feature: Pending releases deploy one after another, as DKP's release-controller tests seed them
  Releases are written with their status, as the upstream tests' fake clients hold them; the
  controllers then handle them.

  Background:
    Given it is Thursday 2019-10-17 15:33 UTC
    And the registry has the modules:
      | module     | version |
      | parca      | v0.26.2 |
      | parca      | v1.0.0  |
      | parca      | v1.2.1  |
      | parca      | v1.2.2  |
      | parca      | v1.26.2 |
      | parca      | v2.0.0  |
      | commander  | v1.0.3  |
      | upmeter    | v1.70.0 |
      | upmeter    | v1.70.1 |
      | upmeter    | v1.71.0 |
      | upmeter    | v1.72.0 |
      | testmodule | v0.3.0  |
      | testmodule | v0.5.0  |
      | testmodule | v0.7.0  |
      | testmodule | v0.25.0 |
      | test-module | v1.0.0  |
      | test-module | v1.5.0  |
      | test-module | v1.10.0 |
      | test-module | v1.20.0 |
      | testmodule | v1.0.0  |
    And the cluster has the objects of "features/upstream/parca-source.yaml"

  @claim:REL-02
  Scenario: The pending patch of each module deploys and supersedes the deployed one
    Upstream case "Process pending releases" (testdata releases/apply-pending-releases): two
    modules under Auto policies of their own, each with a Pending patch above its Deployed release.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: parca
      spec:
        releaseChannel: Alpha
        update:
          mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: commander
      spec:
        releaseChannel: Alpha
        update:
          mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: parca
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: commander
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: commander-1.0.1
        labels: {module: commander, modules.deckhouse.io/update-policy: commander, source: test}
      spec: {moduleName: commander, version: 1.0.1, weight: 900}
      status: {phase: Superseded}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: commander-1.0.2
        labels: {module: commander, modules.deckhouse.io/update-policy: commander, source: test}
      spec: {moduleName: commander, version: 1.0.2, weight: 900}
      status: {phase: Deployed}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: commander-1.0.3
        labels: {module: commander, modules.deckhouse.io/update-policy: commander, source: test}
      spec: {moduleName: commander, version: 1.0.3, weight: 900}
      status: {phase: Pending}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-1.2.1
        labels: {module: parca, modules.deckhouse.io/update-policy: parca, source: test}
      spec: {moduleName: parca, version: 1.2.1, weight: 900}
      status: {phase: Deployed}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-1.2.2
        labels: {module: parca, modules.deckhouse.io/update-policy: parca, source: test}
      spec: {moduleName: parca, version: 1.2.2, weight: 900}
      status: {phase: Pending}
      """
    When the cluster settles
    Then the releases of module "parca" are:
      | name        | phase      |
      | parca-1.2.1 | Superseded |
      | parca-1.2.2 | Deployed   |
    And the releases of module "commander" are:
      | name            | phase      |
      | commander-1.0.1 | Superseded |
      | commander-1.0.2 | Superseded |
      | commander-1.0.3 | Deployed   |
    And the ModuleRelease "commander-1.0.3" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "true"
        labels:
          status: deployed
      """
    And the Module "commander" matches:
      """
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "True"
      """

  @claim:REL-02
  Scenario: Two pending minors deploy in order while the module stays Ready
    Upstream case "sequential processing with minor pending release" (testdata
    releases/sequential-processing-minor-pending): v1.71.0 deploys over v1.70.0, then v1.72.0 over
    v1.71.0; the Module is still Ready when v1.72.0 is looked at, so it does not wait.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: foxtrot-alpha
      spec:
        releaseChannel: Stable
        update:
          mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: upmeter
      status:
        phase: Ready
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.70.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.70.0, weight: 950}
      status: {phase: Deployed}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.71.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.71.0, weight: 950}
      status: {phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.72.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.72.0, weight: 950}
      status: {phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      """
    When the cluster settles
    Then the releases of module "upmeter" are:
      | name            | phase      |
      | upmeter-v1.70.0 | Superseded |
      | upmeter-v1.71.0 | Superseded |
      | upmeter-v1.72.0 | Deployed   |
    And the ModuleRelease "upmeter-v1.71.0" went through Pending, Deployed, Superseded
    And at no time were two releases of module "upmeter" Deployed

  @beyond-page
  Scenario: A major release above 1 waits even when approved
    Upstream case "major release from 1 to 2 must be not allowed" (testdata
    releases/update-major-version-1-2); the releases carry only their owner, no labels.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: parca
      status:
        phase: Ready
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-1.26.2
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: 71d2300f-700b-452a-896a-6a3805f9cef7}
      spec: {moduleName: parca, version: 1.26.2, weight: 900}
      status: {approved: true, phase: Deployed, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-2.0.0
        annotations: {modules.deckhouse.io/approved: "true"}
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: 71d2300f-700b-452a-896a-6a3805f9cef7}
      spec: {moduleName: parca, version: 2.0.0, weight: 900}
      status: {approved: true, phase: Pending}
      """
    When the cluster settles
    Then the releases of module "parca" are:
      | name         | phase    | message                                       |
      | parca-1.26.2 | Deployed |                                               |
      | parca-2.0.0  | Pending  | major version is greater than deployed 1.26.2 |
    And the ModuleRelease "parca-2.0.0" matches:
      """
      metadata:
        labels:
          module: parca
          modules.deckhouse.io/update-policy: ""
      """

  @beyond-page
  Scenario: The major step from 0 to 1 is allowed
    Upstream case "major release from 0 to 1 must be allowed" (testdata
    releases/update-major-version-0-1).

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: parca
      status:
        phase: Ready
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-0.26.2
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: 71d2300f-700b-452a-896a-6a3805f9cef7}
      spec: {moduleName: parca, version: 0.26.2, weight: 900}
      status: {approved: true, phase: Deployed, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-1.0.0
        annotations: {modules.deckhouse.io/approved: "true"}
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: 71d2300f-700b-452a-896a-6a3805f9cef7}
      spec: {moduleName: parca, version: 1.0.0, weight: 900}
      status: {approved: true, phase: Pending}
      """
    When the cluster settles
    Then the releases of module "parca" are:
      | name         | phase      |
      | parca-0.26.2 | Superseded |
      | parca-1.0.0  | Deployed   |

  @beyond-page
  Scenario: On the Lts channel the pending releases deploy in turn however far apart their minors are
    Upstream case "LTS channel multiple intermediate versions - should process only latest"
    (testdata releases/lts-channel-multiple-versions): on the Lts channel a gap of several minors
    does not hold a release back; v0.5.0 and then v0.7.0 deploy over v0.3.0.

    Given the cluster has the objects of "features/upstream/lts-policy.yaml"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: testmodule-0.3.0
        labels: {module: testmodule, source: test, modules.deckhouse.io/update-policy: test-lts}
      spec: {moduleName: testmodule, version: 0.3.0, weight: 900}
      status: {approved: true, phase: Deployed}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: testmodule-0.5.0
        labels: {module: testmodule, source: test, modules.deckhouse.io/update-policy: test-lts}
      spec: {moduleName: testmodule, version: 0.5.0, weight: 900}
      status: {phase: Pending}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: testmodule-0.7.0
        labels: {module: testmodule, source: test, modules.deckhouse.io/update-policy: test-lts}
      spec: {moduleName: testmodule, version: 0.7.0, weight: 900}
      status: {phase: Pending}
      """
    When the cluster settles
    Then the releases of module "testmodule" are:
      | name             | phase      |
      | testmodule-0.3.0 | Superseded |
      | testmodule-0.5.0 | Superseded |
      | testmodule-0.7.0 | Deployed   |

  @beyond-page
  Scenario: On the Lts channel a release may step up a major version
    Upstream case "LTS channel major version jump +1" (testdata releases/lts-channel-major-jump).

    Given the cluster has the objects of "features/upstream/lts-policy.yaml"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: testmodule-0.8.0
        labels: {module: testmodule, source: test, modules.deckhouse.io/update-policy: test-lts}
      spec: {moduleName: testmodule, version: 0.8.0, weight: 900}
      status: {approved: true, phase: Deployed}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: testmodule-1.0.0
        labels: {module: testmodule, source: test, modules.deckhouse.io/update-policy: test-lts}
      spec: {moduleName: testmodule, version: 1.0.0, weight: 900}
      status: {phase: Pending}
      """
    When the cluster settles
    Then the releases of module "testmodule" are:
      | name             | phase      |
      | testmodule-0.8.0 | Superseded |
      | testmodule-1.0.0 | Deployed   |

  @beyond-page
  Scenario: A minor release waits while the module is not Ready
    Upstream case "sequential processing with minor notready release" (testdata
    releases/sequential-processing-minor-notready): the Module has no phase yet, so v1.72.0 waits
    for the deployed v1.71.0's module, and the Module says so.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: foxtrot-alpha
      spec:
        releaseChannel: Stable
        update:
          mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: upmeter
      status:
        conditions:
        - {type: LastReleaseDeployed, status: "True", lastProbeTime: "2019-10-17T15:33:00Z", lastTransitionTime: "2019-10-17T15:33:00Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.70.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.70.0, weight: 950}
      status: {phase: Superseded}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.71.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.71.0, weight: 950}
      status: {phase: Deployed, transitionTime: "2024-05-03T20:55:49Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.72.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.72.0, weight: 950}
      status: {phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      """
    When the cluster settles
    Then the releases of module "upmeter" are:
      | name            | phase      | message                                 |
      | upmeter-v1.70.0 | Superseded |                                         |
      | upmeter-v1.71.0 | Deployed   |                                         |
      | upmeter-v1.72.0 | Pending    | awaiting for module v1.71.0 to be ready |
    And the ModuleRelease "upmeter-v1.71.0" matches:
      """
      metadata:
        labels:
          status: deployed
      """
    And the Module "upmeter" matches:
      """
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "False"
          reason: ReleaseDeployedIsNotReady
          message: "ModuleRelease could not be applied, awaiting for deployed release be ready: see details in the module release v1.72.0"
      """

  @claim:REL-02
  Scenario: Three pending releases of a module with none deployed deploy one after another
    Upstream case "sequential processing with pending releases" (testdata
    releases/sequential-processing-pending): nothing of upmeter is deployed; v1.70.0 deploys first
    (the test's module manager then reports the module Starting, which does not hold the first
    release back), then v1.71.0 and v1.72.0 with the Module Ready. Each deploy leaves
    transitionTime as it was; each supersede sets it.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: foxtrot-alpha
      spec:
        releaseChannel: Stable
        update:
          mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: upmeter
      status:
        phase: Ready
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.70.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.70.0, weight: 950}
      status: {approved: false, phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.71.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.71.0, weight: 950}
      status: {approved: false, phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.72.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.72.0, weight: 950}
      status: {approved: false, phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      """
    When the cluster settles
    Then the releases of module "upmeter" are:
      | name            | phase      | message |
      | upmeter-v1.70.0 | Superseded |         |
      | upmeter-v1.71.0 | Superseded |         |
      | upmeter-v1.72.0 | Deployed   |         |
    And the ModuleRelease "upmeter-v1.70.0" went through Pending, Deployed, Superseded
    And the ModuleRelease "upmeter-v1.71.0" went through Pending, Deployed, Superseded
    And the ModuleRelease "upmeter-v1.72.0" matches:
      """
      metadata:
        finalizers:
        - modules.deckhouse.io/exist-on-fs
        labels:
          status: deployed
      status:
        transitionTime: "2024-05-03T20:55:49Z"
      """
    And at no time were two releases of module "upmeter" Deployed

  @beyond-page
  Scenario: On the Lts channel a release twenty minors above the deployed one deploys
    Upstream case "LTS channel minor version jump +20" (testdata releases/lts-channel-minor-jump):
    v0.25.0 deploys over v0.5.0, which is superseded.

    Given the cluster has the objects of "features/upstream/lts-policy.yaml"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: testmodule-0.5.0
        labels: {module: testmodule, source: test, modules.deckhouse.io/update-policy: test-lts}
      spec: {moduleName: testmodule, version: 0.5.0, weight: 900}
      status: {approved: true, phase: Deployed}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: testmodule-0.25.0
        labels: {module: testmodule, source: test, modules.deckhouse.io/update-policy: test-lts}
      spec: {moduleName: testmodule, version: 0.25.0, weight: 900}
      status: {phase: Pending}
      """
    When the cluster settles
    Then the releases of module "testmodule" are:
      | name              | phase      |
      | testmodule-0.5.0  | Superseded |
      | testmodule-0.25.0 | Deployed   |
    And the ModuleRelease "testmodule-0.5.0" matches:
      """
      metadata:
        labels:
          status: superseded
      status:
        transitionTime: "2019-10-17T15:33:00Z"
      """

  @beyond-page
  Scenario: A patch release deploys while the module is not Ready
    Upstream case "sequential processing with patch release" (testdata
    releases/sequential-processing-patch): the Module has no phase; v1.70.1 is a patch of the
    deployed v1.70.0, so it does not wait for the module to be ready, and supersedes it. The deploy
    leaves transitionTime as it was and the release stays marked as updating.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: foxtrot-alpha
      spec:
        releaseChannel: Stable
        update:
          mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: upmeter
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.70.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.70.0, weight: 950}
      status: {phase: Deployed}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.70.1
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.70.1, weight: 950}
      status: {approved: false, message: "", phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      """
    When the cluster settles
    Then the releases of module "upmeter" are:
      | name            | phase      | message |
      | upmeter-v1.70.0 | Superseded |         |
      | upmeter-v1.70.1 | Deployed   |         |
    And the ModuleRelease "upmeter-v1.70.0" matches:
      """
      metadata:
        finalizers:
        - modules.deckhouse.io/exist-on-fs
        labels:
          status: superseded
      status:
        transitionTime: "2019-10-17T15:33:00Z"
      """
    And the ModuleRelease "upmeter-v1.70.1" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "true"
        labels:
          status: deployed
      status:
        transitionTime: "2024-05-03T20:55:49Z"
      """
    And the Module "upmeter" matches:
      """
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "True"
      """

  @beyond-page
  Scenario Outline: On the deckhouse module's LTS channel a module may jump <jump> minors
    Upstream case "LTS Release channel / <case>" (testdata releases/<file>): the releases carry no
    policy label, so the deckhouse module's own policy applies, Auto on the LTS channel; the
    approved v<version> deploys over v1.0.0 however many minors it skips.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: deckhouse
      spec:
        version: 1
        settings:
          releaseChannel: LTS
          update:
            mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: test-module
      status:
        phase: Ready
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: test-module-v1.0.0
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: 71d2300f-700b-452a-896a-6a3805f9cef7}
      spec: {moduleName: test-module, version: 1.0.0, weight: 900}
      status: {approved: true, phase: Deployed, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: test-module-v<version>
        annotations: {modules.deckhouse.io/approved: "true"}
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: 71d2300f-700b-452a-896a-6a3805f9cef7}
      spec: {moduleName: test-module, version: <version>, weight: 900}
      status: {approved: true, phase: Pending}
      """
    When the cluster settles
    Then the releases of module "test-module" are:
      | name                   | phase      |
      | test-module-v1.0.0     | Superseded |
      | test-module-v<version> | Deployed   |
    And the ModuleRelease "test-module-v<version>" matches:
      """
      metadata:
        labels:
          module: test-module
          modules.deckhouse.io/update-policy: ""
          status: deployed
      """

    Examples:
      | jump | case                                            | file                            | version |
      | 20   | allow 20 minor version jump for modules         | lts-module-allow-20-minor-jump  | 1.20.0  |
      | 10   | allow 10 minor version jump for modules         | lts-module-allow-10-minor-jump  | 1.10.0  |
      | 5    | allow any minor version jump for modules in LTS | lts-module-allow-any-minor-jump | 1.5.0   |

  @claim:REL-02
  Scenario: A pending minor above a deployed one of a Ready module deploys and supersedes it
    Upstream case "sequential processing with minor auto release" (testdata
    releases/sequential-processing-minor-auto): v1.70.0 is already Superseded, v1.71.0 Deployed,
    v1.72.0 Pending under an Auto policy; the Module is Ready, so v1.72.0 deploys at once and
    v1.71.0 is superseded at the suite's instant, while v1.70.0 keeps its phase.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: foxtrot-alpha
      spec:
        releaseChannel: Stable
        update:
          mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: upmeter
      status:
        phase: Ready
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.70.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.70.0, weight: 950}
      status: {phase: Superseded}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.71.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.71.0, weight: 950}
      status: {approved: false, message: "", phase: Deployed, transitionTime: "2024-05-03T20:55:49Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.72.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.72.0, weight: 950}
      status: {approved: false, message: "", phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      """
    When the cluster settles
    Then the releases of module "upmeter" are:
      | name            | phase      |
      | upmeter-v1.70.0 | Superseded |
      | upmeter-v1.71.0 | Superseded |
      | upmeter-v1.72.0 | Deployed   |
    And the ModuleRelease "upmeter-v1.70.0" matches:
      """
      metadata:
        labels:
          status: superseded
      """
    And the ModuleRelease "upmeter-v1.71.0" matches:
      """
      metadata:
        labels:
          status: superseded
      status:
        phase: Superseded
        transitionTime: "2019-10-17T15:33:00Z"
      """
    And the ModuleRelease "upmeter-v1.72.0" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "false"
        finalizers:
        - modules.deckhouse.io/exist-on-fs
        labels:
          status: deployed
      status:
        phase: Deployed
        transitionTime: "2024-05-03T20:55:49Z"
      """
    And the ModuleRelease "upmeter-v1.72.0" went through Pending, Deployed
    And the Module "upmeter" matches:
      """
      status:
        phase: Ready
        conditions:
        - type: LastReleaseDeployed
          status: "True"
      """

  @claim:REL-02
  Scenario: A pending minor one step above the deployed release deploys and supersedes it
    Upstream case "sequential processing with minor release" (testdata
    releases/sequential-processing-minor): v1.70.0 is Deployed, v1.71.0 Pending under an Auto
    policy, the Module Ready. v1.71.0 deploys at once and is not left marked as updating; v1.70.0
    is superseded at the suite's instant. Both statuses carry every field of DKP's typed status
    (approved, message, size, pullDuration), as its whole-struct status updates write them.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: foxtrot-alpha
      spec:
        releaseChannel: Stable
        update:
          mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: upmeter
      status:
        phase: Ready
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.70.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.70.0, weight: 950}
      status: {phase: Deployed}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: upmeter-v1.71.0
        labels: {module: upmeter, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: upmeter, version: 1.71.0, weight: 950}
      status: {approved: false, message: "", phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      """
    When the cluster settles
    Then the releases of module "upmeter" are:
      | name            | phase      |
      | upmeter-v1.70.0 | Superseded |
      | upmeter-v1.71.0 | Deployed   |
    And the ModuleRelease "upmeter-v1.70.0" matches:
      """
      metadata:
        labels:
          status: superseded
      status:
        approved: false
        phase: Superseded
        pullDuration: 0s
        transitionTime: "2019-10-17T15:33:00Z"
      """
    And the ModuleRelease "upmeter-v1.70.0" has the message ""
    And the ModuleRelease "upmeter-v1.71.0" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "false"
        finalizers:
        - modules.deckhouse.io/exist-on-fs
        labels:
          module: upmeter
          modules.deckhouse.io/update-policy: foxtrot-alpha
          status: deployed
      status:
        approved: false
        phase: Deployed
        pullDuration: 0s
        transitionTime: "2024-05-03T20:55:49Z"
      """
    And the ModuleRelease "upmeter-v1.71.0" has the message ""
    And the ModuleRelease "upmeter-v1.71.0" went through Pending, Deployed
    And the Module "upmeter" matches:
      """
      status:
        phase: Ready
        conditions:
        - type: LastReleaseDeployed
          status: "True"
      """
