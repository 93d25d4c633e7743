"""Generate ``harness/apiserver/data/builtin_fields.json``: the JSON fields of every Go type
behind the built-in kinds the fake API server serves, as Kubernetes 1.32 declares them (and
``builtin_schemas.json``: their JSON types and required fields, for the OpenAPI documents).

kube-apiserver decodes a built-in kind into its Go struct, so a field the struct lacks, however
deep, is a strict decoding error (or a warning, and dropped). The harness needs those field sets
at run time without the ``kubernetes`` client (a simulator run must not import it, see
``tests/steps/test_lean_run.py``), so they are written once into a small JSON file.

The source is the ``kubernetes`` Python client's models (``openapi_types`` gives each field's
type, ``attribute_map`` its JSON name), which are generated from the API's OpenAPI document. The
installed client may be newer than 1.32: the fields later releases added are listed in
:data:`NEWER_THAN_1_32` and left out (taken by comparing the models of client 32.0.1, built from
``release-1.32``, with the installed one), so the file is the same whichever of the two
generates it.

Run: ``python -m tools.gen_builtin_fields`` (writes the file); ``--check`` compares instead.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "harness" / "apiserver" / "data" / "builtin_fields.json"
SCHEMAS_OUT = OUT.with_name("builtin_schemas.json")
"""The second table: each field's JSON type and each type's required fields, which the OpenAPI v3
documents of the built-in kinds are made of (``kubectl explain deployment.spec.replicas``)."""

KINDS: dict[str, str] = {
    "configmaps": "V1ConfigMap",
    "events": "CoreV1Event",
    "namespaces": "V1Namespace",
    "nodes": "V1Node",
    "pods": "V1Pod",
    "secrets": "V1Secret",
    "services": "V1Service",
    "serviceaccounts": "V1ServiceAccount",
    "deployments": "V1Deployment",
    "replicasets": "V1ReplicaSet",
    "daemonsets": "V1DaemonSet",
    "replicationcontrollers": "V1ReplicationController",
    "leases": "V1Lease",
    "endpoints": "V1Endpoints",
    "persistentvolumeclaims": "V1PersistentVolumeClaim",
    "persistentvolumes": "V1PersistentVolume",
    "jobs": "V1Job",
    "cronjobs": "V1CronJob",
    "ingresses": "V1Ingress",
    "statefulsets": "V1StatefulSet",
    "endpointslices": "V1EndpointSlice",
}
"""The served built-in kinds that are stored (plural, as the catalog names them) and their models."""

NEWER_THAN_1_32: dict[str, tuple[str, ...]] = {
    "V1ClusterTrustBundleProjection": ("user",),
    "V1ConfigMapVolumeSource": ("defaultUser",),
    "V1Container": ("restartPolicyRules",),
    "V1ContainerStatus": ("stopSignal",),
    "V1DeploymentStatus": ("terminatingReplicas",),
    "V1DownwardAPIVolumeFile": ("user",),
    "V1DownwardAPIVolumeSource": ("defaultUser",),
    "V1EmptyDirVolumeSource": ("mode",),
    "V1EndpointHints": ("forNodes",),
    "V1EnvVarSource": ("fileKeyRef",),
    "V1EphemeralContainer": ("restartPolicyRules",),
    "V1GRPCAction": ("mode",),
    "V1JobSpec": ("scheduling",),
    "V1HTTPGetAction": ("protocol",),
    "V1KeyToPath": ("user",),
    "V1Lifecycle": ("stopSignal",),
    "V1NodeSpec": ("podPreemptionPolicy",),
    "V1NodeStatus": ("declaredFeatures",),
    "V1NodeSystemInfo": ("runningInUserNamespace", "swap"),
    "V1PersistentVolumeClaimStatus": ("healthStatus",),
    "V1PodCondition": ("observedGeneration",),
    "V1PodSpec": ("evictionResponders", "hostnameOverride", "schedulingGroup"),
    "V1PodStatus": (
        "allocatedResources",
        "extendedResourceClaimStatus",
        "nodeAllocatableResourceClaimStatuses",
        "observedGeneration",
        "resources",
        "volumeHealth",
    ),
    "V1ProjectedVolumeSource": ("defaultUser",),
    "V1ReplicaSetStatus": ("terminatingReplicas",),
    "V1ResourceHealth": ("message",),
    "V1SecretVolumeSource": ("defaultUser",),
    "V1ServiceAccountTokenProjection": ("user",),
    "V1VolumeMount": ("bindMountOptions",),
    "V1VolumeMountStatus": ("volumeStatus",),
    "V1VolumeProjection": ("podCertificate",),
}
"""Fields the client 37.0.2 models (``release-1.37``) carry that Kubernetes 1.32 does not have:
the difference between its models and client 32.0.1's, over the types reachable from
:data:`KINDS` (the models only the dropped fields lead to are then never reached). The two
clients differ in nothing else but the name of ``ResourceRequirements.claims``' item type
(:data:`RENAMED`)."""

RENAMED: dict[str, str] = {"CoreV1ResourceClaim": "V1ResourceClaim"}
"""Later clients' names of a model, to 1.32's (the same fields)."""

_CONTAINER = re.compile(r"^(list\[|dict\(str, |dict\[str, )(.*)(\]|\))$", re.IGNORECASE)
"""``list[T]``/``dict(str, T)`` (client 32) or ``List[T]``/``Dict[str, T]`` (later clients)."""


_NEWER_NAMES = {old: new for new, old in RENAMED.items()}


def _field_type(declared: str, models: Any) -> str:
    """``""`` for a value the strict decoder does not look into (a scalar, a string map, an
    ``object``: RawExtension, IntOrString, Quantity, free-form JSON), else the model's name,
    prefixed ``[]`` for a list of it or ``{}`` for a map of it."""
    found = _CONTAINER.match(declared)
    if found is not None:
        inner = _field_type(found.group(2), models)
        if not inner:
            return ""
        if inner.startswith(("[]", "{}")):
            raise SystemExit(f"nested container of models not modelled: {declared}")
        return ("[]" if found.group(1).lower() == "list[" else "{}") + inner
    return RENAMED.get(declared, declared) if hasattr(models, declared) else ""


def build(models: Any) -> dict[str, Any]:
    """The field table of every model reachable from :data:`KINDS`."""
    types: dict[str, dict[str, str]] = {}
    pending = list(KINDS.values())
    while pending:
        name = pending.pop()
        if name in types:
            continue
        model = getattr(models, name, None) or getattr(models, _NEWER_NAMES[name])
        skipped = set(NEWER_THAN_1_32.get(name, ()))
        fields = {
            model.attribute_map[attr]: _field_type(declared, models)
            for attr, declared in model.openapi_types.items()
            if model.attribute_map[attr] not in skipped
        }
        types[name] = dict(sorted(fields.items()))
        pending += [t.removeprefix("[]").removeprefix("{}") for t in fields.values() if t]
    return {"kinds": KINDS, "types": dict(sorted(types.items()))}


_SCALARS = {
    "str": "string",
    "int": "integer",
    "bool": "boolean",
    "float": "number",
    "datetime": "date-time",
    "bytes": "byte",
    "object": "object",
}
"""The client's scalar type names, as the schema table writes them (``object``: a value with its
own decoder, an IntOrString, a Quantity, a RawExtension, free-form JSON)."""


def _json_type(declared: str, models: Any) -> str:
    """A field's type for the schema table: a scalar of :data:`_SCALARS`, a model's name, either
    prefixed ``[]`` for a list or ``{}`` for a string-keyed map."""
    found = _CONTAINER.match(declared)
    if found is not None:
        inner = _json_type(found.group(2), models)
        return ("[]" if found.group(1).lower() == "list[" else "{}") + inner
    if declared in _SCALARS:
        return _SCALARS[declared]
    if not hasattr(models, declared):
        raise SystemExit(f"type not modelled: {declared}")
    return RENAMED.get(declared, declared)


def _required(model: Any) -> list[str]:
    """The JSON names of the fields the model requires (pydantic models of later clients; the
    older clients' setters refuse ``None`` for the same fields)."""
    fields = getattr(model, "model_fields", None)
    if fields is None:
        return []
    return sorted(model.attribute_map[name] for name, info in fields.items() if info.is_required())


def build_schemas(models: Any) -> dict[str, Any]:
    """Each type reachable from :data:`KINDS`: its fields' JSON types and its required fields."""
    types: dict[str, dict[str, Any]] = {}
    for name in build(models)["types"]:
        model = getattr(models, name, None) or getattr(models, _NEWER_NAMES[name])
        skipped = set(NEWER_THAN_1_32.get(name, ()))
        fields = {
            model.attribute_map[attr]: _json_type(declared, models)
            for attr, declared in model.openapi_types.items()
            if model.attribute_map[attr] not in skipped
        }
        required = [f for f in _required(model) if f in fields]
        types[name] = {"fields": dict(sorted(fields.items())), "required": required}
    return {"kinds": KINDS, "types": types}


def render(table: dict[str, Any]) -> str:
    return json.dumps(table, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file")
    args = parser.parse_args(argv)
    from kubernetes.client import models

    outputs = {OUT: render(build(models)), SCHEMAS_OUT: render(build_schemas(models))}
    if args.check:
        stale = [path for path, text in outputs.items() if not path.exists() or path.read_text() != text]
        for path in stale:
            print(f"{path} differs: regenerate it")
        print("up to date" if not stale else "")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
