"""What a check says when the object it reads does not exist.

DKP creates a Module for each module a ModuleSource's scan finds; the user creates none. So a
Module that "does not exist" is almost always a source problem in the scenario: no ModuleSource
at all, or one whose scan failed (the page's ModuleSource pointed at the scenario's plain-HTTP
registry without ``scheme: HTTP`` is refused with Go's "server gave HTTP response to HTTPS
client"). The bare sentence "Module 'module-one' does not exist" sent new authors looking at
DKP; the message now says what the scenario's sources say, and the fix where it is known.
"""

from __future__ import annotations

from typing import Any, Protocol

from harness.api import kinds

__all__ = ["missing_object"]

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
    if world.resource(kind).kind != kinds.MODULE.kind:
        return AssertionError(sentence)
    return AssertionError(sentence + source_hint(_own_sources(world)))


def _own_sources(world: _World) -> list[dict[str, Any]]:
    """The ModuleSources this scenario made: on a shared cluster, only those carrying its token
    (other people's sources and their messages are none of its business)."""
    sources = [s for s in world.list_objects(kinds.MODULE_SOURCE.kind) if isinstance(s, dict)]
    if not world.names.active:
        return sources
    return [s for s in sources if world.names.owns(str(s.get("metadata", {}).get("name", "")))]


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
