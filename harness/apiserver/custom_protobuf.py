"""A protobuf body written to a custom resource, answered as apiextensions-apiserver 1.32 does.

The CR handler's serializers list ``application/vnd.kubernetes.protobuf``
(``unstructuredNegotiatedSerializer`` in apiextensions-apiserver's
``pkg/apiserver/customresource_handler.go`` at v0.32.9), so the body is not a ``415``; but that
entry has no ``StrictSerializer``. The create and update handlers (k8s.io/apiserver
``pkg/endpoints/handlers/create.go``, ``update.go``) decode with the strict serializer unless
``fieldValidation`` is ``Ignore``, and an absent directive is ``Warn`` (``fieldValidation`` in
``handlers/rest.go``): the schema-coercing decoder then wraps nothing, the first ``Decode`` panics,
and the panic filter (``WithPanicRecovery``, ``pkg/server/filters/wrap.go``) answers a plain-text
500. With ``Ignore`` the protobuf serializer (apimachinery ``runtime/serializer/protobuf``) reads
the body: no ``k8s\\0`` prefix, or nothing after it, is its error before any kind is known (the
"unrecognized" 400); an envelope it reads fails on the empty ``Unstructured`` the versioning codec
decodes into (``crdserverscheme.UnstructuredObjectTyper``: no kind), named with the envelope's
kind and version (``transformDecodeError``). The envelope's own parse errors are worded by
:mod:`.protobuf`, not by gogo-protobuf.
"""

from __future__ import annotations

from harness.apiserver.body_kind import unrecognized
from harness.apiserver.protobuf import MAGIC, ProtobufError, type_meta
from harness.apiserver.request import Response
from harness.kube.errors import BadRequest

__all__ = ["PANIC", "answer"]

PANIC = "This request caused apiserver to panic. Look in the logs for details.\n"
"""``http.Error``'s body: the text and a line feed."""
_PREFIX = "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]"
_NO_KIND = "Object 'Kind' is missing in 'object has no kind field '"


def answer(api_version: str, kind: str, raw: bytes, field_validation: str) -> Response:
    """The answer to a create or update of a ``kind`` custom resource whose body is protobuf;
    a 400 is raised."""
    if field_validation != "Ignore":
        return Response(500, PANIC, content_type="text/plain; charset=utf-8")
    if not raw:
        raise unrecognized(kind, "empty data", raw)
    if not raw.startswith(MAGIC):
        raise unrecognized(kind, _PREFIX, raw)
    if raw == MAGIC:
        raise unrecognized(kind, "empty body", raw)
    try:
        sent_version, sent_kind = type_meta(raw)
    except ProtobufError as exc:
        raise unrecognized(kind, str(exc), raw) from None
    version = sent_version.rsplit("/", 1)[-1] if sent_version else api_version.rsplit("/", 1)[-1]
    raise BadRequest(f'{sent_kind or kind} in version "{version}" cannot be handled as a {kind}: {_NO_KIND}')
