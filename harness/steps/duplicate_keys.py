"""Keys written twice in one YAML mapping, refused as kubectl refuses them.

PyYAML keeps the last of two equal keys without a word, so a docstring with ``name: a`` and,
further down, ``name: b`` under one ``metadata:`` created the object ``b``; the scenario's author
never learns that one line did nothing. kubectl reads manifests with ``sigs.k8s.io/yaml``, whose
go-yaml decoder refuses them: ``error converting YAML to JSON: yaml: unmarshal errors: line 8:
key "name" already set in map``. The check walks the composed nodes (the limits of
:mod:`harness.steps.bounded_yaml` are applied first, so the walk is bounded), and a node shared
through an alias is walked once.
"""

from __future__ import annotations

import yaml

__all__ = ["first_duplicate_key"]

_MERGE = "tag:yaml.org,2002:merge"


def first_duplicate_key(node: yaml.Node, _seen: set[int] | None = None) -> yaml.ScalarNode | None:
    """The first key node (in document order) that repeats a key of its mapping, or ``None``.

    Recursive: the nesting was bounded to 100 levels before (bounded_yaml.check_limits).
    """
    seen = set() if _seen is None else _seen
    if id(node) in seen:
        return None
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: set[tuple[str, str]] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != _MERGE:
                if (key.tag, key.value) in keys:
                    return key
                keys.add((key.tag, key.value))
            found = first_duplicate_key(key, seen) or first_duplicate_key(value, seen)
            if found is not None:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = first_duplicate_key(item, seen)
            if found is not None:
                return found
    return None
