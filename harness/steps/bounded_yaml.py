"""The API server's input limits, applied to the YAML a scenario writes (docstrings, files, cells).

Steps talk to the cluster in-process, so the bounds the fake API server sets on a request body
(:mod:`harness.apiserver.decoding`, documented in ``docs/apiserver-limits.md``) never see a
scenario's YAML. This module applies the same two bounds before anything is built:

- **nesting depth**: at most :data:`MAX_DEPTH` containers, aliases counted at the depth they are
  used, so 3,000 nested brackets are a clear error instead of a ``RecursionError``;
- **alias expansion**, go-yaml's rule (what kube-apiserver runs): once more than 100 nodes were
  decoded through aliases and more than 1,000 in all, the share decoded through aliases may not
  exceed 99 % up to 400,000 nodes, falling linearly to 10 % at 4,000,000. A "billion laughs"
  document is refused after its parser events are read, never expanded.

The scanner is the API server's own (:mod:`harness.kube.yaml_limits`, below both layers). Steps
may not import :mod:`harness.apiserver` (import-linter), so :data:`MAX_DEPTH` repeats
``harness.apiserver.limits.Limits.max_depth`` (``tests/steps/test_yaml_limits.py`` checks that
they agree).
"""

from __future__ import annotations

from typing import Any

import yaml

from harness.kube import yaml_limits
from harness.kube.fast_yaml import SAFE_LOADER

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "YamlLimitError", "check_limits", "load_bounded"]

MAX_DEPTH = 100
"""Containers a document may nest: ``harness.apiserver.limits.Limits.max_depth``."""

MAX_FILE_BYTES = 3 * 1024 * 1024
"""Largest YAML file a step reads: the API server's request body limit (``--max-request-bytes``)."""

FIX = (
    f"write the objects out without nesting deeper than {MAX_DEPTH} levels or expanding YAML "
    "aliases (*name) into more nodes than the text has, as the API server requires (docs/apiserver-limits.md)"
)
"""How to fix YAML refused by these limits, for the messages that quote them."""


class YamlLimitError(ValueError):
    """YAML beyond the limits; ``line`` is the 0-based line of the text where it was found."""

    def __init__(self, reason: str, line: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def check_limits(text: str, loader: Any = SAFE_LOADER) -> None:
    """Raise :class:`YamlLimitError` when a document of ``text`` is beyond the limits.

    Only parser events are read (:func:`harness.kube.yaml_limits.scan`, the API server's own
    scanner); a syntax error is PyYAML's :class:`yaml.YAMLError`, as a load would raise it.
    """
    try:
        yaml_limits.scan(text, loader, MAX_DEPTH)
    except yaml_limits.LimitExceeded as exc:
        if exc.bound == "depth":
            reason = f"exceeded max depth: the YAML nests more than {MAX_DEPTH} levels"
        else:
            reason = "the YAML contains excessive aliasing (a 'billion laughs' document)"
        raise YamlLimitError(reason, exc.line) from None


def load_bounded(text: str) -> Any:
    """``yaml.safe_load`` of one document, refused (:class:`YamlLimitError`) beyond the limits."""
    check_limits(text)
    return yaml.load(text, Loader=SAFE_LOADER)
