"""A Job's generated selector and pod template labels, as the Job strategy writes them on create.

kube-apiserver's Job strategy (``PrepareForCreate`` → ``generateSelectorIfNeeded`` →
``generateSelector`` in ``pkg/registry/batch/job/strategy.go``, kubernetes/kubernetes 1.32) runs
in the API server itself, not in a controller: unless ``spec.manualSelector`` is true, the pod
template gets ``controller-uid`` and ``batch.kubernetes.io/controller-uid`` (the Job's uid) and
``job-name`` and ``batch.kubernetes.io/job-name`` (its name), each only where the template does
not name it already, and ``spec.selector.matchLabels`` gets ``batch.kubernetes.io/controller-uid``
(only that one) unless present. So ``kubectl get jobs -o wide`` shows
``batch.kubernetes.io/controller-uid=<uid>`` under ``SELECTOR``, and the Job controller's pods
carry the four labels.

A Job created without labels of its own shows its template's labels, the generated ones
included, as its own: ``SetDefaults_Job`` gives a Job without labels its template's (``labels !=
nil && len(obj.Labels) == 0``), and it runs on every decode, so also on every read of the stored
Job, whose template has the generated labels by then (the Jobs page of the Kubernetes docs shows
``controller-uid`` and ``job-name`` on a Job whose manifest labels nothing). A Job that names
labels of its own keeps exactly those, even when they equal its template's. The strategy runs
after the field manager recorded the request, so no manager owns them.
"""

from __future__ import annotations

from typing import Any

from harness.kube.objects import Obj

__all__ = ["CONTROLLER_UID", "JOB_NAME", "generate_selector"]

CONTROLLER_UID = "batch.kubernetes.io/controller-uid"
JOB_NAME = "batch.kubernetes.io/job-name"
_LEGACY_CONTROLLER_UID = "controller-uid"
_LEGACY_JOB_NAME = "job-name"


def generate_selector(job: Obj) -> None:
    """Called once the Job has its uid (the store's create); changes ``job`` in place."""
    spec = job.get("spec")
    if not isinstance(spec, dict) or spec.get("manualSelector") is True:
        return
    meta = job["metadata"]
    template = _mapping(spec, "template")
    template_meta = _mapping(template, "metadata")
    labels = template_meta.get("labels")
    shared = not meta.get("labels")  # the Job's own, as sent: the defaults leave a create's alone
    labels = dict(labels) if isinstance(labels, dict) else {}
    name, uid = str(meta.get("name") or ""), str(meta.get("uid") or "")
    for key, value in (
        (_LEGACY_JOB_NAME, name),
        (JOB_NAME, name),
        (_LEGACY_CONTROLLER_UID, uid),
        (CONTROLLER_UID, uid),
    ):
        labels.setdefault(key, value)
    template_meta["labels"] = labels
    if shared:
        meta["labels"] = dict(labels)
    selector = _mapping(spec, "selector")
    match = selector.get("matchLabels")
    selector["matchLabels"] = {**match} if isinstance(match, dict) else {}
    selector["matchLabels"].setdefault(CONTROLLER_UID, uid)


def _mapping(parent: dict[str, Any], key: str) -> dict[str, Any]:
    """``parent[key]`` as a mapping of its own (a new one where it is missing or null)."""
    value = parent.get(key)
    value = dict(value) if isinstance(value, dict) else {}
    parent[key] = value
    return value
