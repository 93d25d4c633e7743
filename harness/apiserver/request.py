"""The transport-neutral request and response the handlers work on.

The HTTP server decodes a socket request into a :class:`Request`; the in-process client builds
one directly. Both get a :class:`Response` back from the same handler, so both paths share one
set of semantics. Bodies are Python values; only the HTTP layer encodes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from harness.apiserver.admission import Admission
from harness.apiserver.catalog import Catalog, ResourceType
from harness.apiserver.duplicate_fields import Duplicates
from harness.apiserver.faults import Faults
from harness.apiserver.leaf_repeat import Repeats
from harness.apiserver.on_demand import OnDemand
from harness.apiserver.preinstalled import Preinstalled
from harness.apiserver.remotecommand import ExecRunner
from harness.apiserver.storage import Store
from harness.apiserver.watch import EventLog
from harness.clock import Clock
from harness.kube.errors import ApiError

__all__ = ["Backend", "LogLine", "LogSource", "PodLog", "Request", "Response", "query_flag"]


@dataclass(frozen=True)
class LogLine:
    """One line of a container's log (no newline) and the instant it was written."""

    time: datetime | None
    text: str


class PodLog(Protocol):
    """A container's log as the cluster keeps it."""

    def lines(self) -> Sequence[LogLine]: ...

    def follow(self) -> Iterator[LogLine] | None:
        """The lines written after :meth:`lines`' as they come, ending when the log closes; None
        when this log cannot be followed (the answer then ends with the lines so far). An
        iterator with a ``cancel()`` method is ended by it when the client goes."""
        ...


LogSource = Callable[[str, str, str], "str | PodLog"]
"""``(namespace, pod, container)`` → the container's log: text, or a :class:`PodLog`."""


def query_flag(query: Mapping[str, str], key: str) -> bool:
    """A boolean query parameter as kube-apiserver converts it (``Convert_Slice_string_To_bool``):
    absent is false, ``0``, ``f`` and ``false`` (any case) are false, anything else is true."""
    value = query.get(key)
    return value is not None and value.lower() not in ("0", "f", "false")


@dataclass
class Request:
    """One API call on one resource type.

    ``body_owned`` says the body is the handler's to keep and change: the in-process client sets it
    when it made the body itself, a deep copy of a copy-on-write view (:func:`~harness.apiserver
    .cow.thaw`), so the handler does not copy it a second time. Any other body (a caller's plain
    dict, a decoded HTTP body, whose YAML aliases may share containers) is copied first.
    """

    verb: str
    rt: ResourceType
    namespace: str | None = None
    name: str | None = None
    subresource: str | None = None
    body: Any = None
    query: Mapping[str, str] = field(default_factory=dict)
    accept: str = ""
    content_type: str = ""
    user_agent: str = ""
    user: str = "kubernetes-admin"
    """Who makes the request: the token's admin over HTTP, the name an in-process client was made
    with (the simulated Deckhouse's service account); admission policies read it."""
    body_owned: bool = False
    commands: tuple[str, ...] = ()
    """Every ``command`` query parameter, in order (``exec`` repeats it: one per argument)."""
    duplicates: Duplicates = field(default_factory=Duplicates)
    """The keys the body repeated (the decoded body keeps the last of each), for ``fieldValidation``."""
    user_info: Mapping[str, Any] | None = None
    """The authenticated user (``username``, ``uid``, ``groups``, ``extra``) when it is not the
    admin: a service account's token (:mod:`harness.apiserver.token_requests`)."""
    body_error: ApiError | None = None
    """A patch body that is no JSON: refused once the object it patches is found, as kube-apiserver's
    patch handler parses the patch only then (a missing object is a ``404`` first)."""

    def flag(self, key: str) -> bool:
        return query_flag(self.query, key)

    @property
    def dry_run(self) -> bool:
        return self.query.get("dryRun") == "All"


@dataclass
class Response:
    """A handler result: ``body`` is a JSON value, text (``text/plain``) or a stream of watch events."""

    status: int
    body: Any
    content_type: str = "application/json"
    warnings: list[str] = field(default_factory=list)
    stream: Iterator[dict[str, Any]] | Iterator[str] | None = None
    """Watch events (JSON lines), or text chunks (a followed log), sent as they come."""
    on_disconnect: Callable[[], None] | None = None
    """For a stream that may wait long for its next chunk (a followed log): what ends the wait
    when the client goes (:mod:`harness.apiserver.disconnects`)."""
    unstructured: bool = False
    """The body (or each watch event's object) is a custom resource as apiextensions-apiserver
    writes one: an ``unstructured`` Go map, which ``encoding/json`` writes with its keys sorted
    at every level (``apiVersion``, ``items``, ``kind``, ``metadata`` for a list)."""
    upgrade: Callable[..., None] | None = None
    """A session to run on the connection once it is upgraded to a WebSocket (``pods/exec``):
    called with the negotiated subprotocol, the connection's read and write, and a setter of its
    read timeout (None: back to the server's)."""


@dataclass
class Backend:
    """Everything the handlers need; owned by :class:`harness.apiserver.ApiServer`."""

    catalog: Catalog
    store: Store
    log: EventLog
    faults: Faults
    clock: Clock
    log_source: LogSource | None = None
    exec_runner: ExecRunner | None = None
    """Runs a ``pods/exec`` command (the cluster's); None refuses exec with what to do instead."""
    admission: Admission = field(default_factory=Admission)
    """Validating webhooks (``harness.apiserver.admission``), called before a write is stored."""
    repeats: Repeats = field(default_factory=Repeats)
    """The ``/status`` leaf write of each object that may be repeated without its analysis."""
    preinstalled: Preinstalled = field(default_factory=Preinstalled)
    """Objects a cluster has from the start (nodes, ``default/kubernetes``), stored on demand."""
    on_demand: OnDemand = field(default_factory=OnDemand)
    """Objects brought up to date before a request for their resource (renewed Leases)."""
