"""Steps that shape the OCI registry the ModuleSources read: modules, versions, channels, faults of content.

The registry is a real registry process (the simulator's own, or the one given with
``--registry``); these steps push images in DKP's layout (``<repo>:<module>``,
``<repo>/<module>:v<ver>``, ``<repo>/<module>/release:<channel>``). On a shared cluster the
repository and the module names carry the scenario's token (:mod:`harness.target.naming`).
"""

from __future__ import annotations

import base64
import contextlib
import difflib
import re
import secrets
from collections.abc import Iterator
from typing import Any

import yaml

from harness.registry.credentials import Credentials
from harness.registry.errors import RegistryError
from harness.registry.layout import channel_tag, check_module_name
from harness.registry.transport import PLAIN_HTTP_ANSWER
from harness.report.redaction import register_secret
from harness.steps.bounded_yaml import FIX, YamlLimitError, load_bounded
from harness.steps.catalogue import given, when
from harness.steps.documents import STEP_PLACEHOLDER
from harness.steps.errors import ScenarioError
from harness.steps.tables import TableError, rows_as_dicts
from harness.steps.world import World

DEFAULT_REPO = "deckhouse/modules"
COLUMNS = {
    "module",
    "version",
    "channels",
    "weight",
    "requires deckhouse",
    "requires kubernetes",
    "hook error",
    "repo",
    "settings schema",
    "accessibility",
    "validation",
}


@given("the registry has the modules:")
@when("the registry has the modules:")
@given("the registry publishes:")
@when("the registry publishes:")
def publish(world: World, datatable: list[list[str]]) -> None:
    """Publish module versions, one row each; only ``module`` and ``version`` are required.

    Columns: ``module``, ``version``, ``channels`` (comma-separated, e.g. ``stable, alpha``),
    ``weight``, ``requires deckhouse`` / ``requires kubernetes`` (constraints such as ``> v1.63.0``),
    ``hook error`` (text the module's hook fails with once installed), ``settings schema``
    (OpenAPI schema of the ModuleConfig settings, as a YAML flow mapping), ``accessibility``
    (``module.yaml`` editions as a YAML flow mapping, e.g.
    ``{ee: {available: true, enabledInBundles: [Default]}}``), ``validation`` (an SQL release gate,
    published as ``release/validations/10_validation.sql``; ``10_edition.sql: ASSERT …`` names the
    file), ``repo`` (default
    ``deckhouse/modules``). Rows are published top to bottom, so a later row on the same channel wins.

    Example:
        Given the registry has the modules:
          | module     | version | channels | weight |
          | module-one | v0.7.24 | stable   | 910    |
          | module-two | v1.2.3  | stable   |        |
    """
    for row in rows_as_dicts(datatable):
        _check_row(row)
        requirements = {
            key: row[f"requires {key}"] for key in ("deckhouse", "kubernetes") if row.get(f"requires {key}")
        }
        repo = row.get("repo") or DEFAULT_REPO
        module = world.name(row["module"])
        world.published(repo, module)
        with _scheme_hint(world):
            world.publisher(repo).publish(
                module,
                row["version"],
                channels=[c.strip() for c in row.get("channels", "").split(",") if c.strip()],
                weight=_weight(row.get("weight", "")),
                requirements=requirements or None,
                hook_error=row.get("hook error") or None,
                settings_schema=_schema(row.get("settings schema", "")),
                accessibility=_mapping_cell(row.get("accessibility", ""), "accessibility"),
                validations=_validation(row.get("validation", "")),
            )
    world.settle()


@contextlib.contextmanager
def _scheme_hint(world: World) -> Iterator[None]:
    """A registry given to the run that answers HTTPS with plain HTTP: say which option fixes it."""
    try:
        yield
    except RegistryError as exc:
        if PLAIN_HTTP_ANSWER not in str(exc) or world.target.kind == "simulator":
            raise
        raise RegistryError(
            f"{exc} (the registry given to the run speaks plain HTTP: add --registry-scheme http)"
        ) from exc


_VALIDATION_FILE = re.compile(r"^\s*([\w.-]+\.sql)\s*:\s*(.*)$", re.DOTALL)


def _validation(cell: str) -> dict[str, str] | None:
    """The ``validation`` cell as ``{file name: SQL}``: ``NAME.sql: SQL`` names the file."""
    if not cell.strip():
        return None
    named = _VALIDATION_FILE.match(cell)
    return {named[1]: named[2]} if named else {"10_validation.sql": cell}


def _check_row(row: dict[str, str]) -> None:
    """A mistyped header or an empty required cell is the scenario's mistake, not DKP's.

    It raises :class:`TableError` (not an assertion), so the report counts the scenario as
    "could not check" instead of as a claim that does not hold, and says which column was meant.
    """
    for column in sorted(set(row) - COLUMNS):
        near = difflib.get_close_matches(column, sorted(COLUMNS), n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        raise TableError(
            f"unknown column {column!r} in the module table ({hint}the columns are: "
            f"{', '.join(sorted(COLUMNS))})"
        )
    if not row.get("module") or not row.get("version"):
        raise TableError(
            "every row of the module table needs a module and a version, e.g. | module-one | v0.7.23 |"
        )
    _weight(row.get("weight", ""))
    try:
        check_module_name(row["module"])
    except ValueError as exc:
        raise TableError(f"the module cell: {exc}") from None


def _weight(text: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise TableError(f"the weight cell {text!r} is not a whole number, e.g. 910") from None


@given('the "{channel}" channel of module "{module}" moves to {version}')
@when('the "{channel}" channel of module "{module}" moves to {version}')
def move_channel(world: World, channel: str, module: str, version: str) -> None:
    """Point a release channel at another published version (the next scan sees it).

    Example:
        When the "stable" channel of module "module-one" moves to v0.8.0
    """
    world.publisher(DEFAULT_REPO).move_channel(world.name(module), channel, version)
    world.settle()


@given('the "{channel}" channel of module "{module}" is removed from the registry')
@when('the "{channel}" channel of module "{module}" is removed from the registry')
def remove_channel(world: World, channel: str, module: str) -> None:
    """Delete the release-channel tag ``<repo>/<module>/release:<channel>`` (the scan then fails on it).

    Example:
        When the "stable" channel of module "module-two" is removed from the registry
    """
    world.publisher(DEFAULT_REPO).remove_tag(f"{world.name(module)}/release", channel_tag(channel))
    world.settle()


@given('the module "{module}" is removed from the registry')
@when('the module "{module}" is removed from the registry')
def remove_module(world: World, module: str) -> None:
    """Delete the tag ``<repo>:<module>`` that lists the module, so sources no longer offer it.

    Example:
        When the module "module-two" is removed from the registry
    """
    world.publisher(DEFAULT_REPO).remove_tag("", world.name(module))
    world.settle()


@given('the "{channel}" channel of module "{module}" has a release without version.json')
@when('the "{channel}" channel of module "{module}" has a release without version.json')
def release_without_version(world: World, channel: str, module: str) -> None:
    """Publish a release-channel image that lacks ``version.json`` (malformed metadata).

    Example:
        Given the "stable" channel of module "module-one" has a release without version.json
    """
    world.published(DEFAULT_REPO, world.name(module))
    world.publisher(DEFAULT_REPO).push_release_without_version(world.name(module), channel)
    world.settle()


@given('the registry digest of module "{module}" at tag "{tag}" is ${placeholder}')
def name_digest(world: World, module: str, tag: str, placeholder: str) -> None:
    """Name the manifest digest of the module image ``<repo>/<module>:<tag>`` for later YAML.

    ``${DIGEST}`` (or ``${DIGEST_<WORD>}``) then stands for ``sha256:…`` in docstrings and seeded
    files, e.g. to seed a ModulePullOverride whose ``status.imageDigest`` says it already pulled
    that image, as DKP's override tests start (the digest is the registry's, so it cannot be
    written in advance). The image must be published first.

    Example:
        Given the registry digest of module "module-one" at tag "v0.7.24" is ${DIGEST}
    """
    placeholder = placeholder.removeprefix("{").removesuffix("}")  # the step reads "${DIGEST}"
    if not STEP_PLACEHOLDER.fullmatch(placeholder):
        raise ScenarioError(
            f"${{{placeholder}}} cannot name a digest: write ${{DIGEST}} or ${{DIGEST_<WORD>}}, "
            "e.g. ${DIGEST_OLD}"
        )
    try:
        world.named[placeholder] = world.publisher(DEFAULT_REPO).digest(world.name(module), tag)
    except RegistryError as exc:
        raise ScenarioError(
            f"module {module!r} has no image tagged {tag!r} in the registry ({exc}): publish it first "
            "with `the registry has the modules:`"
        ) from None


@given('the registry requires the credentials of user "{user}"')
def require_auth(world: World, user: str) -> None:
    """Start the registry with basic auth; ``${DOCKER_CFG}`` then holds a dockerCfg that works.

    The password is random and never printed: only the base64 dockerCfg placeholder carries it.
    It must come before any step that uses the cluster.

    Example:
        Given the registry requires the credentials of user "alice"
    """
    world.require_not_started("'the registry requires the credentials'")
    credentials = Credentials(user, secrets.token_urlsafe(12))
    # Redacted wherever they appear from now on, even where no pattern would recognise them.
    register_secret(credentials.password)
    register_secret(base64.b64encode(f"{user}:{credentials.password}".encode()).decode())
    world.options.credentials = credentials


def _schema(text: str) -> dict[str, Any] | None:
    if not text.strip():
        return None
    try:
        schema = load_bounded(text)
    except YamlLimitError as exc:
        raise TableError(f"the settings schema is refused: {exc.reason}; {FIX}") from None
    except yaml.YAMLError as exc:
        raise TableError(f"the settings schema {text!r} is not YAML: {exc}") from None
    if not isinstance(schema, dict):
        raise TableError(f"the settings schema must be a mapping, e.g. {{type: object}}, got {text!r}")
    return schema


def _mapping_cell(text: str, column: str) -> dict[str, Any] | None:
    if not text.strip():
        return None
    try:
        value = load_bounded(text)
    except YamlLimitError as exc:
        raise TableError(f"the {column} cell is refused: {exc.reason}; {FIX}") from None
    except yaml.YAMLError as exc:
        raise TableError(f"the {column} cell {text!r} is not YAML: {exc}") from None
    if not isinstance(value, dict):
        raise TableError(f"the {column} cell must be a YAML mapping, got {text!r}")
    return value
