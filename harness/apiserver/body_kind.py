"""What a create or an update learns of its body before the object is looked at: its kind.

kube-apiserver's create and update handlers (``k8s.io/apiserver/pkg/endpoints/handlers``,
``create.go``, ``update.go``) decode the body with apimachinery's JSON/YAML serializer
(``runtime/serializer/json/json.go``), which first converts YAML to JSON (``sigs.k8s.io/yaml``'s
``YAMLToJSON``) and reads ``apiVersion`` and ``kind`` (``SimpleMetaFactory.Interpret``). When
either step fails, the decoder returns no kind at all, and ``transformDecodeError`` (``rest.go``)
words the 400 differently from a later decoding error:

- ``the object provided is unrecognized (must be of type ConfigMap): <error> (<summary>)``, the
  summary being ``summarizeData(body, 30)``: ``<empty>``, the first 30 bytes as text when the
  body starts with ``{``, else in hex, `` ...`` when cut;
- the decoder's kind is also missing for a custom resource whose body names none: the unstructured
  decoder refuses it (``Object 'Kind' is missing in '<body>'``), and only built-in kinds take the
  URL's kind and version for ones the body leaves out (``gvkWithDefaults``, for typed objects);
- a custom resource's body without ``apiVersion`` (or with another one) decodes, and the handler
  refuses it: ``the API version in the data () does not match the expected API version (...)``.

Under ``fieldValidation=Ignore`` the serializer is the non-strict one, whose missing-kind error
comes out of ``Unstructured.UnmarshalJSON`` after the URL's kind was taken as the default, so that
400 reads ``ModuleConfig in version "v1alpha1" cannot be handled as a ModuleConfig: Object 'Kind'
is missing in '<the JSON>'`` (the body as JSON: a YAML body converted, keys sorted).

A ``kind`` or ``apiVersion`` that is no string (a number, a list, an object) fails ``Interpret``
itself, whose ``json.Unmarshal`` into the two-string struct names the first such field in the
body's order: ``json: cannot unmarshal number into Go struct field .kind of type string``. A
``null`` one is an empty string to Go.

kube-apiserver's summary of a Secret's body is its first 30 bytes, usually the start of its
``data``; the report's redaction cannot tell a value cut short from any other text, so for the
``secrets`` resource the harness shows ``<redacted>`` instead (as :func:`.decode_refusals.masked`
hides a Secret's values in a patch's 422).

These checks run on the HTTP path only, where a body arrives as bytes; the harness's in-process
client is a typed client, which always names the kind, as client-go's do.
"""

from __future__ import annotations

import json
from typing import Any

from harness.apiserver.catalog import ResourceType
from harness.apiserver.field_validation import IGNORE, directive
from harness.kube.errors import BadRequest

__all__ = [
    "check_body",
    "decoded_kind",
    "decoded_type",
    "interpret_problem",
    "is_secrets",
    "summary",
    "unrecognized",
]

_SUMMARY_BYTES = 30
_FIND_KIND = (
    'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }'
)
_JSON_TYPES = {list: "array", str: "string", bool: "bool", int: "number", float: "number"}
_FIELD_TYPES = {dict: "object", list: "array", bool: "bool", int: "number", float: "number"}


def is_secrets(rt: ResourceType) -> bool:
    """Whether ``rt`` is the core ``secrets`` resource, whose bodies hold secret values."""
    return not rt.custom and rt.key == ("", "secrets")


def summary(raw: bytes, *, secret: bool = False) -> str:
    """``summarizeData(body, 30)``: what the unrecognized-object 400 shows of the body
    (``<redacted>`` for a Secret's)."""
    if not raw:
        return "<empty>"
    if secret:
        return "<redacted>"
    cut = " ..." if len(raw) > _SUMMARY_BYTES else ""
    head = raw[:_SUMMARY_BYTES]
    if head[:1] == b"{":
        # Go writes the bytes as they are; the Status's JSON encoder makes each invalid byte U+FFFD
        text = head.decode("utf-8", "surrogateescape")
        return "".join("\ufffd" if "\udc80" <= c <= "\udcff" else c for c in text) + cut
    return head.hex() + cut


def unrecognized(kind: str, problem: str, raw: bytes, *, secret: bool = False) -> BadRequest:
    """The 400 for a body whose kind the decoder could not read."""
    return BadRequest(
        f"the object provided is unrecognized (must be of type {kind}): {problem} "
        f"({summary(raw, secret=secret)})"
    )


def interpret_problem(value: Any) -> str:
    """``SimpleMetaFactory.Interpret``'s error for a body that is no JSON object (``None``: empty)."""
    if value is None:
        problem = "unexpected end of JSON input"
    else:
        json_type = _JSON_TYPES.get(type(value), "value")
        problem = f"json: cannot unmarshal {json_type} into Go value of type {_FIND_KIND}"
    return f"couldn't get version/kind; json parse error: {problem}"


def _field_problem(value: dict[str, Any]) -> str | None:
    """``Interpret``'s error for the first of ``apiVersion`` and ``kind`` (in the body's order)
    that a Go string cannot hold, else ``None``."""
    for key, field in value.items():
        json_type = _FIELD_TYPES.get(type(field)) if key in ("apiVersion", "kind") else None
        if json_type is not None:
            return (
                "couldn't get version/kind; json parse error: json: cannot unmarshal "
                f"{json_type} into Go struct field .{key} of type string"
            )
    return None


_SUB_KINDS = {"scale": ("autoscaling/v1", "Scale"), "token": ("authentication.k8s.io/v1", "TokenRequest")}


def decoded_type(rt: ResourceType, subresource: str | None) -> tuple[str, str]:
    """The ``apiVersion`` and kind the handler decodes into: ``/scale``'s scope decodes an
    ``autoscaling/v1`` Scale whatever the parent's kind, ``serviceaccounts/token`` a TokenRequest."""
    return _SUB_KINDS.get(subresource or "", (rt.resource.api_version, rt.resource.kind))


def decoded_kind(rt: ResourceType, subresource: str | None) -> str:
    """The kind of :func:`decoded_type`, which the refusals name (``must be of type Scale``)."""
    return decoded_type(rt, subresource)[1]


def check_body(
    rt: ResourceType,
    subresource: str | None,
    value: Any,
    raw: bytes,
    *,
    as_yaml: bool = False,
    field_validation: str | None = None,
) -> None:
    """Refuse a create's or an update's decoded ``value`` as the decoder would before the handler
    sees an object. A JSON ``null`` is an empty object to Go: a built-in kind's goes on (and
    meets the handler's checks), a custom resource's has no kind."""
    if value is None and raw.strip():
        value = {}
        if not rt.custom:
            return
    if not isinstance(value, dict):
        expected = decoded_kind(rt, subresource)
        raise unrecognized(expected, interpret_problem(value), raw, secret=is_secrets(rt))
    problem = _field_problem(value)
    if problem is not None:
        raise unrecognized(decoded_kind(rt, subresource), problem, raw, secret=is_secrets(rt))
    if not rt.custom or subresource == "scale":
        return
    kind = value.get("kind")
    if not isinstance(kind, str) or not kind:
        raise _missing_kind(rt, value, raw, as_yaml=as_yaml, field_validation=field_validation)
    api_version = value.get("apiVersion")
    sent = api_version if isinstance(api_version, str) else ""
    if sent != rt.resource.api_version:
        raise BadRequest(
            f"the API version in the data ({sent}) does not match the expected API version "
            f"({rt.resource.api_version})"
        )


def _missing_kind(
    rt: ResourceType, value: dict[str, Any], raw: bytes, *, as_yaml: bool, field_validation: str | None
) -> BadRequest:
    """The strict decoder names the body as sent; the non-strict one (``Ignore``) the JSON it
    handed ``Unstructured.UnmarshalJSON``: the object's own bytes, or a YAML body converted."""
    r = rt.resource
    if directive(field_validation) == IGNORE:
        text = _go_json(value) if as_yaml else raw.strip().decode("utf-8", "replace")
        return BadRequest(
            f'{r.kind} in version "{r.version}" cannot be handled as a {r.kind}: '
            f"Object 'Kind' is missing in '{text}'"
        )
    return unrecognized(r.kind, f"Object 'Kind' is missing in '{raw.decode('utf-8', 'replace')}'", raw)


def _go_json(value: Any) -> str:
    """``json.Marshal`` of a decoded YAML body: compact, keys sorted, ``<>&`` escaped."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
