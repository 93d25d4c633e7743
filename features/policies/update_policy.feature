Feature: A ModuleUpdatePolicy decides when new releases install
  The page's example policy follows the Alpha channel and lets updates install automatically on
  Mondays and Wednesdays between 13:30 and 14:00 UTC. Mode decides which releases also need the
  approval annotation. Page section: "Module update policy".

  Background:
    Given the registry has the modules:
      | module     | version | channels |
      | module-one | v0.7.24 | alpha    |

  @claim:UP-01 @claim:UP-03 @claim:UP-04 @claim:DKP-04 @claim:DKP-05 @claim:DKP-06 @claim:DKP-01
  Scenario Outline: A <kind> release under mode <mode>, <window> the window, ends <phase>
    Only the version the channel moves to is published besides the deployed one, so no release
    line steps through an intermediate patch (Deckhouse v1.76 would create one first).

    Given it is <start>
    And the registry has the modules:
      | module     | version   |
      | module-one | <version> |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: example-update-policy
      spec:
        releaseChannel: Alpha
        update:
          mode: <mode>
          windows:
          - days:
            - "Mon"
            - "Wed"
            from: "13:30"
            to: "14:00"
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        updatePolicy: example-update-policy
      """
    When 15 seconds pass
    Then the ModuleRelease "module-one-v0.7.24" is in phase "Deployed"
    When the "alpha" channel of module "module-one" moves to <version>
    And it becomes <check>
    Then the ModuleRelease "module-one-<version>" is in phase "<phase>"
    And the ModuleRelease "module-one-<version>" has the message "<message>"

    Examples:
      | mode      | kind  | version | window  | start                          | check                          | phase    | message                                                                       |
      | Auto      | patch | v0.7.25 | inside  | Wednesday 2024-12-18 13:20 UTC | Wednesday 2024-12-18 13:45 UTC | Deployed |                                                                               |
      | Auto      | minor | v0.8.0  | inside  | Wednesday 2024-12-18 13:20 UTC | Wednesday 2024-12-18 13:45 UTC | Deployed |                                                                               |
      | AutoPatch | patch | v0.7.25 | inside  | Wednesday 2024-12-18 13:20 UTC | Wednesday 2024-12-18 13:45 UTC | Deployed |                                                                               |
      | AutoPatch | minor | v0.8.0  | inside  | Wednesday 2024-12-18 13:20 UTC | Wednesday 2024-12-18 13:45 UTC | Pending  | Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation |
      | AutoPatch | minor | v0.8.0  | outside | Wednesday 2024-12-18 14:05 UTC | Wednesday 2024-12-18 15:00 UTC | Pending  | Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation |
      | Manual    | patch | v0.7.25 | inside  | Wednesday 2024-12-18 13:20 UTC | Wednesday 2024-12-18 13:45 UTC | Pending  | Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation |
      | Manual    | patch | v0.7.25 | outside | Wednesday 2024-12-18 14:05 UTC | Wednesday 2024-12-18 15:00 UTC | Pending  | Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation |
      | Manual    | minor | v0.8.0  | inside  | Wednesday 2024-12-18 13:20 UTC | Wednesday 2024-12-18 13:45 UTC | Pending  | Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation |
      | Manual    | minor | v0.8.0  | outside | Wednesday 2024-12-18 14:05 UTC | Wednesday 2024-12-18 15:00 UTC | Pending  | Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation |

  @claim:UP-01 @claim:UP-03 @claim:UP-04 @claim:DKP-04 @claim:DKP-05 @claim:DKP-06 @claim:DKP-01
  Scenario Outline: A <kind> release under mode <mode>, outside the window, waits for the next one
    The date in the message is printed as 23 Dec 24 up to Deckhouse v1.75 and as 23 Dec 2024 from
    v1.76 (features/eras), so the check names the day and the window's start.
    Only the version the channel moves to is published besides the deployed one, so no release
    line steps through an intermediate patch (Deckhouse v1.76 would create one first).

    Given it is <start>
    And the registry has the modules:
      | module     | version   |
      | module-one | <version> |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: example-update-policy
      spec:
        releaseChannel: Alpha
        update:
          mode: <mode>
          windows:
          - days:
            - "Mon"
            - "Wed"
            from: "13:30"
            to: "14:00"
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        updatePolicy: example-update-policy
      """
    When 15 seconds pass
    Then the ModuleRelease "module-one-v0.7.24" is in phase "Deployed"
    When the "alpha" channel of module "module-one" moves to <version>
    And it becomes <check>
    Then the ModuleRelease "module-one-<version>" is in phase "<phase>"
    And the ModuleRelease "module-one-<version>" has a message containing "Release is waiting for the update window until <next>"
    And the ModuleRelease "module-one-<version>" has a message containing "13:30 UTC"

    Examples:
      | mode      | kind  | version | start                          | check                          | phase   | next   |
      | Auto      | patch | v0.7.25 | Wednesday 2024-12-18 14:05 UTC | Wednesday 2024-12-18 15:00 UTC | Pending | 23 Dec |
      | Auto      | minor | v0.8.0  | Wednesday 2024-12-18 14:05 UTC | Wednesday 2024-12-18 15:00 UTC | Pending | 23 Dec |
      | AutoPatch | patch | v0.7.25 | Wednesday 2024-12-18 14:05 UTC | Wednesday 2024-12-18 15:00 UTC | Pending | 23 Dec |

  @claim:DKP-02
  Scenario: At exactly the from minute the window is still closed
    Given it is Monday 2024-12-23 13:21 UTC
    And the registry has the modules:
      | module     | version |
      | module-one | v0.7.25 |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: example-update-policy
      spec:
        releaseChannel: Alpha
        update:
          mode: Auto
          windows:
          - days: ["Mon", "Wed"]
            from: "13:30"
            to: "14:00"
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        updatePolicy: example-update-policy
      """
    When the "alpha" channel of module "module-one" moves to v0.7.25
    And it becomes Monday 2024-12-23 13:30 UTC
    Then the ModuleRelease "module-one-v0.7.25" is in phase "Pending"
    When 15 seconds pass
    Then the ModuleRelease "module-one-v0.7.25" is in phase "Deployed"

  @claim:DKP-03
  Scenario: An overnight window never opens
    Given it is Monday 2024-12-23 21:55 UTC
    And the registry has the modules:
      | module     | version |
      | module-one | v0.7.25 |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: nights
      spec:
        releaseChannel: Alpha
        update:
          mode: Auto
          windows:
          - from: "22:00"
            to: "02:00"
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        updatePolicy: nights
      """
    When 15 seconds pass
    And the "alpha" channel of module "module-one" moves to v0.7.25
    And it becomes Tuesday 2024-12-24 02:05 UTC
    Then the ModuleRelease "module-one-v0.7.25" is in phase "Pending"
    And the ModuleRelease "module-one-v0.7.25" has a message containing "Release is waiting for the update window"
    And the ModuleRelease "module-one-v0.7.24" is in phase "Deployed"

  @claim:UP-01 @deviation
  Scenario: The v1alpha2 API the page uses has no mode that disables updates
    The page lists "updates disabled" among the modes; only the deprecated v1alpha1 API
    accepts it (as Ignore). The v1alpha2 API refuses it.

    When I try to apply:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: never
      spec:
        update:
          mode: Ignore
      """
    Then the API server refuses it with a message containing "spec.update.mode"
    But the page says: the ModuleUpdatePolicy "never" matches:
      """
      spec:
        update:
          mode: Ignore
      """

  @claim:DKP-20
  Scenario: A v1alpha1 policy in Ignore mode keeps releases from deploying
    Given it is Monday 2024-12-23 12:00 UTC
    And the registry has the modules:
      | module     | version |
      | module-one | v0.7.25 |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleUpdatePolicy
      metadata:
        name: frozen
      spec:
        moduleReleaseSelector:
          labelSelector:
            matchLabels:
              module: module-one
        releaseChannel: Alpha
        update:
          mode: Ignore
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        updatePolicy: frozen
      """
    When 15 seconds pass
    And the "alpha" channel of module "module-one" moves to v0.7.25
    And 10 minutes pass
    Then the ModuleRelease "module-one-v0.7.25" is in phase "Pending"
    And the ModuleRelease "module-one-v0.7.25" has the message "Update disabled by 'Ignore' update policy"

  @claim:DKP-19
  Scenario: A release labelled with a policy that does not exist waits until the policy appears
    Given it is Monday 2024-12-23 12:00 UTC
    And the registry has the modules:
      | module     | version |
      | module-one | v0.7.25 |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: manual
      spec:
        releaseChannel: Alpha
        update:
          mode: Manual
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        updatePolicy: manual
      """
    When 15 seconds pass
    And the "alpha" channel of module "module-one" moves to v0.7.25
    And 3 minutes pass
    And I delete the ModuleUpdatePolicy "manual"
    And 1 minutes pass
    Then the ModuleRelease "module-one-v0.7.25" has the message "Update policy manual not found"
    When I apply:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: manual
      spec:
        releaseChannel: Alpha
        update:
          mode: Auto
      """
    And 1 minutes pass
    Then the ModuleRelease "module-one-v0.7.25" is in phase "Deployed"

  @beyond-page
  Scenario: A user cannot move a release to another update policy by relabelling it
    Deckhouse's ValidatingAdmissionPolicy update-policy-label-objects.deckhouse.io (since August
    2024) lets only Deckhouse change the value of a release's update-policy label; removing the
    label, so that Deckhouse finds the policy again, is allowed.

    Given it is Monday 2024-12-23 12:00 UTC
    And the registry has the modules:
      | module     | version |
      | module-one | v0.7.25 |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: manual
      spec:
        releaseChannel: Alpha
        update:
          mode: Manual
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        updatePolicy: manual
      """
    When 15 seconds pass
    And the "alpha" channel of module "module-one" moves to v0.7.25
    And 3 minutes pass
    And I try to apply:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: module-one-v0.7.25
        labels:
          modules.deckhouse.io/update-policy: another
      """
    Then the API server refuses it with a message containing "ValidatingAdmissionPolicy 'update-policy-label-objects.deckhouse.io' with binding 'update-policy-label-objects.deckhouse.io' denied request: Manual update-policy change is forbidden."
    When I label the ModuleRelease "module-one-v0.7.25" with example.com/team="qa"
    Then the ModuleRelease "module-one-v0.7.25" matches:
      """
      metadata:
        labels:
          example.com/team: qa
          modules.deckhouse.io/update-policy: manual
      """

  @claim:UP-03 @claim:DKP-04 @claim:MS-02
  Scenario: Over weeks, each channel move waits for the next Monday or Wednesday window
    Three weeks of virtual time: every release the channel brings waits for the next window and
    deploys at DKP's first 15-second check inside it (13:30:15, since a window opens strictly
    after its from). The superseded release's transitionTime records that instant, and the
    source keeps its three-minute scans the whole time.

    Given the registry has the modules:
      | module     | version |
      | module-one | v0.7.25 |
      | module-one | v0.8.0  |
      | module-one | v0.9.0  |
    And it is Wednesday 2024-12-18 14:05 UTC
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: example-update-policy
      spec:
        releaseChannel: Alpha
        update:
          mode: Auto
          windows:
          - days: ["Mon", "Wed"]
            from: "13:30"
            to: "14:00"
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        updatePolicy: example-update-policy
      """
    When 15 seconds pass
    And the "alpha" channel of module "module-one" moves to v0.7.25
    And it becomes Sunday 2024-12-22 23:59 UTC
    Then the ModuleRelease "module-one-v0.7.25" has a message containing "Release is waiting for the update window until 23 Dec"
    And the ModuleRelease "module-one-v0.7.25" has a message containing "13:30 UTC"
    When it becomes Monday 2024-12-23 14:10 UTC
    Then the ModuleRelease "module-one-v0.7.25" is in phase "Deployed"
    And the ModuleRelease "module-one-v0.7.24" matches:
      """
      status:
        phase: Superseded
        transitionTime: "2024-12-23T13:30:15Z"
      """
    When the "alpha" channel of module "module-one" moves to v0.8.0
    And it becomes Tuesday 2024-12-24 23:59 UTC
    Then the ModuleRelease "module-one-v0.8.0" has a message containing "Release is waiting for the update window until 25 Dec"
    And the ModuleRelease "module-one-v0.8.0" has a message containing "13:30 UTC"
    When it becomes Wednesday 2024-12-25 14:10 UTC
    And the "alpha" channel of module "module-one" moves to v0.9.0
    And 3 weeks pass
    Then the releases of module "module-one" are:
      | name               | phase      |
      | module-one-v0.7.24 | Superseded |
      | module-one-v0.7.25 | Superseded |
      | module-one-v0.8.0  | Superseded |
      | module-one-v0.9.0  | Deployed   |
    And the ModuleRelease "module-one-v0.8.0" matches:
      """
      status:
        transitionTime: "2024-12-30T13:30:15Z"
      """
    And the ModuleSource "example" matches:
      """
      status:
        syncTime: "2025-01-15T14:08:00Z"
      """
    And the Module "module-one" is in phase "Ready"
    And at no time were two releases of module "module-one" Deployed
