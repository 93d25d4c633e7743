"""The patched object's JSON as a patch's ``422`` prints it: in the key order json-patch leaves.

kube-apiserver's patch handler prints the patched document when its result does not decode
(``"" is invalid: patch: Invalid value: "<document>": ...``). That document is json-patch v4's
output (``gopkg.in/evanphx/json-patch.v4``): the stored object's JSON read into a Go map of
lazily parsed nodes, patched, and marshalled again. A Go map is written with its keys sorted, a
node the patch never opened is written as the bytes it was read from. So:

- the top level is always sorted;
- a merge patch (``MergePatch``/``mergeDocs``) opens each object it merges into (sorted), and a
  value it adds where there was none (or no object) is parsed whole by ``pruneNulls`` (sorted at
  every depth); a value that replaces an object by a scalar or a list stays as the patch wrote it;
- a JSON patch (``findObject``) opens the containers on each operation's path (and ``from``)
  but its last step; the values it writes stay as the patch wrote them;
- everything else keeps the stored object's order: the Go struct's for a built-in kind, sorted
  for a custom resource, whose stored JSON is itself a written Go map (so a custom resource's
  document is sorted throughout).
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["render"]

Path = tuple[str, ...]


def _dumps(value: Any, *, sort: bool = False) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=sort)


def _sorted_whole(value: Any) -> Any:
    """``value`` as ``pruneNulls`` leaves it: every object parsed, so sorted at every depth."""
    if isinstance(value, dict):
        return {k: _sorted_whole(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_whole(item) for item in value]
    return value


def _merged(result: Any, before: Any, patch: Any) -> Any:
    """The view of ``result`` (``before`` merge-patched by ``patch``) as ``mergeDocs`` writes it."""
    if not isinstance(result, dict) or not isinstance(patch, dict):
        return result
    out: dict[str, Any] = {}
    old = before if isinstance(before, dict) else {}
    for key in sorted(result):
        value = result[key]
        sent = patch.get(key)
        if key not in patch or sent is None:
            out[key] = value
        elif key not in old or old[key] is None or not isinstance(old[key], dict):
            out[key] = _sorted_whole(value)
        elif isinstance(sent, dict):
            out[key] = _merged(value, old[key], sent)
        else:
            out[key] = value
    return out


def _pointer(text: Any) -> list[str]:
    if not isinstance(text, str):
        return []
    parts = text.split("/")[1:-1]
    return [re.sub("~[01]", lambda m: "/" if m.group() == "~1" else "~", part) for part in parts]


def _opened(operations: Any) -> set[Path]:
    """The containers a JSON patch's operations open: each prefix of each pointer but its last step."""
    opened: set[Path] = {()}
    for op in operations if isinstance(operations, list) else []:
        if not isinstance(op, dict):
            continue
        for key in ("path", "from"):
            steps = _pointer(op.get(key))
            opened.update(tuple(steps[:i]) for i in range(len(steps) + 1))
    return opened


def _walked(value: Any, opened: set[Path], at: Path) -> Any:
    if at not in opened:
        return value
    if isinstance(value, dict):
        return {k: _walked(value[k], opened, (*at, k)) for k in sorted(value)}
    if isinstance(value, list):
        return [_walked(item, opened, (*at, str(i))) for i, item in enumerate(value)]
    return value


def render(result: Any, before: Any, patch: Any, *, merge: bool, custom: bool) -> str:
    """``result`` as json-patch writes it: a merge patch's (``merge``) or a JSON patch's
    ``patch`` applied to ``before``; ``custom``: the object is a custom resource (sorted whole)."""
    if custom:
        return _dumps(result, sort=True)
    if merge:
        return _dumps(_merged(result, before, patch))
    return _dumps(_walked(result, _opened(patch), ()))
