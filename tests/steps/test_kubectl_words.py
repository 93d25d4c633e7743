"""Reading a kubectl command line: which words are its subcommand and arguments, and so which
commands change the cluster (their failure stops the step) and which list a whole kind (on a
shared real cluster, output other runs' objects too)."""

from __future__ import annotations

import pytest

from harness.steps.kubectl import positional_words, subcommand
from harness.steps.library.kubectl import _lists_everything


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("kubectl get mr", ["get", "mr"]),
        ("kubectl -n d8-system logs -l app=deckhouse", ["logs"]),
        ("kubectl --context prod get mr -o wide", ["get", "mr"]),
        (
            "kubectl get mr module-one-v1.2.3 -o jsonpath='{.status.phase}'",
            ["get", "mr", "module-one-v1.2.3"],
        ),
        ("kubectl get modules --sort-by .metadata.name -L source", ["get", "modules"]),
        ("get ms --output=yaml example", ["get", "ms", "example"]),
        ("kubectl --kubeconfig", []),
    ],
)
def test_flags_and_their_values_are_not_positional_words(command, words):
    assert positional_words(command) == words
    assert subcommand(command) == (words[0] if words else "")


@pytest.mark.parametrize(
    ("command", "everything"),
    [
        ("kubectl get mr", True),
        ("kubectl --context prod get mr -o wide", True),
        ("kubectl get mr -l module=module-one", True),
        ("kubectl get mr module-one-v1.2.3", False),
        ("kubectl -n d8-system get pods deckhouse-0", False),
        ("kubectl annotate mr x a=b", False),
    ],
)
def test_a_get_without_a_name_lists_everything(command, everything):
    assert _lists_everything(command) is everything
