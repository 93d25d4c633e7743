"""Steps that write objects: apply YAML, annotate, label, patch, delete, enable a module.

Writes go through the cluster's client and are followed by a settle, so the next step sees what
the controllers made of the change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.api import kinds
from harness.dkp.controllers.enable import set_module_enabled
from harness.kube.errors import ApiError, NotFound
from harness.kube.objects import Obj
from harness.registry.credentials import encode_docker_cfg
from harness.steps.catalogue import given, then, when
from harness.steps.documents import parse_documents
from harness.steps.world import World, WorldError

ROOT = Path(__file__).resolve().parents[3]


def apply_documents(world: World, documents: list[dict[str, Any]]) -> None:
    """Create each object, or merge its fields into the existing one (``kubectl apply``-like)."""
    for document in documents:
        resource = world.client.resolve(str(document.get("apiVersion", "")), str(document.get("kind", "")))
        name = str(document.get("metadata", {}).get("name", ""))
        if not name:
            raise WorldError(f"the {document.get('kind')} in the YAML has no metadata.name")
        try:
            world.client.get(resource, name)
        except NotFound:
            world.client.create(resource, document)
        else:
            world.client.patch(resource, name, document)
    world.settle()


def placeholders(world: World) -> dict[str, str]:
    """Values of ``${REGISTRY}`` and, when the registry demands credentials, ``${DOCKER_CFG}``."""
    values = {"REGISTRY": world.cluster.registry}
    credentials = world.options.credentials
    if credentials is not None:
        values["DOCKER_CFG"] = encode_docker_cfg(world.cluster.registry, credentials)
    return values


@given("the cluster has:")
@when("I apply:")
def apply_yaml(world: World, docstring: str) -> None:
    """Create or update the objects of the YAML docstring (several documents allowed, any kind).

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
    apply_documents(world, parse_documents(docstring, placeholders(world)))


@given('the cluster has the objects of "{path}"')
def apply_file(world: World, path: str) -> None:
    """Apply a YAML file, given relative to the project root (placeholders work as in docstrings).

    Example:
        Given the cluster has the objects of "features/sources/example-source.yaml"
    """
    file = ROOT / path
    if not file.is_file():
        raise WorldError(f"YAML file {path!r} not found: give a path relative to {ROOT}")
    apply_documents(world, parse_documents(file.read_text(), placeholders(world)))


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
        apply_documents(world, parse_documents(docstring, placeholders(world)))
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
    if text not in world.refusal:
        raise AssertionError(f"the refusal {world.refusal!r} does not contain {text!r}")


@when('I annotate the {kind} "{name}" with {key}="{value}"')
def annotate(world: World, kind: str, name: str, key: str, value: str) -> None:
    """Set one annotation (like ``kubectl annotate --overwrite``).

    Example:
        When I annotate the ModuleRelease "module-one-v0.8.0" with modules.deckhouse.io/approved="true"
    """
    _merge(world, kind, name, {"metadata": {"annotations": {key: value}}})


@when('I label the {kind} "{name}" with {key}="{value}"')
def label(world: World, kind: str, name: str, key: str, value: str) -> None:
    """Set one label.

    Example:
        When I label the ModuleRelease "module-one-v0.8.0" with modules.deckhouse.io/update-policy="gone"
    """
    _merge(world, kind, name, {"metadata": {"labels": {key: value}}})


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
    [document] = parse_documents(docstring, placeholders(world))[:1]
    _merge(world, kind, name, document)


@when('I delete the {kind} "{name}"')
def delete(world: World, kind: str, name: str) -> None:
    """Delete the object (finalizers may keep it, Terminating, until the controllers let go).

    Example:
        When I delete the ModuleSource "example"
    """
    try:
        world.client.delete(world.resource(kind), name)
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
    """What ``deckhouse-controller module enable <name>`` in the Deckhouse pod does.

    Example:
        When the Deckhouse CLI enables the module "module-one"
    """
    set_module_enabled(world.client, name, True)
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
        "metadata": {"name": name},
        "spec": spec,
    }
    apply_documents(world, [document])


def _merge(world: World, kind: str, name: str, patch_body: dict[str, Any]) -> None:
    try:
        world.client.patch(world.resource(kind), name, patch_body)
    except NotFound:
        raise WorldError(f"cannot change {kind} {name!r}: it does not exist") from None
    world.settle()
