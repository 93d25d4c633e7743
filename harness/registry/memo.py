"""Remembering what image building made from the same input, within one process.

A scenario publishes the same few module versions as the scenario before it (``module-one``
``v0.7.23`` on ``stable``, in the same repository), and one publish builds the same release layer
for the version tag and for every channel: the tar, its gzip and the YAML of ``module.yaml`` were
made again each time, a fifth of a publish's time. Image building is deterministic (sorted
entries, every time stamp zero, ``sort_keys`` YAML: see :mod:`harness.registry.archive`), so the
bytes made from the same input are the same bytes, and so are their digests: handing out the
remembered ones changes nothing a registry or a scenario sees.

Keys are exact: :func:`frozen` keeps every value's type beside it (``1``, ``1.0`` and ``True``
make three keys, as they make three YAML scalars), and anything but plain data (a str, int,
float, bool, None, or a dict with string keys or a list of those) is not remembered at all, so
it is built as before, errors included.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

__all__ = ["Memo", "frozen"]

V = TypeVar("V")
_SCALARS = (str, int, float, bool, type(None), bytes)


def frozen(value: Any) -> Hashable | None:
    """A hashable key that only the same plain data gives, or None for anything else."""
    kind = type(value)
    if kind in _SCALARS:
        return (kind, value)
    if kind is dict:
        items = []
        for key, item in value.items():
            inner = frozen(item)
            if type(key) is not str or inner is None:
                return None
            items.append((key, inner))
        return (dict, tuple(items))
    if kind is list:
        elements = []
        for item in value:
            inner = frozen(item)
            if inner is None:
                return None
            elements.append(inner)
        return (list, tuple(elements))
    return None


class Memo(Generic[V]):
    """The last ``size`` results of ``make`` by key, shared by the threads of the process."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable | None, make: Callable[[], V]) -> V:
        """``make()``'s result for ``key``: remembered, or made now (always made for ``None``)."""
        if key is None:
            return make()
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        value = make()  # outside the lock: two threads may both make it, and get equal bytes
        with self._lock:
            self._kept[key] = value
            if len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return value

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)
