Feature: SQL validations shipped with a release block it
  From Deckhouse v1.78 the release controller runs release/validations/*.sql of the downloaded
  module before installing it; a failing ASSERT keeps the release Pending, and it is retried.

  Background:
    Given it is Monday 2024-12-16 09:00 UTC

  @claim:DKP-45 @deckhouse-since:v1.78.0
  Scenario: A release whose validation fails stays Pending with ReleaseValidationsCheck
    Given the cluster runs the ce edition
    And the registry has the modules:
      | module   | version | channels | validation                                                                                                                                              |
      | module-1 | v1.0.0  | stable   | 10_edition.sql: ASSERT NOT EMPTY (SELECT deckhouseEdition FROM v_d8_platform WHERE deckhouseEdition IN ('ee')) FAIL 'EDITION' 'the module requires EE'; |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "module-1" enables the module
    When 6 minutes pass
    Then the ModuleRelease "module-1-v1.0.0" is in phase "Pending"
    And the ModuleRelease "module-1-v1.0.0" has the message "validations failed: 10_edition.sql: d8sql: validation failed [EDITION]: the module requires EE"
    And the Module "module-1" matches:
      """
      status:
        conditions:
        - type: LastReleaseDeployed
          status: "False"
          reason: ReleaseValidationsCheck
          message: "ModuleRelease could not be applied, release validations failed: see details in the module release v1.0.0"
      """

  @claim:DKP-45 @deckhouse-since:v1.78.0
  Scenario: The same release installs where its validation holds
    Given the registry has the modules:
      | module   | version | channels | validation                                                                                                                              |
      | module-1 | v1.0.0  | stable   | ASSERT NOT EMPTY (SELECT deckhouseEdition FROM v_d8_platform WHERE deckhouseEdition IN ('ee')) FAIL 'EDITION' 'the module requires EE'; |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "module-1" enables the module
    When 6 minutes pass
    Then the ModuleRelease "module-1-v1.0.0" is in phase "Deployed"
