Feature: What holds a pending release back or lets it through, as DKP's release-controller tests seed it
  Releases are written with their status, as the upstream tests' fake clients hold them; the
  controllers then handle them. The test suite's clock stands at 2019-10-17 15:33 UTC, a Thursday.

  Background:
    Given it is Thursday 2019-10-17 15:33 UTC
    And the registry has the modules:
      | module              | version |
      | parca               | v1.2.1  |
      | parca               | v1.5.2  |
      | parca               | v1.26.2 |
      | parca               | v1.26.3 |
      | parca               | v1.27.0 |
      | parca               | v1.4.3  |
      | echo                | v0.4.54 |
      | echo                | v0.4.69 |
      | deckhouse-commander | v1.3.10 |
    And the cluster has the objects of "features/upstream/parca-source.yaml"

  @claim:DKP-05
  Scenario: Under AutoPatch a minor release waits for approval
    Upstream case "AutoPatch / Postponed minor release" (testdata
    releases/auto-patch-mode-minor-release): the deckhouse module's own policy is AutoPatch, the
    releases carry neither labels nor an approval annotation; the controller labels them as it
    handles them and leaves the seeded status.approved alone.

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
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: 94494a1a-868c-441f-a7a1-3c5e8ccf0957}
      spec: {moduleName: parca, version: 1.26.2, weight: 900}
      status: {approved: true, phase: Deployed, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-1.27.0
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: 94494a1a-868c-441f-a7a1-3c5e8ccf0957}
      spec: {moduleName: parca, version: 1.27.0, weight: 900}
      status: {approved: true, phase: Pending}
      """
    When the cluster settles
    Then the releases of module "parca" are:
      | name         | phase    | message                                                                        |
      | parca-1.26.2 | Deployed |                                                                                |
      | parca-1.27.0 | Pending  | Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation |
    And the ModuleRelease "parca-1.26.2" matches:
      """
      metadata:
        labels:
          module: parca
          status: deployed
      """
    And the ModuleRelease "parca-1.27.0" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "false"
          modules.deckhouse.io/notified: "true"
        labels:
          modules.deckhouse.io/update-policy: ""
      status:
        approved: true
      """
    And the Module "parca" matches:
      """
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "False"
          reason: ReleaseDeployTimeCheck
          message: "ModuleRelease could not be applied, release postponed: see details in the module release v1.27.0"
      """

  @claim:DKP-05
  Scenario: Under AutoPatch an approved minor deploys outside the window
    Upstream case "AutoPatch / Postponed release" (testdata releases/auto-mode): the deckhouse
    module's policy is AutoPatch with a window at 10:00-11:00; at 15:33 the approved v1.27.0
    deploys anyway, and with the Module Ready it is not left marked as updating.

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
          modules.deckhouse.io/isUpdating: "false"
        labels:
          module: parca
          modules.deckhouse.io/update-policy: ""
          status: deployed
      """

  @claim:DKP-05
  Scenario: Under AutoPatch an approved minor owned by another source deploys outside the window
    Upstream case "AutoPatch / minor update don't respect window" (testdata
    releases/auto-patch-minor-update): the same policy as "Postponed release" (AutoPatch, window
    10:00-11:00 every day), but the deployed v1.26.2 has no owner and the approved v1.27.0 belongs
    to the source foxtrot-suitable. At 15:33 v1.27.0 deploys anyway and supersedes v1.26.2 at the
    suite's instant; the Module stays Ready with its last release deployed.

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
      kind: ModuleSource
      metadata:
        name: foxtrot-suitable
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
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
      spec: {moduleName: parca, version: 1.26.2, weight: 900}
      status: {approved: true, phase: Deployed, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-1.27.0
        annotations: {modules.deckhouse.io/approved: "true"}
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: foxtrot-suitable, uid: 71d2300f-700b-452a-896a-6a3805f9cef7}
      spec: {moduleName: parca, version: 1.27.0, weight: 900}
      status: {approved: true, phase: Pending}
      """
    When the cluster settles
    Then the releases of module "parca" are:
      | name         | phase      |
      | parca-1.26.2 | Superseded |
      | parca-1.27.0 | Deployed   |
    And the ModuleRelease "parca-1.26.2" matches:
      """
      metadata:
        labels:
          module: parca
          status: superseded
      status:
        approved: true
        phase: Superseded
        transitionTime: "2019-10-17T15:33:00Z"
      """
    And the ModuleRelease "parca-1.26.2" has the message ""
    And the ModuleRelease "parca-1.27.0" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/approved: "true"
          modules.deckhouse.io/isUpdating: "false"
        finalizers: [modules.deckhouse.io/exist-on-fs]
        labels:
          module: parca
          modules.deckhouse.io/update-policy: ""
          status: deployed
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: foxtrot-suitable}
      status:
        approved: true
        phase: Deployed
      """
    And the ModuleRelease "parca-1.27.0" has the message ""
    And the Module "parca" matches:
      """
      status:
        phase: Ready
        conditions:
        - type: LastReleaseDeployed
          status: "True"
      """

  @claim:DKP-04 @deckhouse-before:v1.76.0
  Scenario: A patch outside the deckhouse module's window waits for the next one
    Upstream case "Patch awaits update window" (testdata releases/patch-awaits-update-window): the
    window is 8:00-8:01 every day, so at 15:33 the patch waits for the next morning.

    Given the cluster has the objects of "features/upstream/morning-window.yaml"
    And the cluster has the objects of "features/upstream/parca-1.26-pending-patch.yaml"
    When the cluster settles
    Then the releases of module "parca" are:
      | name         | phase    | message                                                            |
      | parca-1.26.2 | Deployed |                                                                    |
      | parca-1.26.3 | Pending  | Release is waiting for the update window until 18 Oct 19 08:00 UTC |

  @claim:DKP-04 @deckhouse-since:v1.76.0
  Scenario: From v1.76 the waiting patch names the next window with a four-digit year
    Upstream case "Patch awaits update window", golden of the suite that prints the full year.

    Given the cluster has the objects of "features/upstream/morning-window.yaml"
    And the cluster has the objects of "features/upstream/parca-1.26-pending-patch.yaml"
    When the cluster settles
    Then the ModuleRelease "parca-1.26.3" has the message "Release is waiting for the update window until 18 Oct 2019 08:00 UTC"

  @claim:DKP-01
  Scenario: apply-now deploys the only release at once and is then removed
    Upstream case "with annotation" (testdata releases/with-annotation): other annotations stay,
    and the deploy leaves transitionTime as it was.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: deckhouse-commander
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: deckhouse-commander-v1.3.10
        annotations: {modules.deckhouse.io/apply-now: "true", a: b}
        finalizers: [modules.deckhouse.io/exist-on-fs]
        labels: {module: deckhouse-commander, modules.deckhouse.io/update-policy: "", source: test, status: deployed}
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: 2a376b24-f3ee-4d0a-8188-a6b09671bff7}
      spec: {moduleName: deckhouse-commander, version: 1.3.10, weight: 900}
      status: {approved: false, message: "", phase: Pending, transitionTime: "2024-05-05T10:41:06Z"}
      """
    When the cluster settles
    Then the ModuleRelease "deckhouse-commander-v1.3.10" matches:
      """
      metadata:
        annotations:
          a: b
          modules.deckhouse.io/apply-now: ~
          modules.deckhouse.io/isUpdating: "true"
        labels:
          status: deployed
      status:
        phase: Deployed
        transitionTime: "2024-05-05T10:41:06Z"
      """
    And the Module "deckhouse-commander" matches:
      """
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "True"
      """

  @claim:DKP-22
  Scenario: The force annotation deploys a release over a deployed one and is then removed
    Upstream case "Process force release" (testdata releases/apply-force-release).

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
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: parca
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
        name: parca-1.5.2
        annotations: {modules.deckhouse.io/force: "true"}
        labels: {module: parca, modules.deckhouse.io/update-policy: parca, source: test}
      spec: {moduleName: parca, version: 1.5.2, weight: 900}
      status: {phase: Pending}
      """
    When the cluster settles
    Then the releases of module "parca" are:
      | name        | phase      |
      | parca-1.2.1 | Superseded |
      | parca-1.5.2 | Deployed   |
    And the ModuleRelease "parca-1.5.2" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/force: ~
          modules.deckhouse.io/isUpdating: "true"
        labels:
          status: deployed
      """

  @beyond-page
  Scenario: The reinstall annotation installs the deployed release again and is then removed
    Upstream case "Reinstall" (testdata releases/reinstall-annotation): a Deployed release with no
    labels stays Deployed, gains its module and status labels and is marked as updating.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: parca
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-1.26.2
        annotations: {modules.deckhouse.io/reinstall: "true"}
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: test, uid: 71d2300f-700b-452a-896a-6a3805f9cef7}
      spec: {moduleName: parca, version: 1.26.2, weight: 900}
      status: {approved: true, phase: Deployed, transitionTime: "2021-12-08T08:34:01Z"}
      """
    When the cluster settles
    Then the ModuleRelease "parca-1.26.2" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/reinstall: ~
          modules.deckhouse.io/isUpdating: "true"
        labels:
          module: parca
          status: deployed
      status:
        phase: Deployed
        transitionTime: "2021-12-08T08:34:01Z"
      """

  @claim:DKP-35
  Scenario: Under a Manual policy a release without apply-now waits for approval even when it is the only one
    Upstream case "install new module in manual mode with module release without approval
    annotation" (testdata releases/manual-mode-release-not-approved).

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
        labels: {module: echo, modules.deckhouse.io/update-policy: echo, source: test}
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
      status:
        approved: false
        phase: Pending
        message: 'Release is waiting for the ''modules.deckhouse.io/approved: "true"'' annotation'
        transitionTime: "2019-10-17T15:33:00Z"
      """
    And the Module "echo" matches:
      """
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "False"
          reason: ReleaseDeployTimeCheck
          message: "ModuleRelease could not be applied, release postponed: see details in the module release v0.4.69"
      """

  @claim:DKP-35
  Scenario: A canary release waits until its applyAfter time, then deploys
    Upstream case "loop until deploy: canary" (testdata releases/loop-canary; the golden of the
    older suite shows the deploy at applyAfter): the release's own policy has no windows.

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
        labels: {module: parca, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec:
        moduleName: parca
        version: 1.4.3
        weight: 900
        applyAfter: "2019-10-21T15:00:00Z"
      status: {phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      """
    When the cluster settles
    Then the ModuleRelease "parca-v1.4.3" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "false"
          modules.deckhouse.io/notified: "true"
      status:
        phase: Pending
      """
    And the ModuleRelease "parca-v1.4.3" has a message containing "Release is postponed until 21 Oct"
    When it becomes Monday 2019-10-21 14:59 UTC
    Then the ModuleRelease "parca-v1.4.3" is in phase "Pending"
    When it becomes Monday 2019-10-21 15:00 UTC
    Then the ModuleRelease "parca-v1.4.3" is in phase "Deployed"

  @claim:DKP-09
  Scenario: A deployed release keeps only the three newest outdated releases of its module
    Upstream case "clean up for a deployed module release with outdated module releases" (testdata
    releases/clean-up-outdated-module-releases-for-deployed): the test sets each release's phase
    from its status label; the policy the releases name does not exist, which does not stop the
    clean-up.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: echo
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: echo-v0.4.50
        labels: {module: echo, modules.deckhouse.io/update-policy: test-alpha, source: test, status: superseded}
      spec: {moduleName: echo, version: 0.4.50, weight: 910}
      status: {phase: Superseded}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: echo-v0.4.51
        labels: {module: echo, modules.deckhouse.io/update-policy: test-alpha, source: test, status: superseded}
      spec: {moduleName: echo, version: 0.4.51, weight: 910}
      status: {phase: Superseded}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: echo-v0.4.52
        labels: {module: echo, modules.deckhouse.io/update-policy: test-alpha, source: test, status: suspended}
      spec: {moduleName: echo, version: 0.4.52, weight: 910}
      status: {phase: Suspended}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: echo-v0.4.53
        labels: {module: echo, modules.deckhouse.io/update-policy: test-alpha, source: test, status: superseded}
      spec: {moduleName: echo, version: 0.4.53, weight: 910}
      status: {phase: Superseded}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: echo-v0.4.54
        finalizers: [modules.deckhouse.io/exist-on-fs]
        labels: {module: echo, modules.deckhouse.io/update-policy: test-alpha, source: test, status: deployed}
      spec: {moduleName: echo, version: 0.4.54, weight: 910}
      status: {phase: Deployed}
      """
    When the cluster settles
    Then the releases of module "echo" are:
      | name         | phase      |
      | echo-v0.4.51 | Superseded |
      | echo-v0.4.52 | Suspended  |
      | echo-v0.4.53 | Superseded |
      | echo-v0.4.54 | Deployed   |
    And the ModuleRelease "echo-v0.4.50" does not exist

  @claim:DKP-09
  Scenario: Deploying a release deletes the outdated ones beyond the three newest
    Upstream case "deploy with outdated module releases" (testdata
    releases/clean-up-outdated-module-releases-when-deploy): no release is Deployed, v0.4.54 is
    Pending under an Auto policy; it deploys, and the oldest of the four outdated releases goes.

    Given the cluster has:
      """
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
      kind: Module
      metadata:
        name: echo
      status:
        phase: Ready
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: echo-v0.4.50
        labels: {module: echo, modules.deckhouse.io/update-policy: test-alpha, source: test, status: superseded}
      spec: {moduleName: echo, version: 0.4.50, weight: 910}
      status: {phase: Superseded}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: echo-v0.4.51
        labels: {module: echo, modules.deckhouse.io/update-policy: test-alpha, source: test, status: superseded}
      spec: {moduleName: echo, version: 0.4.51, weight: 910}
      status: {phase: Superseded}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: echo-v0.4.52
        labels: {module: echo, modules.deckhouse.io/update-policy: test-alpha, source: test, status: suspended}
      spec: {moduleName: echo, version: 0.4.52, weight: 910}
      status: {phase: Suspended}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: echo-v0.4.53
        labels: {module: echo, modules.deckhouse.io/update-policy: test-alpha, source: test, status: superseded}
      spec: {moduleName: echo, version: 0.4.53, weight: 910}
      status: {phase: Superseded}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: echo-v0.4.54
        labels: {module: echo, modules.deckhouse.io/update-policy: test-alpha, source: test, status: pending}
      spec: {moduleName: echo, version: 0.4.54, weight: 910}
      status: {phase: Pending}
      """
    When the cluster settles
    Then the releases of module "echo" are:
      | name         | phase      |
      | echo-v0.4.51 | Superseded |
      | echo-v0.4.52 | Suspended  |
      | echo-v0.4.53 | Superseded |
      | echo-v0.4.54 | Deployed   |
    And the ModuleRelease "echo-v0.4.54" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "false"
        labels:
          status: deployed
      """
    And the Module "echo" matches:
      """
      status:
        phase: Ready
        conditions:
        - {type: LastReleaseDeployed, status: "True"}
      """

  @claim:DKP-17 @deckhouse-before:v1.75.0
  Scenario: A release whose Deckhouse requirement is unmet stays Pending
    Upstream case "deckhouse unsuitable version" (testdata releases/dVersion-unsuitable): the
    requirement is written in the release's spec, above every Deckhouse version this scenario runs.

    Given the cluster has the objects of "features/upstream/parca-requires.yaml"
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
        requirements:
          deckhouse: "> v1.99.0"
      status: {phase: Pending, transitionTime: "2019-10-17T15:33:00Z"}
      """
    When the cluster settles
    Then the ModuleRelease "parca-v1.4.3" is in phase "Pending"
    And the ModuleRelease "parca-v1.4.3" has a message containing "requirements are not satisfied: current deckhouse version is not suitable: "
    And the ModuleRelease "parca-v1.4.3" has a message containing " is less than or equal to v1.99.0"

  @claim:DKP-41 @deckhouse-since:v1.75.0
  Scenario: A release whose Kubernetes requirement is unmet stays Pending
    Upstream case "kubernetes unsuitable version" (testdata releases/kVersion-unsuitable).

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
        requirements:
          kubernetes: "> 1.29"
      status: {phase: Pending}
      """
    When the cluster settles
    Then the ModuleRelease "parca-v1.4.3" is in phase "Pending"
    And the ModuleRelease "parca-v1.4.3" has the message "check module release requirements: validate release: requirements are not satisfied: current kubernetes version is not suitable: 1.28.0 is less than or equal to 1.29"

  @claim:DKP-44 @deckhouse-since:v1.76.0
  Scenario: A module marked embedded switches to the source of the release it deploys
    Upstream case "embedded module source switch" (testdata releases/embedded-module-source-switch):
    the Module carries only the embedded mark of its package view, no source. The deploy moves
    the package view off the embedded copy to the release's source and version, as the goldens at
    049a95cf and after show.

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
      apiVersion: deckhouse.io/v1alpha2
      kind: Module
      metadata:
        name: parca
        annotations:
          modules.deckhouse.io/embedded: "true"
      spec:
        packageRepositoryName: embedded
        packageVersion: v1.80.0
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-v1.4.3
        labels: {module: parca, modules.deckhouse.io/update-policy: foxtrot-alpha, source: test}
      spec: {moduleName: parca, version: 1.4.3, weight: 900}
      status: {phase: Pending, transitionTime: "2024-05-03T20:55:49Z"}
      """
    When the cluster settles
    Then the ModuleRelease "parca-v1.4.3" is in phase "Deployed"
    And the Module "parca" matches:
      """
      properties:
        source: test
      spec:
        packageRepositoryName: test
        packageVersion: v1.4.3
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "True"
      """

  @deckhouse-before:v1.75.0 @beyond-page
  Scenario: An approved minor over the deployed one deploys, the hand-written step-by-step case
    Upstream case "step-by-step" (testdata releases/step-by-step, a golden written by hand in an
    earlier suite): the deployed v1.26.2 carries only its module label, the approved v1.27.0 is
    owned by the source foxtrot-suitable; under the deckhouse module's Auto policy v1.27.0 deploys
    and supersedes v1.26.2, not yet notified, as the golden shows. (The golden also shows it
    marked as updating: that test handles each release once, and the next look at a deployed
    release whose module is Ready clears the mark, as the repeated "Postponed release" case shows.
    From v1.75 a deploy marks the release notified, docs/dkp-eras.md, hence the era tag.)

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: foxtrot-suitable
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
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
        labels: {module: parca}
      spec: {moduleName: parca, version: 1.26.2, weight: 900}
      status: {approved: true, phase: Deployed, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: parca-1.27.0
        annotations: {modules.deckhouse.io/approved: "true"}
        labels: {module: parca}
        ownerReferences:
        - {apiVersion: deckhouse.io/v1alpha1, controller: true, kind: ModuleSource, name: foxtrot-suitable, uid: 71d2300f-700b-452a-896a-6a3805f9cef7}
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
          modules.deckhouse.io/notified: "false"
        finalizers: [modules.deckhouse.io/exist-on-fs]
        labels:
          module: parca
          modules.deckhouse.io/update-policy: ""
          status: deployed
      status:
        approved: true
      """
    And the ModuleRelease "parca-1.27.0" has the message ""
