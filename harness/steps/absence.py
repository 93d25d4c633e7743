"""What a check says when the object it reads does not exist.

DKP creates a Module for each module a ModuleSource's scan finds; the user creates none. So a
Module that "does not exist" is almost always a source problem in the scenario: no ModuleSource
at all, or one whose scan failed (the page's ModuleSource pointed at the scenario's plain-HTTP
registry without ``scheme: HTTP`` is refused with Go's "server gave HTTP response to HTTPS
client"). The bare sentence "Module 'module-one' does not exist" sent new authors looking at
DKP; the message now says what the scenario's sources say, and the fix where it is known. A
ModuleRelease that is not there gets the name spelt most like it and the ones there are
(:func:`release_hint`).
"""

from __future__ import annotations

import difflib
from typing import Any, Protocol

from harness.api import kinds

__all__ = ["missing_object", "release_hint", "source_hint"]

_HTTPS_TO_HTTP = "server gave HTTP response to HTTPS client"
_EXAMPLE_SOURCE = 'Given the cluster has the objects of "features/sources/example-source.yaml"'


class _Names(Protocol):
    @property
    def active(self) -> bool: ...
    def owns(self, cluster_name: str) -> bool: ...


class _Resource(Protocol):
    @property
    def kind(self) -> str: ...


class _World(Protocol):
    """The part of :class:`harness.steps.world.World` read here."""

    @property
    def names(self) -> _Names: ...
    def resource(self, kind: str) -> _Resource: ...
    def list_objects(self, kind: str) -> list[Any]: ...


def missing_object(world: _World, kind: str, name: str) -> AssertionError:
    """The failure of a check whose ``kind`` ``name`` is not there; for a Module, with what the
    scenario's ModuleSources say (see the module docstring)."""
    sentence = f"{kind} {name!r} does not exist"
    resolved = world.resource(kind).kind
    if resolved == kinds.MODULE.kind:
        return AssertionError(sentence + source_hint(_own(world, kinds.MODULE_SOURCE.kind)))
    if resolved == kinds.MODULE_RELEASE.kind:
        return AssertionError(sentence + release_hint(name, _own(world, kinds.MODULE_RELEASE.kind)))
    return AssertionError(sentence)


def _own(world: _World, kind: str) -> list[dict[str, Any]]:
    """The objects of ``kind`` this scenario made: on a shared cluster, only those carrying its
    token (other people's objects and their messages are none of its business)."""
    found = [o for o in world.list_objects(kind) if isinstance(o, dict)]
    if not world.names.active:
        return found
    return [o for o in found if world.names.owns(str(o.get("metadata", {}).get("name", "")))]


_LISTED = 10


def release_hint(name: str, releases: list[dict[str, Any]]) -> str:
    """Indented lines for a ModuleRelease that is not there: the name spelt most like it (a
    release name typed without its ``v``, ``module-one-0.7.24``) and the ones there are, or when
    DKP makes one at all. DKP names a release ``<module>-v<version>``; kubectl's NotFound said
    no more than the step did."""
    names = sorted(str(r.get("metadata", {}).get("name", "")) for r in releases)
    if not names:
        return (
            "\n  no ModuleRelease exists: DKP makes one when a source's scan finds a version of an "
            "enabled module (a ModuleConfig with spec.enabled: true, then time let pass)"
        )
    near = difflib.get_close_matches(name, names, n=1)
    shown = ", ".join(names[:_LISTED]) + (f" and {len(names) - _LISTED} more" if len(names) > _LISTED else "")
    hint = f"did you mean {near[0]!r}? " if near else ""
    return f"\n  {hint}the ModuleReleases there are: {shown}"


def source_hint(sources: list[dict[str, Any]]) -> str:
    """Indented lines saying why no source offered the module: none exists, or each source's
    message and the modules it does offer."""
    if not sources:
        return (
            "\n  no ModuleSource exists: DKP creates a Module for each module a ModuleSource's scan "
            f"finds; add one before this step, e.g. `{_EXAMPLE_SOURCE}`"
        )
    return "".join(_source_line(source) for source in sources)


def _source_line(source: dict[str, Any]) -> str:
    name = str(source.get("metadata", {}).get("name", ""))
    status = source.get("status") or {}
    message = str(status.get("message") or "")
    offered = [str(m.get("name")) for m in status.get("modules") or [] if isinstance(m, dict)]
    if offered:
        line = f"\n  ModuleSource {name!r} offers {', '.join(offered)}"
    else:
        line = f"\n  ModuleSource {name!r} found no module"
    if message:
        line += f"; its status.message: {message}"
    if _HTTPS_TO_HTTP in message:
        line += (
            "\n  the scenario's registry speaks plain HTTP: add `scheme: HTTP` under spec.registry "
            "(as features/sources/example-source.yaml does)"
        )
    return line
