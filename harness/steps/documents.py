"""YAML documents written in scenarios, with the few values only the running cluster knows.

A scenario cannot know the registry's port (it is picked when the cluster starts) or the
credentials a protected registry was given, so docstrings may say ``${REGISTRY}`` (``host:port``)
and ``${DOCKER_CFG}`` (base64 docker config for that registry). Anything else that looks like a
placeholder is an error rather than text silently sent to the API server.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from harness.kube.fast_yaml import SAFE_LOADER

__all__ = ["DocumentError", "parse_documents", "substitute"]

_PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")


class DocumentError(ValueError):
    """A docstring that is not the YAML the step needs; the message says what is wrong."""


def substitute(text: str, values: Mapping[str, str]) -> str:
    """Replace ``${NAME}`` with ``values[NAME]``; an unknown name is an error listing the known ones."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            known = ", ".join(f"${{{k}}}" for k in sorted(values)) or "none"
            raise DocumentError(
                f"unknown placeholder ${{{name}}} in the YAML: known placeholders are {known}"
            )
        return values[name]

    return _PLACEHOLDER.sub(replace, text)


def parse_documents(text: str, values: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The mappings of a (multi-document) YAML docstring, placeholders filled in."""
    rendered = substitute(text, values or {})
    try:
        documents = [d for d in yaml.load_all(rendered, Loader=SAFE_LOADER) if d is not None]
    except yaml.YAMLError:
        # libyaml words its errors differently: the pure-Python parser reads the text again, so
        # the author sees PyYAML's usual message with its line and column.
        try:
            documents = [d for d in yaml.safe_load_all(rendered) if d is not None]
        except yaml.YAMLError as exc:
            raise DocumentError(f"the step's docstring is not valid YAML: {exc}") from None
    if not documents:
        raise DocumentError('the step needs a YAML docstring (between """ lines) below it')
    for index, document in enumerate(documents, start=1):
        if not isinstance(document, dict):
            raise DocumentError(f"YAML document {index} is a {type(document).__name__}, expected a mapping")
    return documents
