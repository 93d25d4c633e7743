"""Shared fixtures for the simulated DKP controller tests.

What is real here: the fake API server (``harness.apiserver.ApiServer`` with the CRDs in
``fixtures/crds``), reached only through its in-process ``KubeClient``; a real OCI registry process
(CNCF distribution, ``docker-registry``) filled by the real ``Publisher``; the real registry client.
What is simulated: time (a ``VirtualClock`` at Monday 2024-12-16 09:00 UTC) and Deckhouse itself.
Nothing is mocked: the tests assert the objects the controllers leave behind.

One registry process serves a whole test module (it is the only slow part to start); every test
gets its own repository path inside it, so tests never see each other's modules.

Fixtures: ``clock``, ``api``, ``kube``, ``registry`` (a :class:`TestRegistry`), ``publisher``,
``dkp_log``, ``installed``, ``settings``, ``registry_factory``, ``reads`` (the read recorder the
controllers read through), ``controller_context`` (all of those a controller is built from),
``source_manifest``,
``make_manager`` (a started ``harness.dkp.runtime.manager.Manager`` over any controllers),
``source_controller``, ``release_controller`` and ``manager`` (both of them, started).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from harness.clock import VirtualClock
from harness.dkp.controllers.base import ControllerContext
from harness.dkp.controllers.installed import InstalledModules
from harness.dkp.runtime.log import DeckhouseLog
from harness.dkp.runtime.manager import Manager
from harness.dkp.runtime.reads import ReadRecorder
from harness.dkp.runtime.reconcile import Controller
from harness.dkp.runtime.settings import ClusterSettings

ROOT = Path(__file__).resolve().parents[2]
CRD_DIR = ROOT / "fixtures" / "crds"
START = datetime(2024, 12, 16, 9, 0, tzinfo=UTC)
_REPO_SEQ = itertools.count(1)


@dataclass(frozen=True)
class TestRegistry:
    """One test's view of the shared registry process: its address and its own repository."""

    __test__ = False  # not a test class, despite the name

    address: str
    """``127.0.0.1:PORT``."""
    repo_path: str
    """Repository path unique to the test, e.g. ``deckhouse/t7/modules``."""

    @property
    def repo(self) -> str:
        """``spec.registry.repo`` of a ModuleSource pointing at this test's modules."""
        return f"{self.address}/{self.repo_path}"


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def api(clock: VirtualClock) -> Iterator[Any]:
    from harness.apiserver import ApiServer

    server = ApiServer(clock, crd_dir=CRD_DIR)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def kube(api: Any) -> Any:
    return api.client()


@pytest.fixture(scope="module")
def registry_backend() -> Iterator[Any]:
    """A real distribution registry process on a free loopback port, for the whole test module.

    It comes from the process's pool and goes back to it emptied: the next module that needs one
    finds it serving (tests keep apart by repository path, see ``registry``).
    """
    from harness.registry import backends
    from harness.registry.backends.pool import shared_pool

    if backends.distribution.find_binary() is None:
        pytest.skip("OCI registry binary not found: install it with `apt-get install -y docker-registry`")
    pool = shared_pool()
    backend = pool.acquire()
    try:
        backend.finish_start()
        yield backend
    finally:
        pool.release(backend)


@pytest.fixture
def registry(registry_backend: Any) -> TestRegistry:
    return TestRegistry(registry_backend.address, f"deckhouse/t{next(_REPO_SEQ)}/modules")


@pytest.fixture
def publisher(registry: TestRegistry) -> Iterator[Any]:
    from harness.registry.publisher import Publisher

    with Publisher(registry.address, registry.repo_path) as pub:
        yield pub


@pytest.fixture
def settings() -> ClusterSettings:
    return ClusterSettings()


@pytest.fixture
def dkp_log(clock: VirtualClock) -> DeckhouseLog:
    return DeckhouseLog(clock)


@pytest.fixture
def installed() -> InstalledModules:
    return InstalledModules()


@pytest.fixture
def registry_factory() -> Callable[..., Any]:
    """How controllers build a registry client for a ModuleSource (the real client)."""
    from harness.registry.client import RegistryClient

    return RegistryClient.for_source


@pytest.fixture
def reads(kube: Any) -> ReadRecorder:
    """The client the controllers read through, noting what each look read (as in the cluster)."""
    return ReadRecorder(kube)


@pytest.fixture
def controller_context(
    reads: ReadRecorder,
    clock: VirtualClock,
    settings: ClusterSettings,
    dkp_log: DeckhouseLog,
    installed: InstalledModules,
    registry_factory: Callable[..., Any],
) -> ControllerContext:
    """What every controller of a test is built from (one shared set, as in the cluster)."""
    return ControllerContext(
        kube=reads,
        clock=clock,
        settings=settings,
        log=dkp_log,
        installed=installed,
        registry_factory=registry_factory,
    )


@pytest.fixture
def source_manifest(registry: TestRegistry) -> Callable[..., dict[str, Any]]:
    """Build a ModuleSource object for this test's repository (plain HTTP, anonymous by default)."""

    def build(name: str = "example", **registry_fields: Any) -> dict[str, Any]:
        spec = {"repo": registry.repo, "scheme": "HTTP", **registry_fields}
        return {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleSource",
            "metadata": {"name": name},
            "spec": {"registry": spec},
        }

    return build


@pytest.fixture
def make_manager(
    kube: Any, clock: VirtualClock, dkp_log: DeckhouseLog, reads: ReadRecorder
) -> Iterator[Callable[..., Manager]]:
    """``make_manager(controllers, **options)``: a started :class:`Manager` over the test's client
    and clock (``options``: the Manager's keyword arguments, e.g. ``reads``)."""
    made: list[Manager] = []

    def build(controllers: Sequence[Controller], **options: Any) -> Manager:
        manager = Manager(kube, clock, dkp_log, controllers, **{"reads": reads, **options})
        manager.start()
        made.append(manager)
        return manager

    yield build
    for manager in made:
        manager.stop()


@pytest.fixture
def source_controller(controller_context: ControllerContext) -> Any:
    from harness.dkp.controllers.source import SourceController

    return SourceController(controller_context)


@pytest.fixture
def release_controller(controller_context: ControllerContext) -> Any:
    from harness.dkp.controllers.release import ReleaseController

    return ReleaseController(controller_context)


@pytest.fixture
def manager(
    make_manager: Callable[[Sequence[Controller]], Manager], source_controller: Any, release_controller: Any
) -> Manager:
    """The source and release controllers, driven by the real manager on the test's clock."""
    return make_manager([source_controller, release_controller])
