"""What an update may change in a Pod's ``spec``: ``ValidatePodUpdate`` of
``pkg/apis/core/validation/validation.go`` (Kubernetes 1.32, default feature gates).

A running pod's spec is fixed but for its containers' and init containers' images, a shorter
``activeDeadlineSeconds``, added tolerations and a ``terminationGracePeriodSeconds`` of 1 where it
was negative; anything else is one ``spec: Forbidden`` cause. kube-apiserver appends a
``cmp.Diff`` of its internal Go ``PodSpec`` to that message, which cannot be reproduced from JSON:
the harness appends the changed JSON paths instead (the first line is upstream's, word for word).
"""

from __future__ import annotations

from typing import Any

from harness.apiserver.objectmeta import go_quote
from harness.kube.errors import Cause

__all__ = ["validate_pod_update"]

_UPDATABLE = ",".join(
    (
        "`spec.containers[*].image`",
        "`spec.initContainers[*].image`",
        "`spec.activeDeadlineSeconds`",
        "`spec.tolerations` (only additions to existing tolerations)",
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    )
)
_INT32_MAX = 2**31 - 1


def _containers(spec: dict[str, Any], key: str) -> list[Any]:
    found = spec.get(key)
    return found if isinstance(found, list) else []


def _container_causes(new: dict[str, Any], old: dict[str, Any], key: str) -> tuple[list[Cause], bool]:
    """``ValidateContainerUpdates``: the same number of containers (else stop here), each with
    an image without surrounding blanks."""
    now, before = _containers(new, key), _containers(old, key)
    if len(now) != len(before):
        return [
            Cause(
                "FieldValueForbidden",
                "Forbidden: pod updates may not add or remove containers",
                f"spec.{key}",
            )
        ], True
    causes = []
    for i, container in enumerate(now):
        image = container.get("image") if isinstance(container, dict) else None
        if not image:
            causes.append(Cause("FieldValueRequired", "Required value", f"spec.{key}[{i}].image"))
        elif isinstance(image, str) and image.strip() != image:
            message = f"Invalid value: {go_quote(image)}: must not have leading or trailing whitespace"
            causes.append(Cause("FieldValueInvalid", message, f"spec.{key}[{i}].image"))
    return causes, False


def _deadline_cause(new: dict[str, Any], old: dict[str, Any]) -> Cause | None:
    now, before = new.get("activeDeadlineSeconds"), old.get("activeDeadlineSeconds")
    field = "spec.activeDeadlineSeconds"
    if isinstance(now, int):
        if now < 0 or now > _INT32_MAX:
            return Cause(
                "FieldValueInvalid",
                f"Invalid value: {now}: must be between 0 and {_INT32_MAX}, inclusive",
                field,
            )
        if isinstance(before, int) and before < now:
            return Cause(
                "FieldValueInvalid",
                f"Invalid value: {now}: must be less than or equal to previous value",
                field,
            )
    elif now is None and before is not None:
        return Cause(
            "FieldValueInvalid",
            'Invalid value: "null": must not update from a positive integer to nil value',
            field,
        )
    return None


def _munged(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """``new`` with what an update may change set back to ``old``'s, as the upstream check munges it."""
    munged = dict(new)
    for key in ("containers", "initContainers"):
        before = _containers(old, key)
        if key in munged:
            munged[key] = [
                dict(c, image=before[i].get("image"))
                if isinstance(c, dict) and isinstance(before[i], dict)
                else c
                for i, c in enumerate(_containers(munged, key))
            ]
    for key in ("activeDeadlineSeconds",):
        if key in old:
            munged[key] = old[key]
        else:
            munged.pop(key, None)
    kept = _containers(old, "tolerations")
    if all(t in _containers(new, "tolerations") for t in kept):  # only additions
        if "tolerations" in old:
            munged["tolerations"] = old["tolerations"]
        else:
            munged.pop("tolerations", None)
    grace_before, grace_now = (
        old.get("terminationGracePeriodSeconds"),
        new.get("terminationGracePeriodSeconds"),
    )
    if isinstance(grace_before, int) and grace_before < 0 and grace_now == 1:
        munged["terminationGracePeriodSeconds"] = grace_before
    return munged


def _changed_paths(new: Any, old: Any, path: str) -> list[str]:
    if isinstance(new, dict) and isinstance(old, dict):
        return [
            p
            for key in sorted(set(new) | set(old))
            for p in _changed_paths(new.get(key), old.get(key), f"{path}.{key}")
        ]
    if isinstance(new, list) and isinstance(old, list) and len(new) == len(old):
        return [
            p
            for i, (n, o) in enumerate(zip(new, old, strict=True))
            for p in _changed_paths(n, o, f"{path}[{i}]")
        ]
    return [] if new == old else [path]


def _spec(pod: dict[str, Any]) -> dict[str, Any]:
    spec = pod.get("spec")
    return spec if isinstance(spec, dict) else {}


def validate_pod_update(new: dict[str, Any], old: dict[str, Any]) -> list[Cause]:
    """The causes ``ValidatePodUpdate`` finds in a main-resource update of a Pod's ``spec``."""
    new_spec = _spec(new)
    old_spec = _spec(old)
    causes: list[Cause] = []
    for key in ("containers", "initContainers"):
        found, stop = _container_causes(new_spec, old_spec, key)
        causes += found
        if stop:
            return causes
    deadline = _deadline_cause(new_spec, old_spec)
    if deadline is not None:
        return [*causes, deadline]
    if new_spec == old_spec:
        return causes
    munged = _munged(new_spec, old_spec)
    if munged != old_spec:
        changed = "\n".join(f"  {p}" for p in _changed_paths(munged, old_spec, "spec"))
        message = f"Forbidden: pod updates may not change fields other than {_UPDATABLE}\n{changed}"
        causes.append(Cause("FieldValueForbidden", message, "spec"))
    return causes
