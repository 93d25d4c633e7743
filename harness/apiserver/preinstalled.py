"""Objects every cluster has before anyone writes one: stored on the first request for their kind.

A real cluster answers ``kubectl get nodes`` with its nodes and ``kubectl get svc`` with the
``default/kubernetes`` Service the API server keeps for itself; a fresh simulated one would say
"No resources found", or "the server doesn't have a resource type" for nodes, and a new user's
first command would already differ. The objects are made by a function given when the server is
built (the cluster knows its node's Kubernetes version; the server adds its CRD objects,
:mod:`harness.apiserver.definitions`) and stored on the first request for their resource: a run
that never asks pays nothing, and the resourceVersions and uids of everything else stay as they
were.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from harness.apiserver.catalog import ResourceType
from harness.kube.objects import Obj

__all__ = ["Preinstalled"]

Install = Callable[[ResourceType, list[Obj]], None]


class Preinstalled:
    """Per resource (group, plural): a function making its objects, installed once, on demand."""

    def __init__(self) -> None:
        self._makers: dict[tuple[str, str], Callable[[], list[Obj]]] = {}
        self._stored: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def add(self, key: tuple[str, str], make: Callable[[], list[Obj]]) -> None:
        """Have ``make()``'s objects stored at the first request for the resource ``key``."""
        with self._lock:
            self._makers[key] = make

    def installed(self, key: tuple[str, str]) -> bool:
        return key in self._stored

    def ensure(self, rt: ResourceType, install: Install) -> None:
        """Store the objects of ``rt``'s resource, once; every later call returns at once."""
        key = rt.key
        if key in self._stored or key not in self._makers:
            return
        with self._lock:
            if key not in self._stored:
                install(rt, self._makers[key]())
                self._stored.add(key)
