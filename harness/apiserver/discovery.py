"""Discovery documents and ``/version``, generated from the catalogue.

Legacy discovery (``APIVersions``, ``APIGroupList``, ``APIGroup``, ``APIResourceList``) is the
default answer. Aggregated discovery (``APIGroupDiscoveryList``) is sent only when the Accept
header asks for it, in the version asked for first (``v2`` or ``v2beta1``), with the matching
Content-Type: kubectl 1.27 to 1.29 ask for ``v2beta1`` only and break if given ``v2``.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from harness.apiserver.catalog import Catalog, ResourceType

__all__ = [
    "VERBS",
    "aggregated",
    "api_group",
    "api_group_list",
    "api_resource_list",
    "api_versions",
    "negotiate_aggregated",
    "storage_version_hash",
    "version_info",
]

VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
_READ_VERBS = ["get", "list", "watch"]
_SUB_VERBS = {
    "status": ["get", "patch", "update"],
    "scale": ["get", "patch", "update"],
    "log": ["get"],
    "exec": ["create", "get"],
    "attach": ["create", "get"],
    "portforward": ["create", "get"],
    "token": ["create"],
}
_AGG = "application/json;g=apidiscovery.k8s.io;v={v};as=APIGroupDiscoveryList"


def version_info() -> dict[str, str]:
    """Minor 32: Google's kubectl dispatcher then runs its built-in 1.32 client."""
    return {
        "major": "1",
        "minor": "32",
        "gitVersion": "v1.32.0-dkp-harness",
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2024-12-11T00:00:00Z",
        "goVersion": "go1.23.3",
        "compiler": "gc",
        "platform": "linux/amd64",
    }


def negotiate_aggregated(accept: str) -> str | None:
    """``"v2"``/``"v2beta1"`` when the first acceptable type is aggregated discovery, else ``None``."""
    for part in accept.split(","):
        media = part.replace(" ", "")
        if "as=APIGroupDiscoveryList" in media and "g=apidiscovery.k8s.io" in media:
            for version in ("v2", "v2beta1"):
                if f";v={version};" in media + ";":
                    return version
        elif media.split(";")[0] in ("application/json", "*/*"):
            return None
    return None


def aggregated_content_type(version: str) -> str:
    return _AGG.format(v=version)


def api_versions(server_address: str) -> dict[str, Any]:
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
    }


def _group_versions(catalog: Catalog, group: str) -> tuple[list[dict[str, str]], dict[str, str]]:
    versions = [{"groupVersion": f"{group}/{v}", "version": v} for v in catalog.versions(group)]
    return versions, versions[0]


def api_group(catalog: Catalog, group: str) -> dict[str, Any]:
    versions, preferred = _group_versions(catalog, group)
    return {
        "kind": "APIGroup",
        "apiVersion": "v1",
        "name": group,
        "versions": versions,
        "preferredVersion": preferred,
    }


def api_group_list(catalog: Catalog) -> dict[str, Any]:
    groups = []
    for group in catalog.groups():
        versions, preferred = _group_versions(catalog, group)
        groups.append({"name": group, "versions": versions, "preferredVersion": preferred})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def _verbs(rt: ResourceType) -> list[str]:
    if rt.create_only:
        return ["create"]
    return _READ_VERBS if rt.read_only else VERBS


def _sub_verbs(rt: ResourceType, sub: str) -> list[str]:
    return ["get"] if rt.read_only else _SUB_VERBS.get(sub, ["get"])


def storage_version_hash(group: str, version: str, kind: str) -> str:
    """What legacy discovery lists per stored resource (apimachinery's ``StorageVersionHash``: the
    first 8 bytes of SHA-256 of ``group/version/kind``, base64), from the *storage* version, so it
    changes exactly when a storage migration is due; answered-only kinds (reviews) have none."""
    digest = hashlib.sha256(f"{group}/{version}/{kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


def _legacy_resource(rt: ResourceType) -> list[dict[str, Any]]:
    r = rt.resource
    main: dict[str, Any] = {
        "name": r.plural,
        "singularName": rt.singular,
        "namespaced": r.namespaced,
        "kind": r.kind,
        "verbs": _verbs(rt),
    }
    if rt.short_names:
        main["shortNames"] = list(rt.short_names)
    if rt.categories:
        main["categories"] = list(rt.categories)
    if not rt.create_only:
        main["storageVersionHash"] = storage_version_hash(r.group, rt.storage_version, r.kind)
    subs = [
        {
            "name": f"{r.plural}/{sub}",
            "singularName": "",
            "namespaced": r.namespaced,
            **_SUB_KINDS.get(sub, {"kind": r.kind}),
            "verbs": _sub_verbs(rt, sub),
        }
        for sub in rt.all_subresources()
    ]
    return [main, *subs]


_SUB_KINDS = {
    "scale": {"group": "autoscaling", "version": "v1", "kind": "Scale"},
    "token": {"group": "authentication.k8s.io", "version": "v1", "kind": "TokenRequest"},
}
"""What a ``scale`` subresource answers (:mod:`harness.apiserver.scale`), whatever its parent, and
``serviceaccounts/token`` (:mod:`harness.apiserver.token_requests`)."""


def api_resource_list(catalog: Catalog, group: str, version: str) -> dict[str, Any] | None:
    types = catalog.in_version(group, version)
    if not types:
        return None
    resources = [
        entry for rt in sorted(types, key=lambda t: t.resource.plural) for entry in _legacy_resource(rt)
    ]
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": f"{group}/{version}" if group else version,
        "resources": resources,
    }


def _aggregated_resource(rt: ResourceType) -> dict[str, Any]:
    r = rt.resource
    kind = {"group": r.group, "version": r.version, "kind": r.kind}
    entry: dict[str, Any] = {
        "resource": r.plural,
        "responseKind": kind,
        "scope": "Namespaced" if r.namespaced else "Cluster",
        "singularResource": rt.singular,
        "verbs": _verbs(rt),
    }
    if rt.short_names:
        entry["shortNames"] = list(rt.short_names)
    if rt.categories:
        entry["categories"] = list(rt.categories)
    subs = [
        {"subresource": s, "responseKind": _SUB_KINDS.get(s, kind), "verbs": _sub_verbs(rt, s)}
        for s in rt.all_subresources()
    ]
    if subs:
        entry["subresources"] = subs
    return entry


def aggregated(catalog: Catalog, *, core: bool, version: str) -> dict[str, Any]:
    """``/api`` (``core=True``) or ``/apis`` as an ``APIGroupDiscoveryList`` of ``version``."""
    groups = [""] if core else catalog.groups()
    items = []
    for group in groups:
        versions = [
            {
                "version": v,
                "resources": [
                    _aggregated_resource(rt)
                    for rt in sorted(catalog.in_version(group, v), key=lambda t: t.resource.plural)
                ],
                "freshness": "Current",
            }
            for v in catalog.versions(group)
        ]
        items.append({"metadata": {"name": group, "creationTimestamp": None}, "versions": versions})
    return {
        "kind": "APIGroupDiscoveryList",
        "apiVersion": f"apidiscovery.k8s.io/{version}",
        "metadata": {},
        "items": items,
    }
