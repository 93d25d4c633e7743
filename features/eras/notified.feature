Feature: The notified annotation of a release held back by a deploy-time check
  A Pending release that passed the requirements but waits for an approval, an update window or a
  canary delay went through DKP's notification step, so DKP marks it notified "true" (whether or
  not a webhook is configured). What a Deployed release carries changed in Deckhouse v1.75.

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module   | version | channels      |
      | module-1 | v1.23.1 | alpha, stable |
      | module-1 | v1.23.2 |               |
    And the cluster has the objects of "features/sources/example-source.yaml"

  @claim:DKP-35
  Scenario: A release waiting for approval is marked notified
    Given the cluster has:
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
        name: module-1
      spec:
        enabled: true
        updatePolicy: manual
      """
    And the "alpha" channel of module "module-1" moves to v1.23.2
    When 3 minutes pass
    Then the ModuleRelease "module-1-v1.23.2" is in phase "Pending"
    And the ModuleRelease "module-1-v1.23.2" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/isUpdating: "false"
          modules.deckhouse.io/notified: "true"
      """

  @claim:DKP-35
  Scenario: A release waiting for its update window is marked notified
    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: saturdays
      spec:
        releaseChannel: Alpha
        update:
          mode: Auto
          windows:
          - from: "08:00"
            to: "10:00"
            days: [Sat]
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-1
      spec:
        enabled: true
        updatePolicy: saturdays
      """
    And the "alpha" channel of module "module-1" moves to v1.23.2
    When 3 minutes pass
    Then the ModuleRelease "module-1-v1.23.2" has a message containing "Release is waiting for the update window"
    And the ModuleRelease "module-1-v1.23.2" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/notified: "true"
      """

  @claim:DKP-42 @deckhouse-before:v1.75.0
  Scenario: Before v1.75 deploying a release resets notified to "false"
    Given the ModuleConfig "module-1" enables the module
    When 3 minutes pass
    Then the ModuleRelease "module-1-v1.23.1" is in phase "Deployed"
    And the ModuleRelease "module-1-v1.23.1" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/notified: "false"
      """

  @claim:DKP-42 @claim:DKP-39 @deckhouse-since:v1.75.0
  Scenario: From v1.75 a deployed release is marked notified
    Given the ModuleConfig "module-1" enables the module
    When 3 minutes pass
    Then the ModuleRelease "module-1-v1.23.1" is in phase "Deployed"
    And the ModuleRelease "module-1-v1.23.1" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/notified: "true"
        finalizers:
        - modules.deckhouse.io/metrics-registered
        - modules.deckhouse.io/exist-on-fs
      """
