"""``/healthz``, ``/livez``, ``/readyz`` and their single checks, as kube-apiserver 1.32 lists them.

A platform engineer's first look at a cluster is often ``kubectl get --raw='/readyz?verbose'``;
scripts wait on ``/readyz`` and probe ``/livez/etcd``. kube-apiserver answers each root path with
``ok`` or, under ``?verbose`` (the parameter's presence is enough), one ``[+]<check> ok`` line per
check followed by ``<path> check passed``; ``?exclude=<check>`` (repeatable) turns a check's line
into ``[+]<check> excluded: ok`` and an exclusion that names no check adds a ``warn:`` line. Every
check also has its own path (``/readyz/ping``, ``/livez/poststarthook/rbac/bootstrap-roles``),
answered ``ok``. The simulated server is always healthy, so every check passes.

The check names are those a kubeadm-built v1.31/1.32 kube-apiserver with default feature gates
lists (ordered as it registers them); the format is ``handleRootHealth`` and
``adaptCheckToHandler`` of ``k8s.io/apiserver/pkg/server/healthz/healthz.go``. readyz adds
``etcd-readiness``, ``informer-sync`` and ``shutdown`` to the checks livez and healthz share.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qsl

from harness.apiserver.objectmeta import go_quote

__all__ = ["ROOTS", "answer"]

_POST_START_HOOKS = (
    "start-apiserver-admission-initializer",
    "generic-apiserver-start-informers",
    "priority-and-fairness-config-consumer",
    "priority-and-fairness-filter",
    "storage-object-count-tracker-hook",
    "start-apiextensions-informers",
    "start-apiextensions-controllers",
    "crd-informer-synced",
    "start-system-namespaces-controller",
    "start-cluster-authentication-info-controller",
    "start-kube-apiserver-identity-lease-controller",
    "start-kube-apiserver-identity-lease-garbage-collector",
    "start-legacy-token-tracking-controller",
    "start-service-ip-repair-controllers",
    "rbac/bootstrap-roles",
    "scheduling/bootstrap-system-priority-classes",
    "priority-and-fairness-config-producer",
    "bootstrap-controller",
    "aggregator-reload-proxy-client-cert",
    "start-kube-aggregator-informers",
    "apiservice-status-local-available-controller",
    "apiservice-status-remote-available-controller",
    "apiservice-registration-controller",
    "apiservice-discovery-controller",
    "kube-apiserver-autoregistration",
)
_HOOKS = tuple(f"poststarthook/{hook}" for hook in _POST_START_HOOKS)
_AGGREGATOR_TAIL = (
    "autoregister-completion",
    "poststarthook/apiservice-openapi-controller",
    "poststarthook/apiservice-openapiv3-controller",
)
_LIVE = ("ping", "log", "etcd", *_HOOKS, *_AGGREGATOR_TAIL)
_READY = ("ping", "log", "etcd", "etcd-readiness", "informer-sync", *_HOOKS, *_AGGREGATOR_TAIL, "shutdown")
CHECKS: dict[str, tuple[str, ...]] = {"healthz": _LIVE, "livez": _LIVE, "readyz": _READY}
"""Each root path's checks, in the order kube-apiserver prints them."""
ROOTS = frozenset(f"/{root}" for root in CHECKS)


def answer(path: str, raw_query: str) -> str | None:
    """The text kube-apiserver sends for a health ``path``, or None when ``path`` is none of them
    (kube-apiserver's mux has no prefix route there: ``/readyz/nope`` is the usual 404)."""
    if path.endswith("/"):
        return None
    root, _, check = path.strip("/").partition("/")
    checks = CHECKS.get(root)
    if checks is None or (check and check not in checks):
        return None
    if check:
        return "ok"
    pairs = parse_qsl(raw_query, keep_blank_values=True)
    if not any(key == "verbose" for key, _ in pairs):
        return "ok"
    return _verbose(root, checks, [value for key, value in pairs if key == "exclude"])


def _verbose(root: str, checks: Sequence[str], excluded: list[str]) -> str:
    left = set(excluded)
    lines = []
    for check in checks:
        if check in left:
            left.discard(check)
            lines.append(f"[+]{check} excluded: ok")
        else:
            lines.append(f"[+]{check} ok")
    if left:
        quoted = ",".join(go_quote(name) for name in sorted(left))
        lines.append(f"warn: some health checks cannot be excluded: no matches for {quoted}")
    lines.append(f"{root} check passed")
    return "\n".join(lines) + "\n"
