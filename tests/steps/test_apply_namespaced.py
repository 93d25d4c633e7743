"""Namespaced objects in the apply steps go to their namespace, and a second apply updates them.

Before, the steps looked the object up without its namespace, missed it, and created it again:
the second apply of a ConfigMap failed with AlreadyExists.
"""

from __future__ import annotations

pytest_plugins = ["pytester"]

FEATURE = '''\
Feature: namespaced objects
  Scenario: A ConfigMap applied twice is updated, a Secret lands in its namespace
    Given the cluster has:
      """
      apiVersion: v1
      kind: Secret
      metadata:
        name: registry-auth
        namespace: d8-system
      stringData:
        user: qa
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
      data:
        mode: first
      """
    When I apply:
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
      data:
        mode: second
      """
    And I run `kubectl get configmap settings -o jsonpath={.data.mode}`
    Then the output is:
      """
      second
      """
    When I run `kubectl -n d8-system get secret registry-auth -o name`
    Then the output is:
      """
      secret/registry-auth
      """
'''


def test_a_namespaced_object_is_found_in_its_namespace_and_updated(feature_project, pytester):
    feature_project("namespaced", FEATURE)
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
