"""Kubernetes API errors, as kube-apiserver reports them.

Every failure crosses the API boundary as a ``Status`` object; inside the harness it is an
:class:`ApiError` subclass, so the in-process client and the HTTP client raise the same thing::

    ApiError (any status)
    ├── BadRequest            400 BadRequest
    ├── Unauthorized          401 Unauthorized
    ├── Forbidden             403 Forbidden
    ├── NotFound              404 NotFound
    ├── MethodNotAllowed      405 MethodNotAllowed
    ├── AlreadyExists         409 AlreadyExists
    ├── Conflict              409 Conflict
    ├── Gone                  410 Gone (expired resourceVersion)
    ├── UnsupportedMediaType  415 UnsupportedMediaType
    ├── Invalid               422 Invalid (``causes`` carry field paths)
    └── InternalError         500 InternalError
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

__all__ = [
    "AlreadyExists",
    "ApiError",
    "BadRequest",
    "Cause",
    "Conflict",
    "Forbidden",
    "Gone",
    "InternalError",
    "Invalid",
    "MethodNotAllowed",
    "NotFound",
    "Unauthorized",
    "UnsupportedMediaType",
    "from_status",
]


@dataclass(frozen=True)
class Cause:
    """One entry of ``details.causes``: ``reason`` is e.g. ``FieldValueRequired``."""

    reason: str
    message: str
    field: str

    def to_dict(self) -> dict[str, str]:
        """The cause as ``metav1.StatusCause`` encodes it: every field ``omitempty``, so a cause
        about no field in particular has no ``field`` key."""
        given = {"reason": self.reason, "message": self.message, "field": self.field}
        return {key: value for key, value in given.items() if value}


@dataclass
class ApiError(Exception):
    """A failed API call; ``to_status()`` is what goes on the wire."""

    message: str
    name: str = ""
    group: str = ""
    kind: str = ""
    causes: list[Cause] = field(default_factory=list)
    code: int = 500
    reason: str = "InternalError"
    retry_after: int = 0
    """Seconds after which the client may try again (``details.retryAfterSeconds``, and the HTTP
    layer's ``Retry-After`` header); 0: none."""

    CODE: ClassVar[int] = 500
    REASON: ClassVar[str] = "InternalError"

    def __post_init__(self) -> None:
        if type(self) is not ApiError:
            self.code, self.reason = self.CODE, self.REASON
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def to_status(self) -> dict[str, Any]:
        """The ``metav1.Status``, its keys in the Go struct's order (``details`` before ``code``),
        as kube-apiserver writes it and ``kubectl -v=8`` or ``get --raw`` show it."""
        status: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        }
        if not self.reason:
            del status["reason"]  # metav1.Status omits an unknown reason (omitempty)
        details: dict[str, Any] = {}
        if self.name:
            details["name"] = self.name
        if self.group:
            details["group"] = self.group
        if self.kind:
            details["kind"] = self.kind
        if self.causes:
            details["causes"] = [c.to_dict() for c in self.causes]
        if self.retry_after > 0:
            details["retryAfterSeconds"] = self.retry_after
        if details:
            status["details"] = details
        status["code"] = self.code
        return status


class BadRequest(ApiError):
    """400: the request itself is malformed."""

    CODE, REASON = 400, "BadRequest"


class Unauthorized(ApiError):
    """401: no or a wrong bearer token."""

    CODE, REASON = 401, "Unauthorized"


class Forbidden(ApiError):
    """403: the operation is refused (e.g. a finalizer added during deletion)."""

    CODE, REASON = 403, "Forbidden"


class NotFound(ApiError):
    """404: the object or resource type does not exist."""

    CODE, REASON = 404, "NotFound"


class MethodNotAllowed(ApiError):
    """405: the verb is not supported on this path."""

    CODE, REASON = 405, "MethodNotAllowed"


class AlreadyExists(ApiError):
    """409: create of a name that is taken."""

    CODE, REASON = 409, "AlreadyExists"


class Conflict(ApiError):
    """409: stale resourceVersion, or a server-side apply ownership conflict."""

    CODE, REASON = 409, "Conflict"


class Gone(ApiError):
    """410: a watch or list asked for a resourceVersion older than the history kept."""

    CODE, REASON = 410, "Gone"


class UnsupportedMediaType(ApiError):
    """415: e.g. a strategic-merge patch on a custom resource."""

    CODE, REASON = 415, "UnsupportedMediaType"


class Invalid(ApiError):
    """422: schema validation failed; ``causes`` name the field paths."""

    CODE, REASON = 422, "Invalid"


class InternalError(ApiError):
    """500: the server broke; never a dropped connection."""

    CODE, REASON = 500, "InternalError"


_BY_REASON: dict[str, type[ApiError]] = {
    cls.REASON: cls
    for cls in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        AlreadyExists,
        Conflict,
        Gone,
        UnsupportedMediaType,
        Invalid,
        InternalError,
    )
}


def from_status(status: dict[str, Any]) -> ApiError:
    """Rebuild the error a ``Status`` object describes (used by HTTP clients of the fake)."""
    details = status.get("details") or {}
    causes = [
        Cause(c.get("reason", ""), c.get("message", ""), c.get("field", ""))
        for c in details.get("causes") or []
    ]
    kwargs: dict[str, Any] = {
        "message": status.get("message", ""),
        "name": details.get("name", ""),
        "group": details.get("group", ""),
        "kind": details.get("kind", ""),
        "causes": causes,
        "retry_after": int(details.get("retryAfterSeconds") or 0),
    }
    # A watch from a too-old resourceVersion reports reason "Expired" with code 410.
    reason = "Gone" if status.get("reason") == "Expired" else status.get("reason", "")
    cls = _BY_REASON.get(reason)
    if cls is not None:
        return cls(**kwargs)
    return ApiError(code=int(status.get("code", 500)), reason=status.get("reason", "Unknown"), **kwargs)
