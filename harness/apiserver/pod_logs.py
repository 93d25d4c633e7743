"""``pods/log``: a container's log with kubelet's options (tail, bytes, since, timestamps, follow).

The log comes from the cluster's :data:`~harness.apiserver.request.LogSource`: plain text, or a
:class:`PodLog` whose lines carry the instant they were written (the simulated Deckhouse's JSON
lines carry it in ``time``) and which can follow new lines. With instants, the options mean what
they mean on a kubelet (``pkg/kubelet/kuberuntime/logs/logs.go``):

- ``sinceSeconds`` / ``sinceTime``: only lines written at or after ``now - sinceSeconds`` (the
  cluster's clock) or ``sinceTime``; ``tailLines`` then keeps the last lines of those;
- ``timestamps``: each line starts with its instant, ``2006-01-02T15:04:05.000000000Z``, and a
  space;
- ``follow``: after the lines so far, new lines are sent as they are written, until the client
  leaves or the log closes (the cluster stops); ``limitBytes`` bounds the whole answer.

Options are checked as ``ValidatePodLogOptions`` checks them: a 422 on ``PodLogOptions`` naming
every bad field. A plain-text source has no instants: ``since*`` and ``timestamps`` are checked
but change nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from harness.apiserver.options import query_int
from harness.apiserver.pod_exec import pod_container
from harness.apiserver.request import Backend, LogLine, Request, Response
from harness.kube.errors import BadRequest, Cause, Invalid, NotFound
from harness.kube.objects import Obj

__all__ = ["pod_log"]

_TIME_OUT = "%Y-%m-%dT%H:%M:%S.{nanos:09d}Z"


@dataclass(frozen=True)
class _Options:
    tail_lines: int | None
    limit_bytes: int | None
    since: datetime | None
    timestamps: bool
    follow: bool


def pod_log(b: Backend, req: Request) -> Response:
    if req.rt.resource.plural != "pods":
        raise NotFound("the server could not find the requested resource")
    options = _options(req, b.clock.now)
    namespace = req.namespace or ""
    pod = b.store.get(req.rt, namespace, req.name or "")
    container = pod_container(pod, req.query.get("container"))
    found = b.log_source(namespace, req.name or "", container) if b.log_source else ""
    _check_state(pod, container, req.flag("previous"), has_log=found != "")
    log = found if not isinstance(found, str) else _PlainText(found)
    kept = [line for line in log.lines() if _kept(line, options.since)]
    if options.tail_lines is not None:
        kept = kept[len(kept) - options.tail_lines :] if options.tail_lines else []
    text = "".join(_render(line, options.timestamps) for line in kept)
    more = log.follow() if options.follow else None
    if more is None:
        if options.limit_bytes is not None:
            text = text.encode()[: options.limit_bytes].decode(errors="ignore")
        return Response(200, text, content_type="text/plain")
    rendered = (_render(line, options.timestamps) for line in more if _kept(line, options.since))
    return Response(
        200,
        None,
        content_type="text/plain",
        stream=_bounded(text, rendered, options.limit_bytes),
        on_disconnect=getattr(more, "cancel", None),  # a client gone ends the wait for lines
    )


def _kept(line: LogLine, since: datetime | None) -> bool:
    return since is None or line.time is None or line.time >= since


def _render(line: LogLine, timestamps: bool) -> str:
    if not timestamps or line.time is None:
        return line.text + "\n"
    moment = line.time.strftime(_TIME_OUT.format(nanos=line.time.microsecond * 1000))
    return f"{moment} {line.text}\n"


def _bounded(first: str, more: Iterator[str], limit: int | None) -> Iterator[str]:
    """``first``, then ``more`` as it comes, cut at ``limit`` bytes in all (then the stream ends)."""
    left = limit
    for chunk in _chain(first, more):
        if left is not None:
            data = chunk.encode()[:left]
            left -= len(data)
            chunk = data.decode(errors="ignore")
        if chunk:
            yield chunk
        if left is not None and left <= 0:
            close = getattr(more, "close", None)
            if close is not None:
                close()
            return


def _chain(first: str, more: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from more


class _PlainText:
    """A log given as text: lines with no instant, not followable."""

    def __init__(self, text: str) -> None:
        self._text = text

    def lines(self) -> Sequence[LogLine]:
        return [LogLine(None, line) for line in self._text.splitlines()]

    def follow(self) -> Iterator[LogLine] | None:
        return None


def _options(req: Request, now: Callable[[], datetime]) -> _Options:
    """The options, checked as ``ValidatePodLogOptions`` checks them."""
    query = req.query
    tail_lines = query_int(query, "tailLines")
    limit_bytes = query_int(query, "limitBytes")
    since_seconds = query_int(query, "sinceSeconds")
    since_time = _since_time(query.get("sinceTime", ""))
    causes = []
    if tail_lines is not None and tail_lines < 0:
        causes.append(_cause("tailLines", tail_lines, "must be greater than or equal to 0"))
    if limit_bytes is not None and limit_bytes < 1:
        causes.append(_cause("limitBytes", limit_bytes, "must be greater than 0"))
    if since_seconds is not None and since_time is not None:
        message = "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"
        causes.append(Cause("FieldValueForbidden", message, ""))
    elif since_seconds is not None and since_seconds < 1:
        causes.append(_cause("sinceSeconds", since_seconds, "must be greater than 0"))
    if causes:
        parts = [f"{c.field}: {c.message}" if c.field else c.message for c in causes]
        detail = parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"
        name = req.name or ""
        raise Invalid(
            f'PodLogOptions "{name}" is invalid: {detail}', name=name, kind="PodLogOptions", causes=causes
        )
    since = since_time
    if since_seconds is not None:
        since = now() - timedelta(seconds=min(since_seconds, 10**10))
    return _Options(tail_lines, limit_bytes, since, req.flag("timestamps"), req.flag("follow"))


def _check_state(pod: Obj, container: str, previous: bool, *, has_log: bool) -> None:
    """kubelet's refusals: no earlier container to show (the simulated ones never restart), or a
    container that has not started (a pod nothing runs, no kubelet reported running, no log)."""
    name = str(pod.get("metadata", {}).get("name", ""))
    if previous:
        raise BadRequest(f'previous terminated container "{container}" in pod "{name}" not found')
    if not has_log and (pod.get("status") or {}).get("phase", "Pending") == "Pending":
        raise BadRequest(f'container "{container}" in pod "{name}" is waiting to start: ContainerCreating')


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
"""Go's ``time.RFC3339`` layout as its parser takes it (fractional seconds allowed)."""


def _since_time(text: str) -> datetime | None:
    """``sinceTime`` as RFC 3339; anything else is the 400 kube-apiserver's decoder answers
    (Python's ``fromisoformat`` alone would take ``20241216T090000Z`` or ``2024-W51-1``)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00")) if _RFC3339.match(text) else None
    except ValueError:
        moment = None
    if moment is None:
        raise BadRequest(
            f'parsing time "{text}" as "2006-01-02T15:04:05Z07:00": cannot parse "{text}" as "2006"'
        )
    return moment


def _cause(field: str, value: int, message: str) -> Cause:
    return Cause("FieldValueInvalid", f"Invalid value: {value}: {message}", field)
