Feature: Releases under manual approval wait for the approval annotation
  With update mode Manual every release after the first stays Pending until it is annotated
  modules.deckhouse.io/approved="true". Page sections: "Module source", "Troubleshooting".

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module   | version  | channels |
      | module-1 | v1.23.1  | alpha    |
      | module-1 | v1.23.2  |          |
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
          mode: Manual
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-1
      spec:
        enabled: true
        updatePolicy: example-update-policy
      """
    And the "alpha" channel of module "module-1" moves to v1.23.2
    And 3 minutes pass

  @claim:REL-03 @claim:TR-04 @deviation
  Scenario: A new release waits with DKP's approval message
    The page shows the message "Waiting for the 'release.deckhouse.io/approved: "true"' annotation";
    DKP writes "Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation".

    When I run `kubectl get mr`
    Then the row of "module-1-v1.23.2" reads:
      | PHASE         | Pending                                                                      |
      | UPDATE POLICY | example-update-policy                                                        |
      | MESSAGE       | Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation |
    And the row of "module-1-v1.23.1" reads:
      | PHASE | Deployed |
    But the page says: the row of "module-1-v1.23.2" reads:
      | PHASE   | Pending                                                              |
      | MESSAGE | Waiting for the 'release.deckhouse.io/approved: "true"' annotation |

  @claim:REL-04 @claim:TR-04
  Scenario: kubectl annotate with the page's command approves and installs the release
    When I run `kubectl annotate mr module-1-v1.23.2 modules.deckhouse.io/approved="true"`
    Then the output contains "annotated"
    When 15 seconds pass
    Then the releases of module "module-1" are:
      | name             | phase      |
      | module-1-v1.23.1 | Superseded |
      | module-1-v1.23.2 | Deployed   |
    When I run `kubectl get mr module-1-v1.23.2`
    Then the output does not contain "waiting for"
    And the ModuleRelease "module-1-v1.23.2" was never Deployed before it was approved
    And at no time were two releases of module "module-1" Deployed

  @claim:DKP-16 @claim:REL-03 @deviation
  Scenario: An approval under the key quoted in the page's message is ignored
    The page's message names release.deckhouse.io/approved; DKP reads only
    modules.deckhouse.io/approved, so annotating with the page's key does not approve.

    When I annotate the ModuleRelease "module-1-v1.23.2" with release.deckhouse.io/approved="true"
    And 10 minutes pass
    Then the ModuleRelease "module-1-v1.23.2" is in phase "Pending"
    And the ModuleRelease "module-1-v1.23.2" matches:
      """
      status:
        message: "Release is waiting for the 'modules.deckhouse.io/approved: \"true\"' annotation"
      """
    But the page says: the ModuleRelease "module-1-v1.23.2" is in phase "Deployed"

  @claim:DKP-06
  Scenario: In Manual mode status.approved mirrors the annotation and windows do not matter
    When I patch the ModuleUpdatePolicy "example-update-policy" with:
      """
      spec:
        update:
          windows:
          - days: ["Sat"]
            from: "01:00"
            to: "02:00"
      """
    Then the ModuleRelease "module-1-v1.23.2" matches:
      """
      status:
        phase: Pending
        approved: false
      """
    When I annotate the ModuleRelease "module-1-v1.23.2" with modules.deckhouse.io/approved="true"
    Then the ModuleRelease "module-1-v1.23.2" matches:
      """
      status:
        phase: Deployed
        approved: true
      """

  @claim:DKP-30
  Scenario: transitionTime stays when only the message of a pending release changes
    Given the registry has the modules:
      | module   | version  |
      | module-1 | v1.24.0  |
    When the "alpha" channel of module "module-1" moves to v1.24.0
    And 3 minutes pass
    Then the ModuleRelease "module-1-v1.24.0" matches:
      """
      status:
        phase: Pending
        transitionTime: "2024-12-16T09:06:00Z"
        message: awaiting for v1.23.2 release to be deployed
      """
    When I annotate the ModuleRelease "module-1-v1.23.2" with modules.deckhouse.io/approved="true"
    And 1 minutes pass
    Then the ModuleRelease "module-1-v1.24.0" matches:
      """
      status:
        phase: Pending
        transitionTime: "2024-12-16T09:06:00Z"
        message: "Release is waiting for the 'modules.deckhouse.io/approved: \"true\"' annotation"
      """

  @claim:REL-04 @claim:DKP-06 @claim:MS-02
  Scenario: A release left Pending for two weeks installs as soon as it is approved
    Nothing but the approval moves a Manual release on, however long it waits; the source keeps
    rescanning every three minutes meanwhile.

    When 2 weeks pass
    Then the ModuleRelease "module-1-v1.23.2" is in phase "Pending"
    And the ModuleRelease "module-1-v1.23.2" has the message "Release is waiting for the 'modules.deckhouse.io/approved: "true"' annotation"
    And the ModuleSource "example" matches:
      """
      status:
        syncTime: "2024-12-30T09:03:00Z"
      """
    When I run `kubectl annotate mr module-1-v1.23.2 modules.deckhouse.io/approved="true"`
    And the cluster settles
    Then the releases of module "module-1" are:
      | name             | phase      |
      | module-1-v1.23.1 | Superseded |
      | module-1-v1.23.2 | Deployed   |
    And the ModuleRelease "module-1-v1.23.1" matches:
      """
      status:
        transitionTime: "2024-12-30T09:03:00Z"
      """
    And the ModuleRelease "module-1-v1.23.2" was never Deployed before it was approved
