Feature: A ModuleSource carries the credentials of its registry
  spec.registry.dockerCfg holds base64 docker config JSON; DKP uses the entry whose host is the
  registry's host. Page section: "Module source". The credentials never reach the report.

  @claim:MS-01 @claim:DKP-25
  Scenario: A registry that demands credentials is read with the dockerCfg of the ModuleSource
    Given the registry requires the credentials of user "alice"
    And the registry has the modules:
      | module       | version | channels |
      | module-three | v0.1.0  | stable   |
    And the cluster has:
      """
      apiVersion: deckhouse.io/v1alpha1
      kind: ModuleSource
      metadata:
        name: example
      spec:
        registry:
          repo: ${REGISTRY}/deckhouse/modules
          scheme: HTTP
          dockerCfg: ${DOCKER_CFG}
      """
    Then the ModuleSource "example" matches:
      """
      status:
        modulesCount: 1
      """
    And the ModuleSource "example" has the message ""

  @claim:MS-01
  Scenario: Without the dockerCfg a registry that demands credentials cannot be scanned
    Given the registry requires the credentials of user "alice"
    And the registry has the modules:
      | module     | version | channels |
      | module-one | v0.7.24 | stable   |
    And the cluster has the objects of "features/sources/example-source.yaml"
    Then the ModuleSource "example" has a message containing "UNAUTHORIZED"
    And the Module "module-one" does not exist
