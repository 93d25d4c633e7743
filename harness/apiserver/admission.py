"""Validating admission webhooks, as the API server calls them before it stores a write.

A real cluster runs the webhooks an operator registers; the fake API server keeps a list of
plain callables instead, registered by whoever builds the cluster (``harness.cluster`` registers
DKP's). Each sees the object being created or updated, the stored one it replaces, and the stored
objects of the same kind, and returns ``None`` to allow it or the reason it is denied. A denial
is the API server's answer to the client, worded as kube-apiserver words it:
``admission webhook "<name>" denied the request: <reason>`` (403, as controller-runtime's
``admission.Denied`` answers). Status subresource writes are not reviewed (webhooks here are
registered for the main resource only).

A ValidatingAdmissionPolicy (CEL rules kube-apiserver evaluates itself, which Deckhouse installs
too) is registered the same way with :meth:`Admission.register_policy`; its denial reads
``<plural>.<group> "<name>" is forbidden: ValidatingAdmissionPolicy '<policy>' with binding
'<binding>' denied request: <message>`` (the policy's ``reason: Forbidden``, 403: the validating
policy dispatcher of ``k8s.io/apiserver``). Policies see who writes (``AdmissionReview.user``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from harness.apiserver.catalog import ResourceType
from harness.kube.errors import Forbidden
from harness.kube.objects import Obj, name_of

__all__ = ["Admission", "AdmissionReview", "Webhook"]


@dataclass(frozen=True)
class AdmissionReview:
    """One write under review."""

    operation: str
    """``CREATE`` or ``UPDATE``."""
    obj: Obj
    old: Obj | None
    existing: Callable[[], list[Obj]]
    """The stored objects of the same kind (called only by a webhook that needs them)."""
    user: str = "kubernetes-admin"
    """The requesting user's name (``request.userInfo.username``)."""


Webhook = Callable[[AdmissionReview], "str | None"]


class Admission:
    """The registered webhooks, by ``(group, plural)``; thread-safe to register and call."""

    def __init__(self) -> None:
        self._hooks: dict[tuple[str, str], list[tuple[str, Webhook, bool]]] = {}
        self._lock = threading.Lock()

    def register(self, group: str, plural: str, name: str, webhook: Webhook) -> None:
        """A validating webhook named ``name`` for the resource ``(group, plural)``."""
        with self._lock:
            self._hooks.setdefault((group, plural), []).append((name, webhook, False))

    def register_policy(self, group: str, plural: str, name: str, policy: Webhook) -> None:
        """A ValidatingAdmissionPolicy ``name`` (bound by a binding of the same name, as
        Deckhouse's are) for ``(group, plural)``; ``policy`` returns its message when it denies."""
        with self._lock:
            self._hooks.setdefault((group, plural), []).append((name, policy, True))

    def review(self, rt: ResourceType, review: AdmissionReview) -> None:
        """Raise 403 with the first denial; return when every webhook and policy allows the write."""
        with self._lock:
            hooks = list(self._hooks.get(rt.key, ()))
        for name, webhook, is_policy in hooks:
            reason = webhook(review)
            if reason is None:
                continue
            if not is_policy:
                raise Forbidden(f'admission webhook "{name}" denied the request: {reason}')
            resource = ".".join(p for p in (rt.resource.plural, rt.resource.group) if p)
            raise Forbidden(
                f'{resource} "{name_of(review.obj)}" is forbidden: ValidatingAdmissionPolicy '
                f"'{name}' with binding '{name}' denied request: {reason}"
            )
