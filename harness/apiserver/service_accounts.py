"""The ``default`` ServiceAccount of every namespace, as kube-controller-manager keeps it.

On a real cluster the serviceaccounts controller (``pkg/controller/serviceaccount/
serviceaccounts_controller.go`` in kubernetes/kubernetes) makes sure each active namespace holds
the accounts of its options, which by default is one: ``default``, with nothing but its name. It
acts when a namespace is added or updated and when one of those accounts is deleted, so
``kubectl get sa`` in any namespace lists ``default``, a fresh namespace has it a moment after it
is created, and ``kubectl delete sa default`` is followed by a new ``default`` (a new uid, a new
age). The account carries no ``managedFields``: the controller sets only its name, and the field
manager keeps no entry for an empty field set.

Writing the accounts of the namespaces every cluster starts with would cost each cluster start
five commits, and move the resourceVersions of everything after them in runs that never look at
an account. So nothing is written until the first request for ``serviceaccounts`` (any verb,
HTTP or in-process, :mod:`harness.apiserver.on_demand`): then every namespace stored at that
moment gets its account, dated when the namespace was created (the controller's delay is not
modelled), and from then on the controller is live: a namespace added gets its account in the
same commit sequence, right after the namespace, and a deleted ``default`` comes back right
after its deletion, while its namespace exists. Nobody can observe an account before that first
request, so the order of the commits is what a watcher would have seen from the controller.

The accounts' uids are made from the namespace's uid and the commit number, not drawn from the
store's seeded generator, so the uids of every other object stay as they were.
"""

from __future__ import annotations

import hashlib
import uuid

from harness.apiserver.catalog import Catalog
from harness.apiserver.storage import Change, Store
from harness.kube.client import EventType
from harness.kube.objects import Obj

__all__ = ["DEFAULT", "DefaultServiceAccounts"]

DEFAULT = "default"
"""The one account the controller's default options ensure (``DefaultServiceAccountsControllerOptions``)."""
_NAMESPACES = ("", "namespaces")
_ACCOUNTS = ("", "serviceaccounts")


class DefaultServiceAccounts:
    """Keeps ``default`` in every namespace of ``store``, from the first request for accounts on."""

    def __init__(self, store: Store, catalog: Catalog) -> None:
        self._store = store
        self._type = catalog.lookup("", "v1", "serviceaccounts")
        self._namespaces = catalog.lookup("", "v1", "namespaces")
        self.live = False
        """Whether anyone asked for accounts yet (the accounts exist from then on)."""

    def start(self) -> None:
        """Before every request for accounts: the first one stores ``default`` in every namespace
        there is, dated when the namespace was created; later ones return at once."""
        if not self.live:
            with self._store.lock:
                self._install_once()

    def _install_once(self) -> None:
        if self.live:  # another thread's first request did it while this one waited for the lock
            return
        namespaces = self._store.list(self._namespaces).items
        self._store.install(
            self._type,
            [self._account(ns, str(ns["metadata"].get("creationTimestamp") or "")) for ns in namespaces],
        )
        self.live = True

    def committed(self, change: Change) -> None:
        """After each commit (under the store's lock, once the commit's watchers have it): a new
        namespace gets its account, a deleted ``default`` is made again while its namespace exists."""
        if not self.live:
            return
        if change.key == _NAMESPACES and change.type is EventType.ADDED:
            self._ensure(change.obj)
        elif change.key == _ACCOUNTS and change.type is EventType.DELETED:
            meta = change.obj["metadata"]
            if meta.get("name") == DEFAULT:
                namespace = self._store.find(_NAMESPACES, "", str(meta.get("namespace") or ""))
                if namespace is not None:
                    self._ensure(namespace)

    def _ensure(self, namespace: Obj) -> None:
        self._store.install(self._type, [self._account(namespace, self._store.now())])

    def _account(self, namespace: Obj, created: str) -> Obj:
        meta = namespace["metadata"]
        seed = f"serviceaccount/{meta.get('uid')}/{DEFAULT}/{self._store.resource_version}"
        uid = uuid.UUID(bytes=hashlib.sha256(seed.encode()).digest()[:16], version=4)
        return {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {
                "name": DEFAULT,
                "namespace": meta["name"],
                "uid": str(uid),
                "creationTimestamp": created,
            },
        }
