Feature: ModuleReleases record which version of a module is installed
  DKP creates a ModuleRelease per version it takes from the release channel; the installed one is
  Deployed and the ones it replaced are Superseded. Page section: "Module source" (kubectl get mr).

  Background:
    Given it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module     | version | channels |
      | module-one | v0.7.23 | stable   |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "module-one" enables the module

  @claim:REL-01 @claim:REL-02 @deviation
  Scenario: kubectl get mr shows the superseded and the deployed release
    The page's rows show UPDATE POLICY "deckhouse" for a module without a ModuleUpdatePolicy;
    DKP's built-in policy has an empty name, so the column is blank.

    Given the registry has the modules:
      | module     | version |
      | module-one | v0.7.24 |
    When 15 seconds pass
    And the "stable" channel of module "module-one" moves to v0.7.24
    And 3 minutes pass
    And I run `kubectl get mr`
    Then the output has the columns "NAME PHASE UPDATE POLICY TRANSITIONTIME MESSAGE"
    And the row of "module-one-v0.7.23" reads:
      | PHASE         | Superseded |
      | UPDATE POLICY |            |
      | MESSAGE       |            |
    And the row of "module-one-v0.7.24" reads:
      | PHASE         | Deployed |
      | UPDATE POLICY |          |
    And at no time were two releases of module "module-one" Deployed
    But the page says: the row of "module-one-v0.7.23" reads:
      | PHASE         | Superseded |
      | UPDATE POLICY | deckhouse  |
    And the page says: the row of "module-one-v0.7.24" reads:
      | PHASE         | Deployed  |
      | UPDATE POLICY | deckhouse |

  @claim:DKP-26 @claim:DKP-01
  Scenario: The first release is named after the version, labelled, owned by its source and applied at once
    Then the ModuleRelease "module-one-v0.7.23" matches:
      """
      metadata:
        labels:
          module: module-one
          source: example
          modules.deckhouse.io/update-policy: ""
        ownerReferences:
        - kind: ModuleSource
          name: example
          controller: true
      spec:
        moduleName: module-one
        version: 0.7.23
      status:
        phase: Deployed
      """

  @claim:DKP-09
  Scenario: Only the three newest outdated releases are kept
    Given the registry has the modules:
      | module     | version |
      | module-one | v0.7.24 |
      | module-one | v0.7.25 |
      | module-one | v0.7.26 |
      | module-one | v0.7.27 |
    When 15 seconds pass
    And the "stable" channel of module "module-one" moves to v0.7.24
    And 3 minutes pass
    And the "stable" channel of module "module-one" moves to v0.7.25
    And 3 minutes pass
    And the "stable" channel of module "module-one" moves to v0.7.26
    And 3 minutes pass
    And the "stable" channel of module "module-one" moves to v0.7.27
    And 3 minutes pass
    Then the releases of module "module-one" are:
      | name               | phase      |
      | module-one-v0.7.24 | Superseded |
      | module-one-v0.7.25 | Superseded |
      | module-one-v0.7.26 | Superseded |
      | module-one-v0.7.27 | Deployed   |
    And at no time were two releases of module "module-one" Deployed

  @claim:DKP-07
  Scenario: A jump of several minors goes through one intermediate release per minor
    Given the registry has the modules:
      | module     | version |
      | module-one | v0.8.0  |
      | module-one | v0.8.2  |
      | module-one | v0.9.1  |
    When 15 seconds pass
    And the "stable" channel of module "module-one" moves to v0.9.1
    And 3 minutes pass
    And 10 minutes pass
    Then the releases of module "module-one" are:
      | name               | phase      |
      | module-one-v0.7.23 | Superseded |
      | module-one-v0.8.2  | Superseded |
      | module-one-v0.9.1  | Deployed   |
    And the ModuleRelease "module-one-v0.8.2" went through Pending, Deployed, Superseded
    And at no time were two releases of module "module-one" Deployed

  @claim:DKP-08
  Scenario: A release whose from-to rule covers the deployed version skips the ones in between
    Only the endpoint is approved under a Manual policy: the task calculator lets the endpoint
    jump (§5.5 rule 4) while the intermediate, also "Process" by rule 6, waits for approval; once
    the endpoint is Deployed, rule 3 makes the intermediate Skipped. (Under Auto both would be
    deployable at once and the outcome would depend on reconcile order, so the scenario holds the
    intermediate back.)

    Given the registry has the modules:
      | module     | version |
      | module-one | v0.8.0  |
      | module-one | v0.9.0  |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: manual
      spec:
        releaseChannel: Stable
        update:
          mode: Manual
      """
    When I patch the ModuleConfig "module-one" with:
      """
      spec:
        updatePolicy: manual
      """
    And 15 seconds pass
    And I apply:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: module-one-v0.8.0
        labels: {module: module-one, source: example}
      spec:
        moduleName: module-one
        version: 0.8.0
      ---
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleRelease
      metadata:
        name: module-one-v0.9.0
        labels: {module: module-one, source: example}
      spec:
        moduleName: module-one
        version: 0.9.0
        update:
          versions:
          - from: "0.7"
            to: "0.9"
      """
    And 15 seconds pass
    Then the releases of module "module-one" are:
      | name               | phase    |
      | module-one-v0.7.23 | Deployed |
      | module-one-v0.8.0  | Pending  |
      | module-one-v0.9.0  | Pending  |
    When I annotate the ModuleRelease "module-one-v0.9.0" with modules.deckhouse.io/approved="true"
    And 10 minutes pass
    Then the releases of module "module-one" are:
      | name               | phase      |
      | module-one-v0.7.23 | Superseded |
      | module-one-v0.8.0  | Skipped    |
      | module-one-v0.9.0  | Deployed   |

  @claim:DKP-28
  Scenario: A higher patch of the same minor makes the lower pending patch Skipped
    Given the registry has the modules:
      | module     | version |
      | module-one | v0.8.0  |
      | module-one | v0.8.1  |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha2
      kind: ModuleUpdatePolicy
      metadata:
        name: manual
      spec:
        releaseChannel: Stable
        update:
          mode: Manual
      """
    When I patch the ModuleConfig "module-one" with:
      """
      spec:
        updatePolicy: manual
      """
    And 15 seconds pass
    And the "stable" channel of module "module-one" moves to v0.8.0
    And 3 minutes pass
    And the "stable" channel of module "module-one" moves to v0.8.1
    And 3 minutes pass
    Then the releases of module "module-one" are:
      | name               | phase    |
      | module-one-v0.7.23 | Deployed |
      | module-one-v0.8.0  | Skipped  |
      | module-one-v0.8.1  | Pending  |

  @claim:DKP-29
  Scenario: A minor release waits while the module is not Ready
    Given the registry has the modules:
      | module     | version | hook error               |
      | module-one | v0.7.30 | hook failed: no database |
      | module-one | v0.8.0  |                          |
    When 15 seconds pass
    And the "stable" channel of module "module-one" moves to v0.7.30
    And 3 minutes pass
    Then the Module "module-one" is in phase "Error"
    When the "stable" channel of module "module-one" moves to v0.8.0
    And 3 minutes pass
    Then the ModuleRelease "module-one-v0.8.0" is in phase "Pending"
    And the ModuleRelease "module-one-v0.8.0" has a message containing "awaiting for module v0.7.30 to be ready"

  @claim:DKP-22
  Scenario: The force annotation deploys a release past every check and is then removed
    Given the registry has the modules:
      | module     | version | requires deckhouse |
      | module-one | v0.8.0  | > v1.99.0          |
    When 15 seconds pass
    And the "stable" channel of module "module-one" moves to v0.8.0
    And 3 minutes pass
    Then the ModuleRelease "module-one-v0.8.0" is in phase "Pending"
    When I annotate the ModuleRelease "module-one-v0.8.0" with modules.deckhouse.io/force="true"
    Then the ModuleRelease "module-one-v0.8.0" matches:
      """
      metadata:
        annotations:
          modules.deckhouse.io/force: ~
      status:
        phase: Deployed
      """

  @claim:DKP-17 @claim:DKP-01 @deckhouse-before:v1.75.0
  Scenario: A first release whose Deckhouse requirement is unmet stays Pending
    Given the registry has the modules:
      | module     | version | channels | requires deckhouse |
      | module-two | v1.2.3  | stable   | > v1.99.0          |
    When 3 minutes pass
    And the ModuleConfig "module-two" enables the module
    Then the ModuleRelease "module-two-v1.2.3" is in phase "Pending"
    And the ModuleRelease "module-two-v1.2.3" has a message containing "requirements are not satisfied: current deckhouse version is not suitable: 1.67.0 is less than or equal to v1.99.0"

  @claim:DKP-17 @deckhouse-before:v1.75.0
  Scenario: A release waiting on the Deckhouse version deploys once the cluster runs a version that satisfies it
    DKP checks a release's requirements against the running Deckhouse and Kubernetes versions;
    after an upgrade a waiting release is looked at again at its next 15-second check.

    Given the cluster runs Kubernetes 1.30.0
    And the registry has the modules:
      | module     | version | channels | requires deckhouse |
      | module-two | v1.2.3  | stable   | > v1.99.0          |
    When 3 minutes pass
    And the ModuleConfig "module-two" enables the module
    Then the ModuleRelease "module-two-v1.2.3" is in phase "Pending"
    When the cluster runs Deckhouse v1.100.0
    And 15 seconds pass
    Then the ModuleRelease "module-two-v1.2.3" is in phase "Deployed"

  @claim:DKP-18
  Scenario: Disabling a module deletes its pending releases
    Given the registry has the modules:
      | module     | version | requires deckhouse |
      | module-one | v0.8.0  | > v1.99.0          |
    When 15 seconds pass
    And the "stable" channel of module "module-one" moves to v0.8.0
    And 3 minutes pass
    And the ModuleConfig "module-one" disables the module
    Then the releases of module "module-one" are:
      | name               | phase    |
      | module-one-v0.7.23 | Deployed |

  @claim:DKP-01
  Scenario: A conflicting update of a release is retried until it deploys
    Given the registry has the modules:
      | module     | version |
      | module-one | v0.7.24 |
    And the API server answers 409 to the next update of a ModuleRelease
    When 15 seconds pass
    And the "stable" channel of module "module-one" moves to v0.7.24
    And 3 minutes pass
    Then the ModuleRelease "module-one-v0.7.24" is in phase "Deployed"
    And at no time were two releases of module "module-one" Deployed
