"""What every simulated DKP controller is built from: one :class:`ControllerContext`.

The real Deckhouse controllers all run inside one controller-runtime manager and share its
clients, so each of them sees the same API client, clock, settings, log, record of installed
modules and way of reaching a registry. The simulation mirrors that: the cluster (or a test)
builds one context and hands the same object to every controller, instead of wiring the same
five or six arguments into each constructor. :class:`ControllerBase` unpacks it into the
attributes the controller bodies use (``self.kube``, ``self.clock``, ``self.settings``,
``self.log``, ``self.installed``, ``self.registry_factory``).

A controller that never reads a registry (config, lifecycle) gets a context without a
``registry_factory``; calling the default one fails loudly rather than reaching a registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.clock import Clock
from harness.dkp.controllers.installed import InstalledModules
from harness.dkp.images.reader import RegistryFactory, RegistryReader
from harness.dkp.runtime.log import DeckhouseLog
from harness.dkp.runtime.reconcile import Watch
from harness.dkp.runtime.settings import ClusterSettings
from harness.kube.client import KubeClient
from harness.kube.errors import NotFound
from harness.kube.resources import Resource

__all__ = ["ControllerBase", "ControllerContext", "no_registry_factory"]


def no_registry_factory(*args: Any, **kwargs: Any) -> RegistryReader:
    """The default ``registry_factory``: there is none, so say how to give one."""
    raise RuntimeError(
        "no registry factory was given to this ControllerContext: build it with"
        " ControllerContext(..., registry_factory=RegistryClient.for_source)"
        " (or another factory) for controllers that read a registry"
    )


@dataclass(frozen=True)
class ControllerContext:
    """The clients and state shared by all controllers of one simulated module manager."""

    kube: KubeClient
    clock: Clock
    settings: ClusterSettings
    log: DeckhouseLog
    installed: InstalledModules = field(default_factory=InstalledModules)
    """What the install simulation has deployed; the cluster shares one between controllers."""
    registry_factory: RegistryFactory = no_registry_factory
    """How to open a registry client for a ModuleSource; see :data:`RegistryFactory`."""


class ControllerBase:
    """Copies a :class:`ControllerContext` into the attributes every controller reads."""

    watches: tuple[Watch, ...]
    """Other kinds whose changes enqueue requests (``harness.dkp.runtime.reconcile.Controller``)."""

    def __init__(self, ctx: ControllerContext) -> None:
        self.kube = ctx.kube
        self.clock = ctx.clock
        self.settings = ctx.settings
        self.log = ctx.log
        self.installed = ctx.installed
        self.registry_factory = ctx.registry_factory

    def _exists(self, resource: Resource, name: str) -> bool:
        """Whether ``resource/name`` exists (a missing kind counts as absent)."""
        try:
            self.kube.get(resource, name)
        except NotFound:
            return False
        return True
