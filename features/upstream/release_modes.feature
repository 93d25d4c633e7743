Feature: What each update mode lets through, as DKP's release-controller tests seed it
  Releases are written with their status, as the upstream tests' fake clients hold them; the
  controllers then handle them. The test suite's clock stands at 2019-10-17 15:33 UTC, a Thursday.

  Background:
    Given it is Thursday 2019-10-17 15:33 UTC
    And the registry has the modules:
      | module | version |
      | parca  | v1.4.3  |
      | parca  | v1.26.2 |
      | parca  | v1.26.3 |
      | parca  | v1.27.0 |
      | echo   | v0.4.69 |
      | echo   | v1.5.0  |
    And the cluster has the objects of "features/upstream/parca-source.yaml"

  @claim:DKP-26
  Scenario: The only release of a module under an Auto policy deploys at once
    Upstream case "simple" (testdata releases/simple): the release is labelled with its Auto
    policy and has no approval; nothing else of the module is deployed. The Module has no phase,
    so the deployed release stays marked as updating; the deploy leaves transitionTime as it was.

    Given the cluster has:
      """
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
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-v1.4.3
        labels:
          module: parca
          modules.deckhouse.io/update-policy: foxtrot-alpha
          release-checksum: 98d00f741c99e06e6c6c4d18b763c550
          source: test
      spec:
        changelog:
          features: [Bump parca version]
        moduleName: parca
        version: 1.4.3
        weight: 900
      status: {approved: false, message: "", phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      """
    When the cluster settles
    Then the ModuleRelease "parca-v1.4.3" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "true"
        finalizers:
        - modules.deckhouse.io/exist-on-fs
        labels:
          module: parca
          modules.deckhouse.io/update-policy: foxtrot-alpha
          release-checksum: 98d00f741c99e06e6c6c4d18b763c550
          source: test
          status: deployed
      status:
        approved: false
        phase: Deployed
        transitionTime: "2024-05-03T20:55:49Z"
      """
    And the ModuleRelease "parca-v1.4.3" has the message ""
    And the Module "parca" matches:
      """
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "True"
      """

  @beyond-page
  Scenario Outline: A release whose requirements the cluster meets deploys: <case>
    Upstream case "<case>" (testdata releases/<file>): the upstream test runs Deckhouse v1.0.0
    against "< v1.63.0"; the Deckhouse bound here is raised above every version this scenario
    runs, as the unsuitable cases raise theirs.

    Given the cluster runs Kubernetes 1.28.0
    And the cluster has the objects of "features/upstream/parca-requires.yaml"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-v1.4.3
        labels: {module: parca, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec:
        moduleName: parca
        version: 1.4.3
        weight: 900
        requirements: <requirements>
      status: {approved: false, phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      """
    When the cluster settles
    Then the ModuleRelease "parca-v1.4.3" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "true"
        labels:
          status: deployed
      status:
        phase: Deployed
        transitionTime: "2024-05-03T20:55:49Z"
      """
    And the ModuleRelease "parca-v1.4.3" has the message ""
    And the Module "parca" matches:
      """
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "True"
      """

    Examples:
      | case                        | file              | requirements                                       |
      | deckhouse suitable version  | dVersion-suitable | {deckhouse: "< v1.99.0"}                           |
      | kubernetes suitable version | kVersion-suitable | {deckhouse: "< v1.99.0", kubernetes: "< 1.28.11"} |

  @claim:DKP-06
  Scenario: Under a Manual policy an approved only release deploys
    Upstream case "install new module in manual mode with module release approval annotation"
    (testdata releases/manual-mode-release-approved): the approval annotation is mirrored into
    status.approved before the release deploys.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: echo
      spec:
        releaseChannel: Alpha
        update:
          mode: Manual
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: echo
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: echo-v0.4.69
        annotations: {modules.deckhouse.io/approved: "true"}
        labels: {module: echo, modules.deckhouse.io/update-policy: echo, source: test}
      spec: {moduleName: echo, version: 0.4.69, weight: 900}
      status: {phase: Pending, transitionTime: "2019-10-17T15:33:00Z"}
      """
    When the cluster settles
    Then the ModuleRelease "echo-v0.4.69" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/approved: "true"
          modules.deckhouse.io/isUpdating: "true"
        finalizers:
        - modules.deckhouse.io/exist-on-fs
        labels:
          module: echo
          modules.deckhouse.io/update-policy: echo
          status: deployed
      status:
        approved: true
        phase: Deployed
        transitionTime: "2019-10-17T15:33:00Z"
      """
    And the ModuleRelease "echo-v0.4.69" has the message ""
    And the Module "echo" matches:
      """
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "True"
      """

  @claim:DKP-05
  Scenario: Under AutoPatch without windows a patch deploys by itself
    Upstream case "AutoPatch / Postponed patch release" (testdata releases/auto-patch-mode): the
    deckhouse module's policy is AutoPatch with no windows; the pending patch has no approval and
    deploys over v1.26.2, which is superseded.

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
            mode: AutoPatch
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: parca
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-1.26.2
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: ""}
      spec: {moduleName: parca, version: 1.26.2, weight: 900}
      status: {approved: true, phase: Deployed, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-1.26.3
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: 71d2300f-700b-452a-896a-6a3805f9cef7}
      spec: {moduleName: parca, version: 1.26.3, weight: 900}
      status: {approved: true, phase: Pending}
      """
    When the cluster settles
    Then the releases of module "parca" are:
      | name         | phase      |
      | parca-1.26.2 | Superseded |
      | parca-1.26.3 | Deployed   |
    And the ModuleRelease "parca-1.26.2" matches:
      """
      metadata:
        labels:
          module: parca
          status: superseded
      status:
        transitionTime: "2019-10-17T15:33:00Z"
      """
    And the ModuleRelease "parca-1.26.3" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "true"
        labels:
          module: parca
          modules.deckhouse.io/update-policy: ""
          status: deployed
      status:
        approved: true
        phase: Deployed
      """
    And the Module "parca" matches:
      """
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "True"
      """

  @claim:DKP-05 @claim:DKP-04 @deckhouse-before:v1.76.0
  Scenario: Under AutoPatch a patch outside the window waits for it, approved or not
    Upstream case "AutoPatch / patch update respect window" (testdata
    releases/auto-patch-patch-update): the deckhouse module's policy is AutoPatch with a window at
    10:00-11:00; at 15:33 the approved patch waits for the next morning's window.

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
            mode: AutoPatch
            windows:
            - {from: "10:00", to: "11:00", days: [Mon, Tue, Wed, Thu, Fri, Sat, Sun]}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: parca
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-1.26.2
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: 94494a1a-868c-441f-a7a1-3c5e8ccf0957}
      spec: {moduleName: parca, version: 1.26.2, weight: 900}
      status: {approved: true, phase: Deployed, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-1.26.3
        annotations: {modules.deckhouse.io/approved: "true"}
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: 94494a1a-868c-441f-a7a1-3c5e8ccf0957}
      spec: {moduleName: parca, version: 1.26.3, weight: 900}
      status: {approved: true, phase: Pending}
      """
    When the cluster settles
    Then the releases of module "parca" are:
      | name         | phase    | message                                                            |
      | parca-1.26.2 | Deployed |                                                                    |
      | parca-1.26.3 | Pending  | Release is waiting for the update window until 18 Oct 19 10:00 UTC |
    And the ModuleRelease "parca-1.26.2" matches:
      """
      metadata:
        finalizers:
        - modules.deckhouse.io/exist-on-fs
        labels:
          module: parca
          status: deployed
      """
    And the ModuleRelease "parca-1.26.3" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/approved: "true"
          modules.deckhouse.io/isUpdating: "false"
          modules.deckhouse.io/notified: "true"
        labels:
          module: parca
          modules.deckhouse.io/update-policy: ""
      status:
        approved: true
        transitionTime: null
      """
    And the Module "parca" matches:
      """
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "False"
          reason: ReleaseDeployTimeCheck
          message: "ModuleRelease could not be applied, release postponed: see details in the module release v1.26.3"
      """

  @claim:DKP-05
  Scenario: Under AutoPatch without windows an approved minor deploys
    Upstream case "AutoPatch / Approved minor release" (testdata
    releases/auto-patch-mode-minor-release-approved): the minor v1.27.0 carries the approval
    annotation; with the Module Ready it deploys and is not left marked as updating.

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
            mode: AutoPatch
      ---
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
        name: parca-1.27.0
        annotations: {modules.deckhouse.io/approved: "true"}
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: 71d2300f-700b-452a-896a-6a3805f9cef7}
      spec: {moduleName: parca, version: 1.27.0, weight: 900}
      status: {approved: true, phase: Pending}
      """
    When the cluster settles
    Then the releases of module "parca" are:
      | name         | phase      |
      | parca-1.26.2 | Superseded |
      | parca-1.27.0 | Deployed   |
    And the ModuleRelease "parca-1.27.0" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/approved: "true"
          modules.deckhouse.io/isUpdating: "false"
        labels:
          module: parca
          modules.deckhouse.io/update-policy: ""
          status: deployed
      status:
        approved: true
        transitionTime: null
      """
    And the Module "parca" matches:
      """
      status:
        phase: Ready
        conditions:
        - type: LastReleaseDeployed
          status: "True"
      """

  @claim:DKP-16
  Scenario: Under a Manual policy an approval under Deckhouse's own release key does not count
    Upstream case "install new module in manual mode with deckhouse release approval annotation"
    (testdata releases/new-module-manual-mode): the only release of echo carries
    release.deckhouse.io/approved, the DeckhouseRelease key; the module's Manual policy reads only
    modules.deckhouse.io/approved, so the release waits for that one and status.approved stays false.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: echo
      spec:
        releaseChannel: Alpha
        update:
          mode: Manual
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: echo
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: echo-v0.4.69
        annotations: {release.deckhouse.io/approved: "true"}
        labels:
          module: echo
          modules.deckhouse.io/update-policy: echo
          release-checksum: fd59af7328ed891b53cc999f242b0866
          source: test
      spec: {moduleName: echo, version: 0.4.69, weight: 900}
      status: {phase: Pending, transitionTime: "2019-10-17T15:33:00Z"}
      """
    When the cluster settles
    Then the ModuleRelease "echo-v0.4.69" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "false"
          modules.deckhouse.io/notified: "true"
          release.deckhouse.io/approved: "true"
      status:
        approved: false
        phase: Pending
        message: 'Release is waiting for the ''modules.deckhouse.io/approved: "true"'' annotation'
        transitionTime: "2019-10-17T15:33:00Z"
      """

  @beyond-page
  Scenario: The first release of a module whose ModuleConfig carries settings deploys
    Upstream case "Process release with ModuleConfig" (testdata releases/with-module-config): echo
    is enabled by a ModuleConfig with settings (param1, param2, nested.key) and is not yet known to
    the module manager; its image declares no settings schema, so the settings pass and the release
    deploys under its Auto policy. Once the installed module is Ready, a later check of the release
    (every 15 s) leaves it no longer marked as updating; upstream's stub module manager is Ready at
    once, so its golden shows that at the end of the test.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: test-source
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
          mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: echo
      spec:
        enabled: true
        version: 1
        settings:
          param1: value1
          param2: 42
          nested:
            key: nested-value
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: echo-v1.5.0
        labels:
          module: echo
          modules.deckhouse.io/update-policy: test-alpha
          release-checksum: 98d00f741c99e06e6c6c4d18b763c550
          source: test-source
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test-source, uid: 71d2300f-700b-452a-896a-6a3805f9cef7}
      spec:
        changelog:
          features: [Test module with config]
        moduleName: echo
        version: 1.5.0
        weight: 900
      status: {approved: false, message: "", phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      """
    When the cluster settles
    And 30 seconds pass
    Then the ModuleRelease "echo-v1.5.0" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "false"
        finalizers:
        - modules.deckhouse.io/exist-on-fs
        labels:
          module: echo
          modules.deckhouse.io/update-policy: test-alpha
          source: test-source
          status: deployed
      status:
        approved: false
        phase: Deployed
        transitionTime: "2024-05-03T20:55:49Z"
      """
    And the ModuleRelease "echo-v1.5.0" has the message ""
    And the Module "echo" matches:
      """
      status:
        phase: Ready
        conditions:
        - type: LastReleaseDeployed
          status: "True"
      """
    And the ModuleSource "test-source" matches:
      """
      metadata:
        finalizers: [modules.deckhouse.io/release-exists]
      """
