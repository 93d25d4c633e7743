"""Steps that check objects: partial match, phase and message shortcuts, release lists, absence.

On the simulator they read through the client after the last write settled, so there is nothing
to wait for; on a real cluster every Then step is retried until it holds or its deadline passes
(``World.check``). Expected texts are translated to the cluster's names first (``World.expect``).
On a mismatch the field-path diff and the objects' YAML go into the report's evidence before
failing.
"""

from __future__ import annotations

import difflib
from typing import Any

from harness.api import kinds
from harness.kube.objects import deep_get
from harness.steps.absence import missing_object
from harness.steps.catalogue import then
from harness.steps.errors import ScenarioError
from harness.steps.held_phase import held_phase_note
from harness.steps.matching import format_mismatches, match_subset
from harness.steps.phase_names import check_phase, check_phase_of, passing_phase_note
from harness.steps.schema_fields import match_refusal, unknown_fields
from harness.steps.tables import TableError, rows_as_dicts
from harness.steps.world import World, evidence_yaml

EXPECTED_FIELDS = "the fields to check, as a YAML mapping from the object's top (e.g. status:)"


@then('the {kind} "{name}" matches:')
def matches(world: World, kind: str, name: str, docstring: str) -> None:
    """The object contains the YAML docstring (a subset match; lists matched by ``type``/``name``).

    Fields not written are not checked; ``~`` means the field must be absent.

    Example:
        Then the Module "module-one" matches:
          \"\"\"
          status:
            phase: Available
            conditions:
            - type: IsReady
              status: "False"
              reason: NotInstalled
          \"\"\"
    """
    expected = world.one_document(docstring, EXPECTED_FIELDS)
    _known_fields(world, kind, expected)
    actual = world.find(kind, name)
    if actual is None:
        world.dump(kind, name)
        raise missing_object(world, kind, name)
    problems = match_subset(expected, actual, same_time=world.target.same_time)
    if problems:
        for problem in problems:
            world.evidence.diff(problem.path, problem.expected, problem.actual)
        world.dump(kind, name)
        note = world.target.time_note()
        raise AssertionError(
            f"{kind} {name!r} does not match:\n{format_mismatches(problems)}"
            + (f"\n  ({note})" if note else "")
        )


def _known_fields(world: World, kind: str, expected: object) -> None:
    """A field the kind does not have is a typo in the scenario, not a claim DKP misses."""
    schema = world.schema_of(kind)
    mistakes = unknown_fields(expected, schema) if schema is not None else []
    if mistakes:
        raise ScenarioError(match_refusal(kind, mistakes))


@then('the {kind} "{name}" is in phase "{phase}"')
def in_phase(world: World, kind: str, name: str, phase: str) -> None:
    """Shortcut for ``status.phase``.

    Example:
        Then the Module "module-one" is in phase "Ready"
    """
    check_phase(phase)
    check_phase_of(kind, phase)
    _field_is(world, kind, name, "status.phase", phase)


@then('the {kind} "{name}" has the message "{message:Any}"')
def has_message(world: World, kind: str, name: str, message: str) -> None:
    """Shortcut for ``status.message`` (exact text; ``""`` for an empty message).

    Example:
        Then the ModuleSource "example" has the message "Some errors occurred. Inspect status for details"
    """
    _field_is(world, kind, name, "status.message", world.expect(message))


@then('the {kind} "{name}" has a message containing "{text}"')
def message_contains(world: World, kind: str, name: str, text: str) -> None:
    """``status.message`` contains the text (for messages that carry addresses or times).

    Example:
        Then the ModuleRelease "module-one-v0.8.0" has a message containing "requirements are not satisfied"
    """
    obj = world.find(kind, name)
    if obj is None:
        raise missing_object(world, kind, name)
    message = str(deep_get(obj, "status.message", "") or "")
    text = world.expect(text)
    if text not in message:
        world.evidence.diff("status.message", text, message)
        world.dump(kind, name)
        raise AssertionError(f"{kind} {name!r}: status.message {message!r} does not contain {text!r}")


@then('the {kind} "{name}" has the annotation {key}="{value}"')
def has_annotation(world: World, kind: str, name: str, key: str, value: str) -> None:
    """``metadata.annotations[key]`` is exactly ``value`` (the check for ``I annotate …``; the
    ``matches:`` step needs the key quoted, as it holds dots and slashes).

    Example:
        Then the ModuleRelease "module-one-v0.7.23" has the annotation modules.deckhouse.io/apply-now="true"
    """
    annotations = _annotations(world, kind, name)
    expected = world.expect(value)
    if annotations.get(key) != expected:
        found = annotations.get(key)
        world.evidence.diff(f"metadata.annotations[{key}]", expected, found)
        world.dump(kind, name)
        shown = "absent" if found is None else _quoted(found)
        keys = ", ".join(sorted(annotations)) if found is None and annotations else ""
        raise AssertionError(
            f"{kind} {name!r}: annotation {key} is {shown}, expected {_quoted(expected)}"
            + (f" (its annotations: {keys})" if keys else "")
        )


@then('the {kind} "{name}" has no annotation {key}')
def lacks_annotation(world: World, kind: str, name: str, key: str) -> None:
    """``metadata.annotations`` has no ``key``: an annotation DKP removes after acting on it
    (``modules.deckhouse.io/force``, ``…/reinstall``).

    Example:
        Then the ModuleRelease "module-one-v0.8.0" has no annotation modules.deckhouse.io/force
    """
    annotations = _annotations(world, kind, name)
    if key in annotations:
        world.evidence.diff(f"metadata.annotations[{key}]", None, annotations[key])
        world.dump(kind, name)
        found = _quoted(annotations[key])
        raise AssertionError(f"{kind} {name!r}: annotation {key} is {found}, expected none")


def _annotations(world: World, kind: str, name: str) -> dict[str, object]:
    obj = world.find(kind, name)
    if obj is None:
        raise missing_object(world, kind, name)
    return dict(deep_get(obj, "metadata.annotations", {}) or {})


@then('the {kind} "{name}" has the condition "{condition}" with status "{status}"')
def has_condition(world: World, kind: str, name: str, condition: str, status: str) -> None:
    """The ``status.conditions`` entry of that ``type`` has that ``status`` (``True``, ``False``
    or ``Unknown``); to check its ``reason`` or ``message`` too, use ``matches:``. The status must
    be that text (a boolean ``true`` is not ``"True"``); conditions that are no list are named.

    Example:
        Then the Module "module-one" has the condition "IsReady" with status "True"
    """
    obj = world.find(kind, name)
    if obj is None:
        raise missing_object(world, kind, name)
    written = deep_get(obj, "status.conditions", []) or []
    if not isinstance(written, list):  # a seeded or foreign object: say what is there
        world.dump(kind, name)
        raise AssertionError(f"{kind} {name!r}: status.conditions is {written!r}, not a list of conditions")
    conditions = [c for c in written if isinstance(c, dict)]
    found = next((c for c in conditions if c.get("type") == condition), None)
    if found is not None and found.get("status") == status:  # a boolean true is not "True"
        return
    world.dump(kind, name)
    if found is None:
        types = ", ".join(_condition_type(c) for c in conditions) or "none"
        raise AssertionError(f"{kind} {name!r} has no condition {condition!r} (its conditions: {types})")
    world.evidence.diff(f"status.conditions[{condition}].status", status, found.get("status"))
    detail = ", ".join(f"{k} {_quoted(found[k])}" for k in ("reason", "message") if found.get(k))
    raise AssertionError(
        f"{kind} {name!r}: condition {condition} has status {_quoted(found.get('status'))}, "
        f"expected {_quoted(status)}" + (f" ({detail})" if detail else "")
    )


@then('the releases of module "{module}" are:')
def releases_are(world: World, module: str, datatable: list[list[str]]) -> None:
    """Exactly these ModuleReleases of the module exist (by name); the other columns are checked.

    Columns: ``name`` (required), ``phase``, ``message`` (exact; empty cell = empty message).

    Example:
        Then the releases of module "module-one" are:
          | name               | phase      |
          | module-one-v0.7.23 | Superseded |
          | module-one-v0.7.24 | Deployed   |
    """
    rows = rows_as_dicts(datatable)
    _check_release_columns(datatable[0])
    expected = [{k: world.expect(v) for k, v in row.items()} for row in rows]
    actual = {str(r["metadata"]["name"]): r for r in world.releases_of(module)}
    lines: list[str] = []
    wanted = [row["name"] for row in expected]
    if sorted(wanted) != sorted(actual):
        lines.append(f"releases are {sorted(actual) or 'none'}, expected {sorted(wanted)}")
    for row in expected:
        release = actual.get(row["name"])
        if release is None:
            continue
        for column, path in (("phase", "status.phase"), ("message", "status.message")):
            if column in row and str(deep_get(release, path, "") or "") != row[column]:
                found = deep_get(release, path, "")
                world.evidence.diff(f"{row['name']}.{path}", row[column], found)
                lines.append(f"{row['name']}: {path} is {found!r}, expected {row[column]!r}")
    if lines:
        for name in actual:
            world.evidence.objects_yaml(f"{kinds.MODULE_RELEASE.kind}/{name}", evidence_yaml(actual[name]))
        raise AssertionError(f"releases of module {module!r} differ:\n  - " + "\n  - ".join(lines))


_RELEASE_COLUMNS = ("name", "phase", "message")


def _check_release_columns(header: list[str]) -> None:
    """A mistyped column would otherwise be skipped silently, and the step could never fail on it."""
    columns = [cell.strip() for cell in header]
    for column in columns:
        if column not in _RELEASE_COLUMNS:
            near = difflib.get_close_matches(column.lower(), _RELEASE_COLUMNS, n=1)
            hint = f"did you mean {near[0]!r}? " if near else ""
            raise TableError(
                f"unknown column {column!r} in the release table ({hint}the columns are: "
                f"{', '.join(_RELEASE_COLUMNS)})"
            )
    if "name" not in columns:
        raise TableError("the release table needs a name column, e.g. | name | phase |")


@then('no ModuleRelease of module "{module}" exists')
def no_release(world: World, module: str) -> None:
    """No ModuleRelease has ``spec.moduleName`` equal to the module.

    Example:
        Then no ModuleRelease of module "module-two" exists
    """
    names = [str(r["metadata"]["name"]) for r in world.releases_of(module)]
    if names:
        raise AssertionError(f"module {module!r} has releases {names}, expected none")


@then('the {kind} "{name}" does not exist')
def absent(world: World, kind: str, name: str) -> None:
    """The object is gone (or was never created).

    Example:
        Then the Module "module-two" does not exist
    """
    if world.find(kind, name) is not None:
        world.dump(kind, name)
        raise AssertionError(f"{kind} {name!r} exists, expected it not to")


def _field_is(world: World, kind: str, name: str, path: str, expected: str) -> None:
    obj = world.find(kind, name)
    if obj is None:
        raise missing_object(world, kind, name)
    actual = deep_get(obj, path, "")
    if str(actual or "") != expected:
        world.evidence.diff(path, expected, actual)
        world.dump(kind, name)
        note = _phase_note(world, kind, name, actual, expected) if path == "status.phase" else ""
        raise AssertionError(
            f"{kind} {name!r}: {path} is {_quoted(actual)}, expected {_quoted(expected)}"
            + (f"\n  ({note})" if note else "")
        )


def _phase_note(world: World, kind: str, name: str, actual: object, expected: str) -> str:
    """Why the object may not be in the phase yet: held by its releases, or time not let pass."""
    return held_phase_note(world, kind, name, str(actual or "")) or passing_phase_note(
        actual, expected, world.target.time_mode
    )


def _condition_type(condition: dict[str, Any]) -> str:
    found = condition.get("type")
    return "one without type" if found in (None, "") else str(found)


def _quoted(value: object) -> str:
    """A value as the scenario would write it: text in double quotes with nothing escaped; any
    other value as Python shows it. Python's repr escaped DKP's approval message (it holds both
    kinds of quotes) with backslashes, which authors then copied into their steps."""
    return f'"{value}"' if isinstance(value, str) else repr(value)
