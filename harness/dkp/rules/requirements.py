"""The requirements check of a ModuleRelease against the running cluster.

docs/dkp-behaviour.md §5.6, re-read from ``releaseupdater/requirements_checker.go`` and the
``go_lib/dependency/extenders`` it delegates to. A release may require a Deckhouse version, a
Kubernetes version and versions of other modules. DKP checks them in that order and **stops at
the first failure** (``CheckModuleReleaseRequirements`` returns early), and for a version
constraint it reports only the library's first error. So the reason list has at most one entry
per call; it is still a list because the Pending message is the reasons joined with ``;``.

Texts follow era E2 (``requirements are not satisfied: current deckhouse version is not
suitable: 1.0.0 is less than or equal to v1.63.0``) up to Deckhouse v1.74; from v1.75
:func:`pending_message` adds the E3 wrapping (``check module release requirements: validate
release: …``, :func:`e3_message`) when the cluster's behaviours say so. The E3 ``bootstrapped``
requirement is not modelled: the simulated cluster is always bootstrapped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from harness import eras
from harness.dkp.rules.versions import (
    InvalidConstraintError,
    InvalidVersionError,
    Version,
    parse_constraints,
    parse_version,
)

__all__ = [
    "CHECK_NAME",
    "NotMetReason",
    "ReleaseRequirements",
    "check_release_requirements",
    "e3_message",
    "pending_message",
]

CHECK_NAME = "deckhouse requirements check"
_E3_PREFIX = "check module release requirements: validate release: "


@dataclass(frozen=True)
class ReleaseRequirements:
    """``spec.requirements`` of a ModuleRelease; empty strings mean "no requirement"."""

    deckhouse: str = ""
    kubernetes: str = ""
    modules: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NotMetReason:
    reason: str
    message: str


def check_release_requirements(
    requirements: ReleaseRequirements,
    *,
    module_name: str,
    deckhouse_version: str,
    kubernetes_version: str,
    module_versions: Mapping[str, str] | None = None,
) -> list[NotMetReason]:
    """§5.6: the unmet requirement (at most one, DKP stops at the first), or an empty list.

    ``module_versions`` maps other module names to their installed version (``""`` = present but
    not deployed); a name missing from it is a module that does not exist.
    """
    failure = (
        _platform_failure("deckhouse", requirements.deckhouse, deckhouse_version)
        or _platform_failure("kubernetes", requirements.kubernetes, kubernetes_version)
        or _modules_failure(module_name, requirements.modules, module_versions or {})
    )
    return [NotMetReason(CHECK_NAME, failure)] if failure else []


def pending_message(
    reasons: Sequence[NotMetReason], behaviours: frozenset[eras.Behaviour] = frozenset()
) -> str:
    """The release's Pending message: the reasons' messages joined with ``;``.

    Deckhouse v1.75 and later (``Behaviour.REQUIREMENTS_MESSAGE_PREFIX``) wrap it as the current
    checker does, ``check module release requirements: validate release: …`` (upstream
    ``go_lib/dependency/extenders/extenders.go`` ``CheckModuleReleaseRequirements`` and the
    release controller's golden files; docs/dkp-eras.md). Earlier versions print it bare.
    """
    message = ";".join(reason.message for reason in reasons)
    if message and eras.Behaviour.REQUIREMENTS_MESSAGE_PREFIX in behaviours:
        return e3_message(message)
    return message


def e3_message(message: str) -> str:
    """The E3 shape of the same failure, as the newest goldens print it."""
    return _E3_PREFIX + message


def _platform_failure(what: str, constraint: str, current: str) -> str:
    if not constraint:
        return ""
    try:
        version = parse_version(current)
    except InvalidVersionError:
        return f"parse {what} version failed: Invalid Semantic Version"
    error = _first_constraint_error(constraint, version)
    if not error:
        return ""
    return f"requirements are not satisfied: current {what} version is not suitable: {error}"


def _first_constraint_error(constraint: str, version: Version) -> str:
    try:
        errors = parse_constraints(constraint).validate(version)
    except InvalidConstraintError as err:
        return str(err)
    return errors[0] if errors else ""


def _modules_failure(module_name: str, wanted: Mapping[str, str], installed: Mapping[str, str]) -> str:
    """The module-dependency extender: every problem collected, then one multi-error text."""
    problems = []
    for parent, constraint in wanted.items():
        if parent == module_name:
            continue  # a module never depends on itself; DKP drops such an entry with a warning
        problems.extend(_parent_problems(module_name, parent, constraint, installed))
    if not problems:
        return ""
    if len(problems) == 1:
        return f"1 error occurred: {problems[0]}"
    return f"{len(problems)} errors occurred: {'; '.join(sorted(problems))}"


def _parent_problems(
    module_name: str, parent: str, constraint: str, installed: Mapping[str, str]
) -> list[str]:
    try:
        parsed = parse_constraints(constraint)
    except InvalidConstraintError as err:
        return [f'could not validate the "{module_name}" module dependencies: {err}']
    if parent not in installed:
        return [f'could not get the "{parent}" module version: modules.deckhouse.io "{parent}" not found']
    if not installed[parent]:
        return [f'the "{parent}" module dependency is not deployed']
    try:
        version = parse_version(installed[parent])
    except InvalidVersionError:
        return [f'the "{module_name}" module dependency "{parent}" has unparsable version']
    # Pre-release and build parts are dropped before the comparison, as upstream does.
    errors = parsed.validate(Version(version.major, version.minor, version.patch))
    if not errors:
        return []
    return [
        f'the "{module_name}" module dependency "{parent}" does not meet the version constraint: {errors[0]}'
    ]
