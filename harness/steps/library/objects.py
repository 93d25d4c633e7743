"""Steps that write objects: apply YAML, annotate, label, patch, delete, enable a module.

Writes go through the target's client and are followed by a settle, so on the simulator the next
step sees what the controllers made of the change (on a real cluster the checks wait instead).
On a shared cluster, a write to the cluster-wide ``deckhouse`` ModuleConfig skips the scenario,
and so do update windows (they are judged by the cluster's real weekday and time of day).

An object a step changes or deletes that is not there is an expectation not met
(:class:`~harness.steps.world.WorldError`); YAML the step cannot apply as written (no
``metadata.name``, a file that is not there) is the scenario's mistake
(:class:`~harness.steps.errors.ScenarioError`), refused before anything is written.
"""

from __future__ import annotations

import dataclasses
import difflib
from pathlib import Path
from typing import Any

from harness.api import kinds
from harness.api.annotations import APPROVED
from harness.feature_text import real_path
from harness.kube.errors import ApiError, Invalid, NotFound
from harness.kube.go_yaml import string_field_text
from harness.kube.objects import Obj, deep_get
from harness.kube.resources import Resource
from harness.steps.bounded_yaml import MAX_FILE_BYTES
from harness.steps.catalogue import given, then, when
from harness.steps.crd_schemas import unknown_in_every_era
from harness.steps.documents import Origin
from harness.steps.errors import ScenarioError
from harness.steps.schema_fields import (
    apply_refusal,
    likely_typos,
    patch_refusal,
    seed_refusal,
    unknown_fields,
)
from harness.steps.world import World, WorldError, check_kind
from harness.target.base import needs_virtual_time

SINGLETONS = {(kinds.MODULE_CONFIG.kind, "deckhouse")}
"""Cluster-wide objects a scenario on a shared cluster must not change (everyone's modules read them)."""

ROOT = Path(__file__).resolve().parents[3]


def apply_documents(world: World, documents: list[dict[str, Any]], *, seed_status: bool = False) -> None:
    """Create each object, or merge its fields into the existing one (``kubectl apply``-like).

    With ``seed_status`` (``Given the cluster has:``) a document's ``status`` is written too,
    through the status subresource, before the controllers run: the state a scenario starts from,
    the way DKP's own controller tests set up their fake clients. Without it a ``status`` is the
    scenario's mistake: an apply never writes one (the API server keeps status for the
    controllers), so the step would drop what the scenario wrote. Every document is checked
    before the first write, so a nameless one leaves nothing half-applied.
    """
    for document in documents:
        _require_name(document)
        if not seed_status and _status_of(document):
            raise ScenarioError(status_in_an_apply(document))
        _known_kind(document)
        if seed_status:  # seeding sets up state as DKP's controller tests do: only a misspelling is refused
            _no_typos(document)
    for document in documents:
        kind, name = str(document.get("kind", "")), str(deep_get(document, "metadata.name", ""))
        guard_shared(world, kind, name, document)
        if seed_status and _status_of(document) and world.target.time is None:
            raise_skip(
                world,
                f"seeds the status of the {kind} {name!r} (on a live cluster DKP's controllers own "
                "status and rewrite it at once; only the simulator waits for the scenario's next step)",
            )
    if not seed_status:
        for document in documents:
            _known_fields(world, document)
    world.target.before_write()
    for document in documents:
        if seed_status:
            document = _without_server_fields(document)
        resource = world.client.resolve(str(document.get("apiVersion", "")), str(document.get("kind", "")))
        name = str(document["metadata"]["name"])
        namespace = _namespace_of(resource.namespaced, document)
        try:
            stored = _create_or_patch(world, resource, name, document, namespace)
        except Invalid as exc:
            hint = other_version_hint(document)
            if not hint:
                raise
            # still the API server's refusal (``When I try to apply:`` keeps it), with the fix below
            raise dataclasses.replace(exc, message=f"{exc.message}\n  ({hint})") from exc
        status = _status_of(document)
        if seed_status and status and not _holds(stored.get("status"), status):
            world.client.patch(resource, name, {"status": status}, namespace=namespace, subresource="status")
    world.settle()


def _create_or_patch(
    world: World, resource: Resource, name: str, document: dict[str, Any], namespace: str | None
) -> Obj:
    """Create the object, or merge ``document`` into the one there (what ``kubectl apply`` does)."""
    try:
        world.client.get(resource, name, namespace=namespace)
    except NotFound:
        return world.client.create(resource, document, namespace=namespace)
    return world.client.patch(resource, name, document, namespace=namespace)


def other_version_hint(document: dict[str, Any]) -> str:
    """``""``, or what to write when ``document`` is a DKP kind at another apiVersion than the
    one the harness serves as current (the page's, for the page's kinds).

    ``apiVersion: deckhouse.io/v1alpha1`` for a ModuleUpdatePolicy (the ModuleConfig's version, or
    an older guide's) is served, with other fields: the API server refuses it with
    "spec.moduleReleaseSelector: Required value", a field the page never shows, and nothing said
    the version was the mistake. The apply step adds this line below the server's own words.
    """
    kind, written = str(document.get("kind", "")), str(document.get("apiVersion", ""))
    current = kinds.BY_KIND.get(kind)
    if current is None or written == current.api_version:
        return ""
    return (
        f"this {kind} is written as {written}, whose fields differ from the kind's current "
        f"version's: write apiVersion: {current.api_version} (as the page does)"
    )


def _known_fields(world: World, document: dict[str, Any]) -> None:
    """A field the kind does not have is the scenario's typo: kubectl apply refuses it (its
    ``--validate=strict``: ``strict decoding error: unknown field``), where the API server alone
    would prune it and the scenario would go on testing something else. Only ``When I apply:``
    is judged: seeding (``Given the cluster has:``, a YAML file) sets up a starting state the way
    DKP's controller tests fill their fake clients, which take objects as written."""
    kind = str(document.get("kind", ""))
    if kind not in kinds.BY_KIND or document.get("apiVersion") != kinds.BY_KIND[kind].api_version:
        return  # not a DKP kind at its served version: no CRD schema to judge by (the write may say more)
    schema = world.schema_of(kind)
    mistakes = unknown_fields(document, schema) if schema is not None else []
    if mistakes:
        raise ScenarioError(apply_refusal(kind, str(deep_get(document, "metadata.name", "")), mistakes))


_SERVER_FIELDS = ("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "selfLink")
"""What the API server sets on a create: DKP's controller tests write them in their objects (a
golden's ``resourceVersion: "1000"``), their fake clients take them; kube-apiserver refuses a create
that carries a resourceVersion, so a seed leaves them to the server, as the step promises."""


def _without_server_fields(document: dict[str, Any]) -> dict[str, Any]:
    meta = document.get("metadata")
    if not isinstance(meta, dict) or not any(field in meta for field in _SERVER_FIELDS):
        return document
    kept = {k: v for k, v in meta.items() if k not in _SERVER_FIELDS}
    return {**document, "metadata": kept}


def _known_kind(document: dict[str, Any]) -> None:
    """A DKP group's kind that DKP does not have (``kind: ModuleSorce``) is named with the nearest
    one, as a kind in a step's text is (the API server would only say ``no matches for kind``)."""
    kind, api_version = str(document.get("kind", "")), str(document.get("apiVersion", ""))
    if api_version.startswith(f"{kinds.GROUP}/") and kind not in kinds.BY_KIND:
        check_kind(kind)


def _no_typos(document: dict[str, Any]) -> None:
    """A seeded field no era's CRD has but spelt like one that exists: the scenario's mistake (see
    :func:`~harness.steps.schema_fields.seed_refusal`); any other unknown field is pruned as ever."""
    kind, api_version = str(document.get("kind", "")), str(document.get("apiVersion", ""))
    if kind not in kinds.BY_KIND or kinds.BY_KIND[kind].api_version != api_version:
        return
    typos = likely_typos(unknown_in_every_era(kind, kinds.BY_KIND[kind].version, document))
    if typos:
        raise ScenarioError(seed_refusal(kind, str(deep_get(document, "metadata.name", "")), typos))


def _status_of(document: dict[str, Any]) -> dict[str, Any]:
    status = document.get("status")
    return status if isinstance(status, dict) else {}


def _namespace_of(namespaced: bool, document: dict[str, Any]) -> str | None:
    """The document's namespace for a namespaced kind (``default`` when it names none, as kubectl)."""
    if not namespaced:
        return None
    return str(deep_get(document, "metadata.namespace", "") or "default")


def _holds(stored: Any, wanted: Any) -> bool:
    """Whether ``stored`` already has every field of ``wanted`` (a merge patch would change nothing)."""
    if isinstance(wanted, dict):
        return isinstance(stored, dict) and all(
            (key not in stored) if value is None else _holds(stored.get(key), value)
            for key, value in wanted.items()
        )
    return bool(stored == wanted)


def status_in_an_apply(document: dict[str, Any]) -> str:
    kind = document.get("kind") or "object"
    name = deep_get(document, "metadata.name", "")
    return (
        f"the {kind} {name!r} in the YAML has a status, which an apply never writes (the API server "
        "keeps status for DKP's controllers), so this step would drop it: to start the scenario from "
        "that state, write the object in `Given the cluster has:`, which seeds its status before the "
        "controllers run; otherwise remove the status block"
    )


def _require_name(document: dict[str, Any]) -> None:
    if not deep_get(document, "metadata.name", ""):
        kind = document.get("kind") or "object"
        raise ScenarioError(
            f"the {kind} in the YAML has no metadata.name: add one, e.g. metadata: {{name: module-one}}"
        )


def guard_shared(world: World, kind: str, name: str, document: dict[str, Any] | None = None) -> None:
    """On a shared cluster, skip writes that would reach beyond the scenario's own objects."""
    if not world.target.shared:
        return
    if (kind, name) in SINGLETONS:
        world.skip(
            f"changes the cluster-wide {kind} {name!r}, which every module on a shared cluster reads; "
            "such scenarios run on the simulator only"
        )
    if document is not None and (
        deep_get(document, "spec.update.windows") or deep_get(document, "spec.settings.update.windows")
    ):
        raise_skip(world, "update windows are judged by the cluster's own weekday and time of day")


def raise_skip(world: World, what: str) -> None:
    world.skip(needs_virtual_time(what).reason)


def placeholders(world: World) -> dict[str, str]:
    """Values of ``${REGISTRY}`` and, when the registry demands credentials, ``${DOCKER_CFG}``."""
    return world.placeholders()


@given("the cluster has:")
def seed_yaml(world: World, docstring: str) -> None:
    """Create or update the objects of the YAML docstring, status included (several documents, any kind).

    The scenario starts from these objects as written: a document's ``status`` is written through
    the status subresource before DKP's controllers run (as DKP's own controller tests seed their
    clients), so a ModuleRelease can start ``Deployed`` or a Module ``Ready``. Server-set fields
    written in the YAML (``resourceVersion``, ``uid``, ``creationTimestamp``, ``generation``, as
    DKP's test files carry them) are left to the API server, which sets its own.
    On a live cluster, a document with a status skips the scenario: DKP's controllers would
    rewrite it at once. ``${REGISTRY}`` stands for the scenario's registry (``host:port``).

    Example:
        Given the cluster has:
          \"\"\"
          apiVersion: deckhouse.io/v1alpha1
          kind: ModuleRelease
          metadata:
            name: module-one-v0.7.23
            labels:
              module: module-one
              source: example
          spec:
            moduleName: module-one
            version: 0.7.23
          status:
            phase: Deployed
          \"\"\"
    """
    apply_documents(world, seed_documents(world, docstring), seed_status=True)


def seed_documents(world: World, text: str, origin: Origin | None = None) -> list[dict[str, Any]]:
    """The documents of a seed, each number or boolean its kind's schema wants as text made text
    the way DKP's controller tests' Go decoding makes it.

    Those tests write ``from: 1.67``, ``to: 1.70`` (YAML numbers) where the CRD wants a string,
    which the API server refuses ("must be of type string"); ``sigs.k8s.io/yaml`` turns them into
    text from their value (:func:`harness.kube.go_yaml.string_field_text`): ``"1.67"`` and
    ``"1.7"``, as upstream's golden files show. A seed, meant to start a scenario from such a
    test's objects, takes them as the test does.
    """
    return [_schema_strings(world, document) for document in world.documents(text, origin)]


def _schema_strings(world: World, document: dict[str, Any]) -> dict[str, Any]:
    kind = str(document.get("kind", ""))
    if kind not in kinds.BY_KIND or kinds.BY_KIND[kind].api_version != document.get("apiVersion"):
        return document
    schema = world.schema_of(kind)
    return document if schema is None else _as_text(document, schema)


def _as_text(value: Any, schema: dict[str, Any]) -> Any:
    """``value`` with each number or boolean where ``schema`` wants text replaced by Go's text."""
    if schema.get("type") == "string" and isinstance(value, (bool, int, float)):
        return string_field_text(value)
    properties, items = schema.get("properties"), schema.get("items")
    if isinstance(value, dict) and isinstance(properties, dict):
        return {
            key: _as_text(item, properties[key] or {}) if key in properties else item
            for key, item in value.items()
        }
    if isinstance(value, list) and isinstance(items, dict):
        return [_as_text(item, items) for item in value]
    return value


@when("I apply:")
def apply_yaml(world: World, docstring: str) -> None:
    """Create or update the objects of the YAML docstring (several documents allowed, any kind).

    Like ``kubectl apply``, it writes what a user writes: a ``status`` block is refused (an
    apply never writes one); seed a status with ``Given the cluster has:``.
    ``${REGISTRY}`` stands for the scenario's registry (``host:port``).

    Example:
        When I apply:
          \"\"\"
          apiVersion: deckhouse.io/v1alpha1
          kind: ModuleConfig
          metadata:
            name: module-one
          spec:
            enabled: true
          \"\"\"
    """
    apply_documents(world, world.documents(docstring))


@given('the cluster has the objects of "{path}"')
def apply_file(world: World, path: str) -> None:
    """Apply a YAML file, given relative to the project root (placeholders work as in docstrings).

    A document's ``status`` is seeded as in ``Given the cluster has:``.

    Example:
        Given the cluster has the objects of "features/sources/example-source.yaml"
    """
    file = yaml_file(path)
    origin = Origin(f"the YAML file {path!r}", path)
    apply_documents(world, seed_documents(world, file.read_text(), origin), seed_status=True)


def yaml_file(path: str) -> Path:
    """The project's YAML file ``path`` names, or the scenario's error (the lint asks it too)."""
    file = ROOT / path
    try:
        # os.path.realpath: Path.resolve() raised RuntimeError for a symlink loop on Python 3.11
        inside = real_path(file).is_relative_to(ROOT)
    except (OSError, ValueError):  # a NUL byte
        inside = False
    if not inside:
        # An absolute path, "..", or a symlink out of the project: a scenario applies the
        # project's files, never the machine's (a kubeconfig, /etc/...).
        raise ScenarioError(
            f"YAML file {path!r} is outside the project ({ROOT}): put the file under the project "
            "and give its path relative to the project root, e.g. 'features/sources/example-source.yaml'"
        )
    if file.is_dir():
        raise ScenarioError(
            f"YAML file {path!r} is a folder: name one YAML file in it, "
            "e.g. 'features/sources/example-source.yaml'"
        )
    if not file.is_file() and file.is_symlink():
        raise ScenarioError(
            f"YAML file {path!r} is a symbolic link that loops or leads to no file: point it at a YAML file"
        )
    if not file.is_file():
        raise ScenarioError(f"YAML file {path!r} not found: {_file_hint(file)}")
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ScenarioError(
            f"YAML file {path!r} has {size} bytes, more than the API server accepts in a request "
            f"({MAX_FILE_BYTES}): split it into smaller files"
        )
    return file


def _file_hint(file: Path) -> str:
    """The nearest YAML file beside the one the scenario named, and where paths start from."""
    folder = file.parent.resolve()
    names = sorted(p.name for p in folder.glob("*.y*ml")) if folder.is_dir() else []
    near = difflib.get_close_matches(file.name, names, n=1)
    start = f"paths are relative to {ROOT}"
    if near and folder.is_relative_to(ROOT):
        return f"did you mean {(folder / near[0]).relative_to(ROOT).as_posix()!r}? ({start})"
    return start


@when("I try to apply:")
def try_apply(world: World, docstring: str) -> None:
    """Apply YAML that the API server may refuse; the refusal is kept for the next step.

    Example:
        When I try to apply:
          \"\"\"
          apiVersion: deckhouse.io/v1alpha2
          kind: ModuleUpdatePolicy
          metadata:
            name: never
          spec:
            update:
              mode: Ignore
          \"\"\"
    """
    try:
        apply_documents(world, world.documents(docstring))
    except ApiError as exc:
        world.refusal = f"{exc.code} {exc.reason}: {exc.message}"
    else:
        world.refusal = None


@then('the API server refuses it with a message containing "{text}"')
def refused(world: World, text: str) -> None:
    """The last ``I try to apply`` was refused, and the refusal says ``text``.

    Example:
        Then the API server refuses it with a message containing "Unsupported value"
    """
    if world.refusal is None:
        raise AssertionError("the API server accepted the objects, expected a refusal")
    world.evidence.note(f"API server refusal: {world.refusal}")
    # On a real cluster the refusal names the scenario's objects by their tokened names, as every
    # other expected text of a check does (module-one is module-one-<token> there).
    expected = world.expect(text)
    if expected not in world.refusal:
        raise AssertionError(f"the refusal {world.refusal!r} does not contain {expected!r}")


@when('I annotate the {kind} "{name}" with {key}="{value}"')
def annotate(world: World, kind: str, name: str, key: str, value: str) -> None:
    """Set one annotation (like ``kubectl annotate --overwrite``).

    Example:
        When I annotate the ModuleRelease "module-one-v0.8.0" with modules.deckhouse.io/approved="true"
    """
    _merge(world, kind, name, {"metadata": {"annotations": {key: world.expect(value)}}})


@when('I approve the ModuleRelease "{name}"')
@given('I approve the ModuleRelease "{name}"')
def approve(world: World, name: str) -> None:
    """Approve a release as the page says: annotate it ``modules.deckhouse.io/approved="true"``.

    The same write as ``When I annotate the ModuleRelease "…" with
    modules.deckhouse.io/approved="true"``; to check that another key (the page's message quotes
    ``release.deckhouse.io/approved``) does not approve, annotate with that key instead.

    Example:
        When I approve the ModuleRelease "module-one-v0.7.24"
    """
    _merge(world, kinds.MODULE_RELEASE.kind, name, {"metadata": {"annotations": {APPROVED: "true"}}})


@when('I label the {kind} "{name}" with {key}="{value}"')
def label(world: World, kind: str, name: str, key: str, value: str) -> None:
    """Set one label.

    Example:
        When I label the ModuleRelease "module-one-v0.8.0" with example.com/team="qa"
    """
    _merge(world, kind, name, {"metadata": {"labels": {key: world.expect(value)}}})


PATCH = "the fields to change, as a YAML mapping from the object's top (e.g. spec:, metadata:)"


@when('I patch the {kind} "{name}" with:')
def patch(world: World, kind: str, name: str, docstring: str) -> None:
    """Merge-patch the object with the YAML docstring (``null`` removes a field).

    Example:
        When I patch the ModuleConfig "module-one" with:
          \"\"\"
          spec:
            source: other
          \"\"\"
    """
    document = world.one_document(docstring, PATCH)
    _known_patch_fields(world, kind, name, document)
    _merge(world, kind, name, document)


def _known_patch_fields(world: World, kind: str, name: str, document: dict[str, Any]) -> None:
    """A field the kind does not have in a patch is the scenario's typo (``updates:`` for
    ``update:``), judged as ``When I apply:`` judges one (:func:`_known_fields`): kubectl patch
    refuses it, where the API server alone would prune it and the scenario's next check would
    fail as an expectation not met. The patch is judged against the kind's served schema."""
    resolved = world.resource(kind).kind
    schema = world.schema_of(resolved)
    mistakes = unknown_fields(document, schema) if schema is not None else []
    if mistakes:
        raise ScenarioError(patch_refusal(resolved, name, mistakes))


@when('I delete the {kind} "{name}"')
def delete(world: World, kind: str, name: str) -> None:
    """Delete the object (finalizers may keep it, Terminating, until the controllers let go).

    Example:
        When I delete the ModuleSource "example"
    """
    guard_shared(world, kind, name)
    world.target.before_write()
    try:
        world.client.delete(world.resource(kind), world.name(name))
    except NotFound:
        raise WorldError(f"cannot delete {kind} {name!r}: it does not exist") from None
    world.settle()


@given('the ModuleConfig "{name}" enables the module')
@when('the ModuleConfig "{name}" enables the module')
def enable(world: World, name: str) -> None:
    """Shortcut for a ModuleConfig ``{name}`` with ``spec.enabled: true`` (created or patched).

    Example:
        When the ModuleConfig "module-one" enables the module
    """
    _config(world, name, {"enabled": True})


@when('the Deckhouse CLI enables the module "{name}"')
def cli_enable(world: World, name: str) -> None:
    """``deckhouse-controller module enable <name>`` in the leading Deckhouse pod, as the page
    runs it with ``kubectl exec``: it sets ``spec.enabled: true`` in the module's ModuleConfig,
    creating one when there is none.

    Example:
        When the Deckhouse CLI enables the module "module-one"
    """
    _cli(world, name, True)


@when('the Deckhouse CLI disables the module "{name}"')
def cli_disable(world: World, name: str) -> None:
    """``deckhouse-controller module disable <name>`` in the leading Deckhouse pod: it sets
    ``spec.enabled: false`` in the module's ModuleConfig, creating one when there is none.

    Example:
        When the Deckhouse CLI disables the module "module-one"
    """
    _cli(world, name, False)


def _cli(world: World, name: str, enabled: bool) -> None:
    cli = world.require(
        world.target.module_cli,
        "runs deckhouse-controller inside the Deckhouse pod, which this target does not do",
    )
    world.target.before_write()
    cli.set_enabled(world.name(name), enabled)
    world.settle()


@when('the ModuleConfig "{name}" disables the module')
def disable(world: World, name: str) -> None:
    """Shortcut: set ``spec.enabled: false`` in the ModuleConfig ``{name}``.

    Example:
        When the ModuleConfig "module-one" disables the module
    """
    _config(world, name, {"enabled": False})


def _config(world: World, name: str, spec: dict[str, Any]) -> None:
    document: Obj = {
        "apiVersion": kinds.MODULE_CONFIG.api_version,
        "kind": kinds.MODULE_CONFIG.kind,
        "metadata": {"name": world.name(name)},
        "spec": spec,
    }
    apply_documents(world, [document])


def _merge(world: World, kind: str, name: str, patch_body: dict[str, Any]) -> None:
    guard_shared(world, kind, name, patch_body)
    world.target.before_write()

    def attempt() -> None:
        try:
            world.client.patch(world.resource(kind), world.name(name), patch_body)
        except NotFound:
            raise WorldError(f"cannot change {kind} {name!r}: it does not exist") from None

    # On a real cluster the object may still be on its way (DKP makes releases at its next scan).
    world.check(attempt)
    world.settle()
