Feature: Changes Deckhouse cherry-picked onto older release lines

  Some controller changes reached an older release line in a patch release, after the line's
  first release (docs/dkp-eras.md, "Backports"). Each scenario pins the cluster to the patch
  before or after the cherry-pick, so every run checks both sides whatever version it chose.

  @beyond-page
  Scenario Outline: A cluster pinned to Deckhouse <version> runs an unset update mode as <mode>
    The deckhouse ModuleConfig carries the policy of every module without a ModuleUpdatePolicy.
    PR #21903 made an unset `settings.update.mode` run as `AutoPatch` from v1.77; it was
    cherry-picked onto v1.75.15 (#21928) and v1.76.9 (#21927), so a minor release <outcome>.

    Given the cluster runs Deckhouse <version>
    And it is Monday 2024-12-16 09:00 UTC
    And the registry has the modules:
      | module   | version | channels |
      | module-1 | v1.0.0  | stable   |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "module-1" enables the module
    And 3 minutes pass
    When I patch the ModuleConfig "deckhouse" with:
      """
      spec:
        settings:
          update: null
      """
    And the registry has the modules:
      | module   | version | channels |
      | module-1 | v1.1.0  | stable   |
    And 3 minutes pass
    Then the ModuleRelease "module-1-v1.1.0" is in phase "<phase>"

    Examples:
      | version  | mode      | phase    | outcome                      |
      | v1.75.14 | Auto      | Deployed | still deploys on its own     |
      | v1.75.15 | AutoPatch | Pending  | waits for approval           |
      | v1.76.8  | Auto      | Deployed | still deploys on its own     |
      | v1.76.9  | AutoPatch | Pending  | waits for approval           |

  @beyond-page
  Scenario: A cluster pinned to Deckhouse v1.76.10 keeps the documentation of a module switched off
    PR #20434 (v1.77) was cherry-picked onto v1.76.11 as #22289; v1.76.10 does not have it.

    Given the cluster runs Deckhouse v1.76.10
    And the registry has the modules:
      | module   | version | channels |
      | module-1 | v1.0.0  | stable   |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "module-1" enables the module
    And 3 minutes pass
    When the ModuleConfig "module-1" disables the module
    And 1 minute passes
    Then the ModuleDocumentation "module-1" matches:
      """
      spec:
        version: v1.0.0
      """

  @beyond-page
  Scenario: A cluster pinned to Deckhouse v1.76.11 drops the documentation of a module switched off
    Given the cluster runs Deckhouse v1.76.11
    And the registry has the modules:
      | module   | version | channels |
      | module-1 | v1.0.0  | stable   |
    And the cluster has the objects of "features/sources/example-source.yaml"
    And the ModuleConfig "module-1" enables the module
    And 3 minutes pass
    When the ModuleConfig "module-1" disables the module
    Then the ModuleDocumentation "module-1" does not exist
    When the ModuleConfig "module-1" enables the module
    Then the ModuleDocumentation "module-1" matches:
      """
      spec:
        version: v1.0.0
        path: /modules/module-1
      """
