"""Copy-on-write views of stored objects for the in-process read path.

Stored objects are never changed in place (see :mod:`harness.apiserver.storage`), yet a caller of
``get``/``list`` owns what it receives and may change it before writing it back. Deep-copying
every object on every read made a list of N objects cost N deep copies (and, with controllers that
list on each reconcile, reads grew quadratically). A :class:`CowDict` instead starts as a shallow
copy of the stored dict and copies a nested container only when it is first reached through it
(``obj["status"]`` makes ``status`` a private :class:`CowDict` of its own), so a caller can change
anything it reaches and never the store, while what it does not touch is never copied.

Every way of reaching a nested value goes through the copy: item access, ``get``, ``setdefault``,
``pop``, ``popitem``, ``values``, ``items``, iteration-based copies (``dict(obj)``, ``{**obj}``,
``list(seq)``, ``sorted(seq)``), ``copy``, ``copy.deepcopy``, ``|`` and ``+``. Serialisers
(``json``, and ``yaml`` through the representers registered here) see plain dict and list
content. ``thaw`` turns a view back into plain dicts and lists (a real copy), for code that needs
exact types.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, SupportsIndex, overload

import yaml

__all__ = ["CowDict", "CowList", "thaw", "view"]


def view(value: Any) -> Any:
    """A copy-on-write view of a stored JSON value (scalars are returned as they are)."""
    if type(value) is dict:
        return CowDict(value)
    if type(value) is list:
        return CowList(value)
    return value


def thaw(value: Any) -> Any:
    """Plain dicts and lists all the way down (a deep copy of what is shared).

    Scalars are taken as they are without a call each: most of an object's values are scalars,
    and the in-process client thaws every view it is handed back to write."""
    if isinstance(value, dict):
        return {k: thaw(v) if isinstance(v, dict | list) else v for k, v in dict.items(value)}
    if isinstance(value, list):
        return [thaw(v) if isinstance(v, dict | list) else v for v in list.__iter__(value)]
    return value


class CowDict(dict[str, Any]):
    """A dict whose nested dicts and lists are copied the first time they are reached."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        value = dict.__getitem__(self, key)
        if type(value) is dict or type(value) is list:
            value = view(value)
            dict.__setitem__(self, key, value)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else default

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key in self:
            return self[key]
        dict.__setitem__(self, key, default)
        return default

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            value = self[key]
            dict.__delitem__(self, key)
            return value
        return dict.pop(self, key, *default)

    def popitem(self) -> tuple[str, Any]:
        key = next(reversed(list(dict.keys(self))))
        return key, self.pop(key)

    def _own_all(self) -> None:
        for key in list(dict.keys(self)):
            self[key]

    def values(self) -> Any:
        self._own_all()
        return dict.values(self)

    def items(self) -> Any:
        self._own_all()
        return dict.items(self)

    def __iter__(self) -> Iterator[str]:
        # Defining it at all makes CPython's dict(obj) / {**obj} / update(obj) read values through
        # __getitem__ instead of copying the raw (shared) entries.
        return dict.__iter__(self)

    def copy(self) -> CowDict:
        self._own_all()
        return CowDict(dict.items(self))

    def __or__(self, other: Any) -> Any:
        merged = self.copy()
        merged.update(other)
        return merged

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        result: dict[str, Any] = thaw(self)
        return result

    def __reduce__(self) -> Any:
        return (dict, (thaw(self),))


class CowList(list[Any]):
    """A list whose nested dicts and lists are copied the first time they are reached."""

    __slots__ = ()

    def _at(self, index: int) -> Any:
        value = list.__getitem__(self, index)
        if type(value) is dict or type(value) is list:
            value = view(value)
            list.__setitem__(self, index, value)
        return value

    @overload
    def __getitem__(self, index: SupportsIndex) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: SupportsIndex | slice) -> Any:
        if isinstance(index, slice):
            return CowList(self._at(i) for i in range(*index.indices(len(self))))
        return self._at(int(index))

    def __iter__(self) -> Iterator[Any]:
        for i in range(len(self)):
            yield self._at(i)

    def __reversed__(self) -> Iterator[Any]:
        for i in range(len(self) - 1, -1, -1):
            yield self._at(i)

    def pop(self, index: SupportsIndex = -1) -> Any:
        value = self._at(int(index))
        list.pop(self, index)
        return value

    def copy(self) -> CowList:
        return CowList(iter(self))

    def __add__(self, other: Any) -> Any:
        return CowList([*self, *other])

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        result: list[Any] = thaw(self)
        return result

    def __reduce__(self) -> Any:
        return (list, (thaw(self),))


def _register_yaml() -> None:
    """Dump views exactly like plain dicts and lists (safe_dump refuses unknown subclasses)."""
    for dumper in (yaml.SafeDumper, yaml.Dumper):
        dumper.add_representer(CowDict, yaml.representer.SafeRepresenter.represent_dict)
        dumper.add_representer(CowList, yaml.representer.SafeRepresenter.represent_list)
    cdumper = getattr(yaml, "CSafeDumper", None)
    if cdumper is not None:
        cdumper.add_representer(CowDict, yaml.representer.SafeRepresenter.represent_dict)
        cdumper.add_representer(CowList, yaml.representer.SafeRepresenter.represent_list)


_register_yaml()
