"""``deckhouse-controller module enable|disable NAME`` in a real cluster's leading Deckhouse pod.

What DKP's page runs (``kubectl -ti -n d8-system exec svc/deckhouse-leader -c deckhouse --
deckhouse-controller module enable <MODULE_NAME>``), done with the ``kubernetes`` package's exec
stream: the pod is the one the ``deckhouse-leader`` Service selects (``app=deckhouse,leader=true``
in ``d8-system``), the container ``deckhouse``. The command's own output explains a failure; a
non-zero exit code fails the step with it. The simulated cluster answers the same exec, so a
sandbox reached through its kubeconfig runs this path too.
"""

from __future__ import annotations

import json
from typing import Any

from harness.target.kubeclient import KubernetesClient

__all__ = ["DeckhouseCommandFailed", "LeaderExec"]

NAMESPACE = "d8-system"
LEADER_SELECTOR = "app=deckhouse,leader=true"
CONTAINER = "deckhouse"
TIMEOUT = 60
ERROR_CHANNEL = 3


class DeckhouseCommandFailed(RuntimeError):
    """The command could not run in the leading pod, or exited with a non-zero code."""


class LeaderExec:
    """The target's ``module_cli``: the command, run where the page runs it."""

    def __init__(self, client: KubernetesClient) -> None:
        self._client = client

    def set_enabled(self, name: str, enabled: bool) -> None:
        action = "enable" if enabled else "disable"
        command = ["deckhouse-controller", "module", action, name]
        code, out, err = self.run(command)
        if code != 0:
            shown = " ".join(command)
            raise DeckhouseCommandFailed(
                f"`{shown}` in the leading Deckhouse pod exited with code {code}: {(err or out).strip()}"
            )

    def run(self, command: list[str]) -> tuple[int, str, str]:
        """(exit code, stdout, stderr) of ``command`` in the ``deckhouse`` container of the leader."""
        from kubernetes.client import CoreV1Api
        from kubernetes.client.exceptions import ApiException
        from kubernetes.stream import stream

        api = CoreV1Api(self._client.api)
        pod = self._leader(api)
        try:
            session: Any = stream(
                api.connect_get_namespaced_pod_exec,
                pod,
                NAMESPACE,
                container=CONTAINER,
                command=command,
                stdin=False,
                stdout=True,
                stderr=True,
                tty=False,
                _preload_content=False,
            )
            session.run_forever(timeout=TIMEOUT)
        except ApiException as exc:
            raise DeckhouseCommandFailed(f"cannot exec into pod {NAMESPACE}/{pod}: {exc.reason}") from exc
        if session.is_open():
            _close(session)
            raise DeckhouseCommandFailed(
                f"`{' '.join(command)}` in pod {NAMESPACE}/{pod} did not end within {TIMEOUT} s"
            )
        out, err = session.read_stdout() or "", session.read_stderr() or ""
        status = _status(session.read_channel(ERROR_CHANNEL))
        _close(session)
        return _exit_code(status, command, pod), str(out), str(err)

    def _leader(self, api: Any) -> str:
        pods = api.list_namespaced_pod(NAMESPACE, label_selector=LEADER_SELECTOR).items
        running = sorted(p.metadata.name for p in pods if p.status and p.status.phase == "Running")
        if not running:
            raise DeckhouseCommandFailed(
                f"no running Deckhouse leader pod in {NAMESPACE} (label selector {LEADER_SELECTOR}),"
                " which `kubectl exec svc/deckhouse-leader` would run the command in"
            )
        return str(running[0])


def _status(text: str) -> dict[str, Any]:
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        return {"status": "Failure", "message": text}
    return found if isinstance(found, dict) else {}


def _exit_code(status: dict[str, Any], command: list[str], pod: str) -> int:
    """0 for ``Success``; the ``ExitCode`` cause of ``NonZeroExitCode``; else the command never ran."""
    if status.get("status") == "Success":
        return 0
    if status.get("reason") == "NonZeroExitCode":
        for cause in (status.get("details") or {}).get("causes") or []:
            if cause.get("reason") == "ExitCode" and str(cause.get("message", "")).isdigit():
                return int(cause["message"])
    raise DeckhouseCommandFailed(
        f"`{' '.join(command)}` could not run in pod {NAMESPACE}/{pod}: "
        f"{status.get('message') or 'the pod reported no status'}"
    )


def _close(session: Any) -> None:
    """Close the session and its socket: after the server has closed the WebSocket (as it does
    once the command ended), websocket-client's ``close()`` returns without closing the socket."""
    session.close()
    session.sock.shutdown()
