"""``pods/exec``: the request checked as kube-apiserver and kubelet check it, then handed over.

The checks and their words are upstream's: the container (``pkg/registry/core/pod/strategy.go``,
``streamLocation``: the only container when none is named, else ``a container name must be
specified …``; an unknown one is ``container X is not valid for pod Y``), a pod on no node, and
kubelet's ``you must specify at least 1 of stdin, stdout, stderr``. A checked request is answered
by an upgrade to the WebSocket session of :mod:`harness.apiserver.remotecommand`; the command
runs where the cluster says (its :data:`~harness.apiserver.remotecommand.ExecRunner`).
"""

from __future__ import annotations

from functools import partial

from harness.apiserver.remotecommand import ExecCall, ExecRunner, run_session
from harness.apiserver.request import Backend, Request, Response
from harness.kube.errors import BadRequest, MethodNotAllowed
from harness.kube.objects import Obj

__all__ = ["exec_pod", "pod_container"]


def pod_container(pod: Obj, requested: str | None) -> str:
    """The container a ``log`` or ``exec`` request means; ``BadRequest`` as kube-apiserver words it."""
    name = str(pod.get("metadata", {}).get("name", ""))
    containers = [str(c.get("name")) for c in pod.get("spec", {}).get("containers") or []]
    if not requested:
        if len(containers) != 1:
            choices = " ".join(containers)
            raise BadRequest(f"a container name must be specified for pod {name}, choose one of: [{choices}]")
        return containers[0]
    if requested not in containers:
        raise BadRequest(f"container {requested} is not valid for pod {name}")
    return requested


def exec_pod(b: Backend, req: Request, runner: ExecRunner) -> Response:
    """The upgrade answer for a valid ``exec``; the HTTP layer runs its session."""
    if req.verb not in ("get", "create"):
        raise MethodNotAllowed("the server does not allow this method on the requested resource")
    namespace = req.namespace or "default"
    pod = b.store.get(req.rt, namespace, req.name or "")
    container = pod_container(pod, req.query.get("container"))
    if not pod.get("spec", {}).get("nodeName"):
        raise BadRequest(f"pod {req.name} does not have a host assigned")
    call = ExecCall(
        namespace=namespace,
        pod=req.name or "",
        container=container,
        command=tuple(req.commands),
        stdin=req.flag("stdin"),
        stdout=req.flag("stdout"),
        stderr=req.flag("stderr"),
        tty=req.flag("tty"),
    )
    if not (call.stdin or call.stdout or call.stderr):
        raise BadRequest("you must specify at least 1 of stdin, stdout, stderr")
    if not call.command:
        raise BadRequest("you must specify at least one command for the container")
    return Response(101, None, upgrade=partial(run_session, call, runner))
