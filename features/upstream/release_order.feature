Feature: Which pending release deploys next, as DKP's release-controller tests seed it
  Releases are written with their status, as the upstream tests' fake clients hold them; the
  controllers then handle them. The module images are in the scenario's registry so the releases
  that deploy can be downloaded.

  Background:
    Given it is Thursday 2019-10-17 15:33 UTC
    And the registry has the modules:
      | module | version  |
      | demo   | v1.66.23 |
      | demo   | v1.66.25 |
      | demo   | v1.67.0  |
      | demo   | v1.67.5  |
      | demo   | v1.68.0  |
      | demo   | v1.68.3  |
      | demo   | v1.68.4  |
      | demo   | v1.69.10 |
      | demo   | v1.69.3  |
      | demo   | v1.70.0  |
      | demo   | v1.71.0  |
      | demo   | v1.75.1  |
      | demo   | v1.75.2  |
      | demo   | v1.75.3  |
    And the cluster has the objects of "features/upstream/demo-source.yaml"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: Module
      metadata:
        name: demo
      status:
        phase: Ready
      """

  @claim:DKP-08 @claim:DKP-28
  Scenario: A from-to rule does not apply while the deployed version is below its from
    Upstream case "No jump when deployed is below 'from'" (testdata releases/from-to-below-from):
    with v1.66.25 deployed, the approved v1.75.2 whose rule starts at 1.67 waits behind v1.67.0,
    which itself waits for approval under the Manual policy.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.66.25
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.66.25, weight: 900}
      status: {approved: true, phase: Deployed, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.67.0
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.67.0, weight: 900}
      status: {phase: Pending, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.68.4
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.68.4, weight: 900}
      status: {phase: Pending}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.75.2
        annotations: {modules.deckhouse.io/approved: "true"}
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec:
        moduleName: demo
        version: 1.75.2
        weight: 900
        update:
          versions:
          - {from: 1.67, to: 1.75}  # unquoted, as the upstream test file writes it
      status: {phase: Pending}
      """
    When the cluster settles
    Then the releases of module "demo" are:
      | name         | phase    | message                                                                        |
      | demo-1.66.25 | Deployed |                                                                                |
      | demo-1.67.0  | Pending  | Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation |
      | demo-1.68.4  | Pending  | awaiting for v1.67.0 release to be deployed                                    |
      | demo-1.75.2  | Pending  | awaiting for v1.67.0 release to be deployed                                    |
    And the Module "demo" matches:
      """
      status:
        phase: Ready
        conditions:
        - type: LastReleaseDeployed
          status: "False"
          reason: ReleaseDeployTimeCheck
          message: "ModuleRelease could not be applied, release postponed: see details in the module release v1.67.0"
      """

  @claim:DKP-28
  Scenario: An approved endpoint waits behind the lower endpoint of the same rule
    Upstream case "Jump through n versions, but approved not latest" (testdata
    releases/from-to-jump-approved-not-latest): v1.75.1, v1.75.2 (approved) and v1.75.3 all carry
    the rule 1.67 → 1.75 over the deployed v1.67.5; the lowest is the next step and reports the
    minor gap, the approved one waits for it, the newest waits for its approval.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.67.5
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.67.5, weight: 900}
      status: {approved: true, phase: Deployed, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.75.1
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.75.1, weight: 900, update: {versions: [{from: "1.67", to: "1.75"}]}}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.75.2
        annotations: {modules.deckhouse.io/approved: "true"}
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.75.2, weight: 900, update: {versions: [{from: "1.67", to: "1.75"}]}}
      status: {phase: Pending}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.75.3
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.75.3, weight: 900, update: {versions: [{from: "1.67", to: "1.75"}]}}
      """
    When the cluster settles
    Then the releases of module "demo" are:
      | name        | phase    | message                                                                        |
      | demo-1.67.5 | Deployed |                                                                                |
      | demo-1.75.1 | Pending  | minor version is greater than deployed 1.67.5 by one                           |
      | demo-1.75.2 | Pending  | awaiting for v1.75.1 release to be deployed                                    |
      | demo-1.75.3 | Pending  | Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation |

  @claim:DKP-06 @claim:DKP-28
  Scenario: A from-to rule whose to is below the deployed version moves nothing
    Upstream case "No backward jump if 'to' is less than deployed" (testdata
    releases/from-to-to-less-than-deployed): the approved v1.66.23 and v1.67.5 deploy in turn;
    v1.68.3 has no approval annotation (its seeded status.approved does not count), and v1.75.2,
    whose rule ends at 1.68, waits behind it.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.66.23
        annotations: {modules.deckhouse.io/approved: "true"}
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.66.23, weight: 900}
      status: {phase: Pending, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.67.5
        annotations: {modules.deckhouse.io/approved: "true"}
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.67.5, weight: 900}
      status: {phase: Pending, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.68.3
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.68.3, weight: 900}
      status: {approved: true, phase: Pending, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.75.2
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.75.2, weight: 900, update: {versions: [{from: "1.66", to: "1.68"}]}}
      status: {phase: Pending}
      """
    When the cluster settles
    Then the releases of module "demo" are:
      | name         | phase      | message                                                                        |
      | demo-1.66.23 | Superseded |                                                                                |
      | demo-1.67.5  | Deployed   |                                                                                |
      | demo-1.68.3  | Pending    | Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation |
      | demo-1.75.2  | Pending    | awaiting for v1.68.3 release to be deployed                                    |
    And the ModuleRelease "demo-1.68.3" matches:
      """
      status:
        approved: false
      """

  @claim:DKP-08
  Scenario: Of several from-to rules the one ending at the release's own minor makes it jump
    Upstream case "Several update specs, must choose jump to constrainted release" (testdata
    releases/from-to-several-update-specs-must-choose-constrainted-release): the approved v1.70.0
    carries 1.67 → 1.69 and 1.67 → 1.70 and deploys over v1.67.0 at once. v1.68.0 is Skipped by
    the same pass; v1.69.3 is looked at again at its next 15-second check (DKP watches each
    release on its own), and is then Skipped as well.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.67.0
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.67.0, weight: 900}
      status: {approved: true, phase: Deployed}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.68.0
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.68.0, weight: 900}
      status: {phase: Pending}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.69.3
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.69.3, weight: 900, update: {versions: [{from: "1.67", to: "1.69"}]}}
      status: {phase: Pending}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.70.0
        annotations: {modules.deckhouse.io/approved: "true"}
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec:
        moduleName: demo
        version: 1.70.0
        weight: 900
        update:
          versions:
          - {from: "1.67", to: "1.69"}
          - {from: "1.67", to: "1.70"}
      status: {phase: Pending}
      """
    When the cluster settles
    And 15 seconds pass
    Then the releases of module "demo" are:
      | name        | phase      | message |
      | demo-1.67.0 | Superseded |         |
      | demo-1.68.0 | Skipped    |         |
      | demo-1.69.3 | Skipped    |         |
      | demo-1.70.0 | Deployed   |         |
    And the ModuleRelease "demo-1.69.3" matches:
      """
      metadata:
        labels:
          status: skipped
      """
    And at no time were two releases of module "demo" Deployed

  @claim:DKP-06 @claim:DKP-28
  Scenario Outline: A release whose from-to rule <rule> waits its turn under a Manual policy
    Upstream case "<case>" (testdata releases/<file>): over the deployed v1.67.0, v1.68.0 waits for
    approval, the approved v1.69.0 waits for v1.68.0, and v1.70.0 <outcome>. The Module's
    condition names the last release the controller looked at.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.67.0
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.67.0, weight: 900}
      status: {approved: true, phase: Deployed}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.68.0
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.68.0, weight: 900}
      status: {phase: Pending}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.69.0
        annotations: {modules.deckhouse.io/approved: "true"}
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.69.0, weight: 900}
      status: {phase: Pending}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.70.0
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.70.0, weight: 900, update: {versions: <versions>}}
      status: {phase: Pending}
      """
    When the cluster settles
    Then the releases of module "demo" are:
      | name        | phase    | message                                                                        |
      | demo-1.67.0 | Deployed |                                                                                |
      | demo-1.68.0 | Pending  | Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation |
      | demo-1.69.0 | Pending  | awaiting for v1.68.0 release to be deployed                                    |
      | demo-1.70.0 | Pending  | <message>                                                                      |
    And the Module "demo" matches:
      """
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "False"
          reason: ReleaseDeployTimeCheck
          message: "ModuleRelease could not be applied, release postponed: see details in the module release <named>"
      """

    Examples:
      | rule                          | case                                                                                   | file                                                 | outcome                                           | versions                                             | message                                                                        | named   |
      | covers the deployed version   | Different from constrainted release is approved and matches constraint                 | from-to-several-update-specs-different-release       | may jump but waits for its own approval           | [{from: "1.67", to: "1.69"}, {from: "1.67", to: "1.70"}] | Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation | v1.70.0 |
      | ends below the release itself | Different from constrainted release is approved and not matches to constrainted release | from-to-update-spec-not-for-constrainted-release     | cannot jump, its rule ending at 1.69, and waits for v1.68.0 | [{from: "1.67", to: "1.69"}]                         | awaiting for v1.68.0 release to be deployed                                    | v1.68.0 |

  @claim:DKP-08
  Scenario: An approved release whose from-to rule covers the deployed version jumps over the pending ones
    Upstream case "Jump through n versions" (testdata releases/from-to-jump): v1.75.2 (rule
    1.67 → 1.75, approved) deploys over v1.67.5; v1.68.4 and v1.69.10 end Skipped once each is
    looked at again. (Upstream's golden also shows the Module's LastReleaseDeployed True, set when
    its test handles the deployed release once more; the simulator does not model the Deckhouse
    restart that does so in a cluster, docs/dkp-simulator.md, so this scenario does not check it.)

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.67.5
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.67.5, weight: 900}
      status: {approved: true, phase: Deployed, transitionTime: "2021-12-08T08:34:01Z"}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.68.4
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.68.4, weight: 900}
      status: {phase: Pending}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.69.10
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.69.10, weight: 900}
      status: {phase: Pending}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.75.2
        annotations: {modules.deckhouse.io/approved: "true"}
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.75.2, weight: 900, update: {versions: [{from: "1.67", to: "1.75"}]}}
      status: {phase: Pending}
      """
    When the cluster settles
    And 15 seconds pass
    Then the releases of module "demo" are:
      | name         | phase      | message |
      | demo-1.67.5  | Superseded |         |
      | demo-1.68.4  | Skipped    |         |
      | demo-1.69.10 | Skipped    |         |
      | demo-1.75.2  | Deployed   |         |
    And the ModuleRelease "demo-1.75.2" went through Pending, Deployed
    And at no time were two releases of module "demo" Deployed

  @claim:DKP-08
  Scenario: A from-to rule starting below the deployed version still lets its endpoint jump
    Upstream case "Jump when deployed is above 'from'" (testdata releases/from-to-deployed-above-from):
    v1.68.0 is deployed, v1.71.0 (rule 1.67 → 1.71, approved) deploys over it under the Manual
    policy, and v1.69.0 and v1.70.0 end Skipped without approval once each is looked at again:
    v1.69.0 was first held for approval (so it was notified), v1.70.0 only waited behind it.
    (As in "Jump through n versions", upstream's golden also shows the Module Ready with
    LastReleaseDeployed True, from its stub module manager and a second pass over the deployed
    release; this scenario does not check them.)

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.68.0
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.68.0, weight: 900}
      status: {approved: true, phase: Deployed}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.69.0
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.69.0, weight: 900}
      status: {phase: Pending}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.70.0
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.70.0, weight: 900}
      status: {phase: Pending}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.71.0
        annotations: {modules.deckhouse.io/approved: "true"}
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec:
        moduleName: demo
        version: 1.71.0
        weight: 900
        update:
          versions:
          - {from: 1.67, to: 1.71}  # unquoted, as the upstream test file writes it
      status: {phase: Pending}
      """
    When the cluster settles
    And 15 seconds pass
    Then the releases of module "demo" are:
      | name        | phase      | message |
      | demo-1.68.0 | Superseded |         |
      | demo-1.69.0 | Skipped    |         |
      | demo-1.70.0 | Skipped    |         |
      | demo-1.71.0 | Deployed   |         |
    And the ModuleRelease "demo-1.68.0" matches:
      """
      metadata:
        labels:
          status: superseded
      status:
        transitionTime: "2019-10-17T15:33:00Z"
      """
    And the ModuleRelease "demo-1.69.0" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "false"
          modules.deckhouse.io/notified: "true"
        labels:
          status: skipped
      status:
        approved: false
      """
    And the ModuleRelease "demo-1.70.0" matches:
      """
      metadata:
        annotations: ~
        labels:
          status: skipped
      status:
        approved: false
      """
    And the ModuleRelease "demo-1.71.0" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/approved: "true"
        labels:
          status: deployed
      spec:
        update:
          versions:
          - {from: "1.67", to: "1.71"}
      status:
        approved: true
        transitionTime: null
      """
    And at no time were two releases of module "demo" Deployed

  @claim:DKP-06 @claim:DKP-28
  Scenario: A from-to rule that decodes to a minor below the release's own does not make it jump
    Upstream case "Sequential" (testdata releases/from-to-sequential): the test file writes the
    rule unquoted, "from: 1.67, to: 1.70"; DKP's test decoding reads YAML numbers as floats and
    writes them into the text fields as Go formats a float32, so its golden holds the rule as from
    "1.67", to "1.7", and v1.70.0 is no rule's endpoint. The seed writes the rule unquoted too and
    takes it the same way. v1.68.0 waits for approval under the Manual policy; v1.69.0 and the
    approved v1.70.0 wait for v1.68.0.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.67.0
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.67.0, weight: 900}
      status: {approved: true, phase: Deployed}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.68.0
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.68.0, weight: 900}
      status: {phase: Pending}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.69.0
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec: {moduleName: demo, version: 1.69.0, weight: 900}
      status: {phase: Pending}
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: demo-1.70.0
        annotations: {modules.deckhouse.io/approved: "true"}
        labels: {module: demo, source: test-source, modules.deckhouse.io/update-policy: demo}
      spec:
        moduleName: demo
        version: 1.70.0
        weight: 900
        update:
          versions:
          - {from: 1.67, to: 1.70}  # unquoted, as the upstream test file writes it
      status: {phase: Pending}
      """
    When the cluster settles
    Then the releases of module "demo" are:
      | name        | phase    | message                                                                        |
      | demo-1.67.0 | Deployed |                                                                                |
      | demo-1.68.0 | Pending  | Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation |
      | demo-1.69.0 | Pending  | awaiting for v1.68.0 release to be deployed                                    |
      | demo-1.70.0 | Pending  | awaiting for v1.68.0 release to be deployed                                    |
    And the ModuleRelease "demo-1.68.0" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "false"
          modules.deckhouse.io/notified: "true"
      status:
        approved: false
      """
    And the ModuleRelease "demo-1.70.0" matches:
      """
      status:
        approved: true
      """
    And the Module "demo" matches:
      """
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "False"
          reason: ReleaseDeployTimeCheck
          message: "ModuleRelease could not be applied, release postponed: see details in the module release v1.68.0"
      """
