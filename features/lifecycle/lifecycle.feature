Feature: A module's life from the first sync to its updates, as a QA author walks through it
  The page's lifecycle end to end: a ModuleSource is rescanned every three minutes, an enabled
  Module goes Available → Downloading → Installing → Ready (or Error), its ModuleReleases go
  Pending → Deployed → Superseded, and a ModuleUpdatePolicy picks the channel and the mode
  (Auto, or Manual with the approval annotation modules.deckhouse.io/approved="true").
  Page section: "Module source" and "Module update policy".

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module     | version | channels      |
      | module-one | v0.7.23 | stable, alpha |
      | module-one | v0.7.24 |               |
      | module-one | v0.7.25 |               |
    And the cluster has the objects of "features/sources/example-source.yaml"

  @claim:REL-02 @claim:REL-04 @claim:TR-04
  Scenario: Under Manual approval a release goes Pending, Deployed, then Superseded by the next approved one
    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: manual
      spec:
        releaseChannel: Stable
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
    And 15 seconds pass
    When the "stable" channel of module "module-one" moves to v0.7.24
    And 3 minutes pass
    Then the ModuleRelease "module-one-v0.7.24" is in phase "Pending"
    When I approve the ModuleRelease "module-one-v0.7.24"
    And 15 seconds pass
    Then the ModuleRelease "module-one-v0.7.24" is in phase "Deployed"
    When the "stable" channel of module "module-one" moves to v0.7.25
    And 3 minutes pass
    And I approve the ModuleRelease "module-one-v0.7.25"
    And 15 seconds pass
    Then the ModuleRelease "module-one-v0.7.24" went through Pending, Deployed, Superseded
    And the releases of module "module-one" are:
      | name               | phase      |
      | module-one-v0.7.23 | Superseded |
      | module-one-v0.7.24 | Superseded |
      | module-one-v0.7.25 | Deployed   |
    And the ModuleRelease "module-one-v0.7.25" has the annotation modules.deckhouse.io/approved="true"
    And at no time were two releases of module "module-one" Deployed

  @claim:DKP-01
  Scenario: The first release deploys at once under a Manual policy, and its apply-now annotation is then removed
    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: manual
      spec:
        releaseChannel: Stable
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
    Then the ModuleRelease "module-one-v0.7.23" is in phase "Deployed"
    And the ModuleRelease "module-one-v0.7.23" has no annotation modules.deckhouse.io/apply-now
    And the ModuleRelease "module-one-v0.7.23" has no annotation modules.deckhouse.io/approved
    And the Module "module-one" is in phase "Ready"

  @claim:EN-04 @claim:EN-05
  Scenario: Once Ready, the module's conditions say it is enabled, ready and its release deployed
    Given the ModuleConfig "module-one" enables the module
    When 15 seconds pass
    Then the Module "module-one" went through Available, Downloading, Installing, Ready
    And the Module "module-one" has the condition "EnabledByModuleConfig" with status "True"
    And the Module "module-one" has the condition "EnabledByModuleManager" with status "True"
    And the Module "module-one" has the condition "IsReady" with status "True"
    And the Module "module-one" has the condition "IsOverridden" with status "False"

  @claim:UP-01 @claim:UP-04
  Scenario: Moving the policy from the Stable to the Alpha channel brings the Alpha version at the next sync
    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: example-update-policy
      spec:
        releaseChannel: Stable
        update:
          mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        updatePolicy: example-update-policy
      """
    And 15 seconds pass
    And the "alpha" channel of module "module-one" moves to v0.7.24
    When 3 minutes pass
    Then the releases of module "module-one" are:
      | name               | phase    |
      | module-one-v0.7.23 | Deployed |
    When I patch the ModuleUpdatePolicy "example-update-policy" with:
      """
      spec:
        releaseChannel: Alpha
      """
    And 3 minutes pass
    And 15 seconds pass
    Then the releases of module "module-one" are:
      | name               | phase      |
      | module-one-v0.7.23 | Superseded |
      | module-one-v0.7.24 | Deployed   |

  @claim:UP-04 @claim:DKP-28
  Scenario: After the ModuleConfig moves to an Auto policy, the next release deploys and the held one is skipped
    A release keeps the policy it was created under (its modules.deckhouse.io/update-policy
    label), so the release the Manual policy held still waits for approval; the next one is
    created under the Auto policy and deploys by itself, and it skips the lower patch.

    Given the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: manual
      spec:
        releaseChannel: Stable
        update:
          mode: Manual
      ---
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: auto
      spec:
        releaseChannel: Stable
        update:
          mode: Auto
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleConfig
      metadata:
        name: module-one
      spec:
        enabled: true
        updatePolicy: manual
      """
    And 15 seconds pass
    And the "stable" channel of module "module-one" moves to v0.7.24
    And 3 minutes pass
    Then the ModuleRelease "module-one-v0.7.24" has a message containing "modules.deckhouse.io/approved"
    When I patch the ModuleConfig "module-one" with:
      """
      spec:
        updatePolicy: auto
      """
    And 3 minutes pass
    Then the ModuleRelease "module-one-v0.7.24" is in phase "Pending"
    When the "stable" channel of module "module-one" moves to v0.7.25
    And 3 minutes pass
    And 15 seconds pass
    Then the releases of module "module-one" are:
      | name               | phase      |
      | module-one-v0.7.23 | Superseded |
      | module-one-v0.7.24 | Skipped    |
      | module-one-v0.7.25 | Deployed   |
    And the ModuleRelease "module-one-v0.7.25" has no annotation modules.deckhouse.io/approved
    And the Module "module-one" is in phase "Ready"

  @claim:DKP-23 @claim:EN-04
  Scenario: A module in Error becomes Ready again when a patch release without the failing hook deploys
    Given the registry has the modules:
      | module     | version | channels | hook error             |
      | module-one | v0.7.26 | stable   | the hook cannot start  |
      | module-one | v0.7.27 |          |                        |
    And the ModuleConfig "module-one" enables the module
    When 15 seconds pass
    Then the Module "module-one" is in phase "Error"
    And the Module "module-one" has the condition "IsReady" with status "False"
    When the "stable" channel of module "module-one" moves to v0.7.27
    And 3 minutes pass
    And 15 seconds pass
    Then the ModuleRelease "module-one-v0.7.27" is in phase "Deployed"
    And the Module "module-one" went through Error, Ready
    And the Module "module-one" has the condition "IsReady" with status "True"

  @claim:DKP-31 @claim:EN-01
  Scenario: A module disabled and enabled again is installed again
    Given the ModuleConfig "module-one" enables the module
    And 15 seconds pass
    When the ModuleConfig "module-one" disables the module
    And 15 seconds pass
    Then the Module "module-one" has the condition "IsReady" with status "False"
    When the ModuleConfig "module-one" enables the module
    And 15 seconds pass
    Then the Module "module-one" is in phase "Ready"
    And the Module "module-one" has the condition "EnabledByModuleConfig" with status "True"
    And the releases of module "module-one" are:
      | name               | phase    |
      | module-one-v0.7.23 | Deployed |

  @claim:MS-02 @claim:MS-06 @claim:MS-07
  Scenario: A module published between two syncs is listed by the source only after the next sync
    Given 1 minute passes
    When the registry has the modules:
      | module     | version | channels |
      | module-two | v1.2.5  | stable   |
    And 1 minute passes
    And I run `kubectl get ms example -o jsonpath='{.status.modules[*].name}'`
    Then the output is:
      """
      module-one
      """
    When 1 minute passes
    And I run `kubectl get ms example -o jsonpath='{.status.modules[*].name}'`
    Then the output is:
      """
      module-one module-two
      """
    And the Module "module-two" is in phase "Available"
    And the Module "module-two" has the condition "IsReady" with status "False"
