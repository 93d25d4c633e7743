"""The running sandbox: a :class:`SimulatedCluster`, its background driver and its control endpoint."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from harness.api import kinds
from harness.cli._control import ControlServer, format_time, parse_time
from harness.cli._statedir import STATE_FILES, publish_file
from harness.cli._timers import TimerWaker
from harness.clock import ScaledClock, parse_duration
from harness.cluster import DeckhouseSettings, SimulatedCluster
from harness.dkp.controllers.enable import set_module_enabled
from harness.dkp.runtime.manager import BackgroundDriver
from harness.dkp.runtime.settings import ClusterSettings
from harness.kube.errors import NotFound

__all__ = ["STATE_FILES", "Sandbox"]


READ_BARRIER_SECONDS = 30.0
"""How long an API read waits for the controllers at most (a sync of a large source is slow)."""


MAX_JUMP = timedelta(days=366)
"""The most virtual time one ``dkp-harness time`` command moves: the controllers run every look on
the way (a quiet virtual year is seconds of work, a busy one much more), and the command waits."""


def _check_jump(delta: timedelta, what: str) -> None:
    if delta > MAX_JUMP:
        raise ValueError(
            f"cannot {what}: that is {delta.days} days of virtual time at once, and the sandbox moves"
            f" at most {MAX_JUMP.days} days per command (the controllers take every look on the way):"
            " move in steps"
        )


class Sandbox:
    """Owns the cluster, the driver thread and the control server of one ``serve``."""

    def __init__(
        self,
        state_dir: Path,
        *,
        token: str,
        start: datetime | None,
        real_time: bool,
        deckhouse_version: str,
        time_scale: float | None = None,
        kubernetes_version: str,
        release_channel: str,
        update_mode: str,
        edition: str = "ee",
        bundle: str = "Default",
    ) -> None:
        self.state_dir = state_dir
        self.cluster = SimulatedCluster(
            settings=ClusterSettings(
                deckhouse_version=deckhouse_version, kubernetes_version=kubernetes_version, edition=edition
            ),
            start=start,
            real_time=real_time,
            clock=ScaledClock(time_scale, start) if time_scale is not None else None,
            tls=True,  # kubectl sends the bearer token only over TLS
            deckhouse=DeckhouseSettings(
                release_channel=release_channel, update_mode=update_mode, bundle=bundle
            ),
        )
        self._token = token
        self._driver: BackgroundDriver | None = None
        self._timers: TimerWaker | None = None
        self._control: ControlServer | None = None

    def start(self) -> None:
        self.cluster.start()
        try:
            driver = BackgroundDriver(self.cluster.manager, self.cluster.clock, on_error=self._report)
            self._driver = driver
            driver.start()
            if isinstance(self.cluster.clock, ScaledClock):
                self._timers = TimerWaker(self.cluster.manager, self.cluster.clock)
                self._timers.start()
            # kubectl get right after kubectl apply sees what the controllers made of the write.
            self.cluster.api.set_read_barrier(lambda: driver.wait_idle(READ_BARRIER_SECONDS))
            self._control = ControlServer(self._routes(), self._token)
            self._control.start()
            self._write_state()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self._control is not None:
            self._control.stop()
            self._control = None
        if self._timers is not None:
            self._timers.stop()
            self._timers = None
        if self._driver is not None:
            self.cluster.api.set_read_barrier(None)
            self._driver.stop()
            self._driver = None
        self.cluster.stop()
        for name in STATE_FILES:
            (self.state_dir / name).unlink(missing_ok=True)

    def ready_line(self) -> str:
        return (
            f"ready REGISTRY={self.cluster.registry} KUBECONFIG={self.state_dir / 'kubeconfig'}"
            f" NOW={format_time(self.cluster.clock.now())}"
        )

    def _write_state(self) -> None:
        kubeconfig = self.state_dir / "kubeconfig"
        self.cluster.api.write_kubeconfig(kubeconfig)
        kubeconfig.chmod(0o600)
        assert self._control is not None
        self._control.write_state(self.state_dir)
        # Last, and whole or not at all: a script that sees env finds the other files complete.
        publish_file(self.state_dir / "env", f"REGISTRY={self.cluster.registry}\nKUBECONFIG={kubeconfig}\n")

    def _report(self, exc: Exception) -> None:
        self.cluster.log.error("d8-module-manager", "settle failed", error=str(exc))
        print(f"warning: {exc}", file=sys.stderr, flush=True)

    # -- control routes ----------------------------------------------------------------------------

    def _routes(self) -> dict[tuple[str, str], Any]:
        return {
            ("GET", "/now"): self._now,
            ("POST", "/settle"): self._settle,
            ("POST", "/advance"): self._advance,
            ("POST", "/set"): self._set,
            ("POST", "/module"): self._module,
        }

    def _require_module(self, name: str, action: str) -> None:
        """Refuse a module no Module object names, worded as deckhouse-controller words its failures."""
        client = self.cluster.client
        try:
            client.get(kinds.MODULE, name)
        except NotFound:
            raise ValueError(
                f'{action} module failed: module "{name}" not found: no Module object has that name'
                " (`kubectl get modules` lists the modules the sources offer)"
            ) from None

    def _now(self, _: dict[str, Any]) -> dict[str, Any]:
        return {"now": format_time(self.cluster.clock.now())}

    def _settle(self, _: dict[str, Any]) -> dict[str, Any]:
        reconciles = self.cluster.settle()
        return {**self._now({}), "reconciles": reconciles}

    def _advance(self, body: dict[str, Any]) -> dict[str, Any]:
        text = str(body["duration"])
        if text.strip().startswith("-"):
            raise ValueError(f"cannot advance by {text!r}: virtual time only moves forward")
        try:
            delta = parse_duration(text)
            self.cluster.clock.now() + delta
        except OverflowError:
            raise ValueError(
                f"cannot advance by {text!r}: that is past the year 9999; give a shorter duration"
            ) from None
        _check_jump(delta, f"advance by {text!r}")
        self.cluster.control.advance(delta)
        return self._now({})

    def _set(self, body: dict[str, Any]) -> dict[str, Any]:
        target = parse_time(str(body["time"]))
        _check_jump(target - self.cluster.clock.now(), f"set the time to {body['time']!r}")
        self.cluster.control.set(target)
        return self._now({})

    def _module(self, body: dict[str, Any]) -> dict[str, Any]:
        name, enabled = str(body["name"]), bool(body["enabled"])
        if enabled:
            self._require_module(name, "enable")
        set_module_enabled(self.cluster.client, name, enabled)
        self.cluster.settle()
        return {**self._now({}), "name": name, "enabled": enabled}
