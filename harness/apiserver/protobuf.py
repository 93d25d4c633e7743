"""The protobuf bodies kubectl posts for built-in objects, read into their JSON shape.

kubectl talks to built-in API groups through its typed clientset, which encodes requests as
Kubernetes protobuf (``application/vnd.kubernetes.protobuf``): the 4-byte magic ``k8s\\0``, then a
``runtime.Unknown`` message (``typeMeta``, ``raw``) whose ``raw`` field holds the object's own
message. ``kubectl create namespace|configmap|secret|serviceaccount`` and ``kubectl auth
whoami|can-i`` post this way, and so do ``kubectl create deployment`` and ``kubectl create
service``; ``apply``, ``patch``, ``run`` and everything for custom resources send JSON. Only the
messages of those objects are known here, by the field numbers of
``k8s.io/api/core/v1/generated.proto``,
``…/apps/v1``, ``…/authorization/v1``, ``…/authentication/v1`` and ``k8s.io/apimachinery``'s
``ObjectMeta``, ``LabelSelector``, ``Quantity`` and ``IntOrString``; a field the schema does not
name is skipped, as an older server skips a newer client's field. Any other built-in type's
protobuf body is a 415 here (kube-apiserver reads them all); a custom resource's is
:mod:`.custom_protobuf`'s.

Go's generated marshaller writes every non-pointer field, zero or not, while its JSON leaves out
the zero ones tagged ``omitempty``: so a zero read for a plain ``int``/``bool`` field is dropped,
and kept for the ``int!``/``bool!`` ones (pointers, such as a Deployment's ``replicas: 0``, and
fields without ``omitempty``, such as a container port's ``containerPort``). An empty nested
message stays ``{}``, as Go's JSON prints an empty struct (``resources: {}``, ``strategy: {}``).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["MAGIC", "ProtobufError", "decode", "known_kinds", "type_meta"]

MAGIC = b"k8s\x00"

Schema = Mapping[int, tuple[str, Any]]
"""Field number → (JSON name, how to read it): ``"string"``, ``"bytes"`` (base64 in JSON, as Go
marshals ``[]byte``), ``"bool"``/``"int"`` (zero dropped) or ``"bool!"``/``"int!"`` (zero kept),
``"quantity"`` (``resource.Quantity``, its text), ``"intorstr"`` (``intstr.IntOrString``), a
nested :data:`Schema`, ``("map", kind)`` or ``("list", kind)``."""

_OBJECT_META: Schema = {
    1: ("name", "string"),
    2: ("generateName", "string"),
    3: ("namespace", "string"),
    11: ("labels", ("map", "string")),
    12: ("annotations", ("map", "string")),
    14: ("finalizers", ("list", "string")),
}
_LABEL_SELECTOR: Schema = {
    1: ("matchLabels", ("map", "string")),
    2: (
        "matchExpressions",
        ("list", {1: ("key", "string"), 2: ("operator", "string"), 3: ("values", ("list", "string"))}),
    ),
}
_ENV_VAR: Schema = {1: ("name", "string"), 2: ("value", "string")}
_CONTAINER_PORT: Schema = {
    1: ("name", "string"),
    2: ("hostPort", "int"),
    3: ("containerPort", "int!"),
    4: ("protocol", "string"),
    5: ("hostIP", "string"),
}
_RESOURCES: Schema = {1: ("limits", ("map", "quantity")), 2: ("requests", ("map", "quantity"))}
_CONTAINER: Schema = {
    1: ("name", "string"),
    2: ("image", "string"),
    3: ("command", ("list", "string")),
    4: ("args", ("list", "string")),
    5: ("workingDir", "string"),
    6: ("ports", ("list", _CONTAINER_PORT)),
    7: ("env", ("list", _ENV_VAR)),
    8: ("resources", _RESOURCES),
    13: ("terminationMessagePath", "string"),
    14: ("imagePullPolicy", "string"),
    16: ("stdin", "bool"),
    17: ("stdinOnce", "bool"),
    18: ("tty", "bool"),
    20: ("terminationMessagePolicy", "string"),
}
_POD_SPEC: Schema = {
    2: ("containers", ("list", _CONTAINER)),
    3: ("restartPolicy", "string"),
    4: ("terminationGracePeriodSeconds", "int!"),
    5: ("activeDeadlineSeconds", "int!"),
    6: ("dnsPolicy", "string"),
    7: ("nodeSelector", ("map", "string")),
    8: ("serviceAccountName", "string"),
    9: ("serviceAccount", "string"),
    10: ("nodeName", "string"),
    11: ("hostNetwork", "bool"),
    12: ("hostPID", "bool"),
    13: ("hostIPC", "bool"),
    16: ("hostname", "string"),
    17: ("subdomain", "string"),
    19: ("schedulerName", "string"),
    20: ("initContainers", ("list", _CONTAINER)),
    21: ("automountServiceAccountToken", "bool!"),
    24: ("priorityClassName", "string"),
}
_INT_OR_STRING: Schema = {1: ("type", "int!"), 2: ("intVal", "int!"), 3: ("strVal", "string")}
_DEPLOYMENT_SPEC: Schema = {
    1: ("replicas", "int!"),
    2: ("selector", _LABEL_SELECTOR),
    3: ("template", {1: ("metadata", _OBJECT_META), 2: ("spec", _POD_SPEC)}),
    4: (
        "strategy",
        {
            1: ("type", "string"),
            2: ("rollingUpdate", {1: ("maxUnavailable", "intorstr"), 2: ("maxSurge", "intorstr")}),
        },
    ),
    5: ("minReadySeconds", "int"),
    6: ("revisionHistoryLimit", "int!"),
    7: ("paused", "bool"),
    9: ("progressDeadlineSeconds", "int!"),
}
_SERVICE_PORT: Schema = {
    1: ("name", "string"),
    2: ("protocol", "string"),
    3: ("port", "int!"),
    4: ("targetPort", "intorstr"),
    5: ("nodePort", "int"),
    6: ("appProtocol", "string"),
}
_SERVICE_SPEC: Schema = {
    1: ("ports", ("list", _SERVICE_PORT)),
    2: ("selector", ("map", "string")),
    3: ("clusterIP", "string"),
    4: ("type", "string"),
    5: ("externalIPs", ("list", "string")),
    7: ("sessionAffinity", "string"),
    8: ("loadBalancerIP", "string"),
    10: ("externalName", "string"),
    11: ("externalTrafficPolicy", "string"),
    17: ("ipFamilyPolicy", "string"),
    18: ("clusterIPs", ("list", "string")),
    19: ("ipFamilies", ("list", "string")),
    22: ("internalTrafficPolicy", "string"),
}
_OBJECT_REFERENCE: Schema = {
    1: ("kind", "string"),
    2: ("namespace", "string"),
    3: ("name", "string"),
    4: ("uid", "string"),
    5: ("apiVersion", "string"),
    6: ("resourceVersion", "string"),
    7: ("fieldPath", "string"),
}
_RESOURCE_ATTRIBUTES: Schema = {
    1: ("namespace", "string"),
    2: ("verb", "string"),
    3: ("group", "string"),
    4: ("version", "string"),
    5: ("resource", "string"),
    6: ("subresource", "string"),
    7: ("name", "string"),
}
_NON_RESOURCE_ATTRIBUTES: Schema = {1: ("path", "string"), 2: ("verb", "string")}
_ACCESS_SPEC: Schema = {
    1: ("resourceAttributes", _RESOURCE_ATTRIBUTES),
    2: ("nonResourceAttributes", _NON_RESOURCE_ATTRIBUTES),
}

_OBJECTS: dict[str, Schema] = {
    "Namespace": {1: ("metadata", _OBJECT_META), 2: ("spec", {1: ("finalizers", ("list", "string"))})},
    "ConfigMap": {
        1: ("metadata", _OBJECT_META),
        2: ("data", ("map", "string")),
        3: ("binaryData", ("map", "bytes")),
        4: ("immutable", "bool!"),
    },
    "Secret": {
        1: ("metadata", _OBJECT_META),
        2: ("data", ("map", "bytes")),
        3: ("type", "string"),
        4: ("stringData", ("map", "string")),
        5: ("immutable", "bool!"),
    },
    "ServiceAccount": {
        1: ("metadata", _OBJECT_META),
        2: ("secrets", ("list", _OBJECT_REFERENCE)),
        3: ("imagePullSecrets", ("list", {1: ("name", "string")})),
        4: ("automountServiceAccountToken", "bool!"),
    },
    "Deployment": {1: ("metadata", _OBJECT_META), 2: ("spec", _DEPLOYMENT_SPEC)},
    "Service": {1: ("metadata", _OBJECT_META), 2: ("spec", _SERVICE_SPEC)},
    "SelfSubjectAccessReview": {
        1: ("metadata", _OBJECT_META),
        2: (
            "spec",
            {
                1: ("resourceAttributes", _RESOURCE_ATTRIBUTES),
                2: ("nonResourceAttributes", _NON_RESOURCE_ATTRIBUTES),
            },
        ),
    },
    "SelfSubjectRulesReview": {1: ("metadata", _OBJECT_META), 2: ("spec", {1: ("namespace", "string")})},
    "SelfSubjectReview": {1: ("metadata", _OBJECT_META)},
    "TokenRequest": {
        1: ("metadata", _OBJECT_META),
        2: (
            "spec",
            {
                1: ("audiences", ("list", "string")),
                3: (
                    "boundObjectRef",
                    {
                        1: ("kind", "string"),
                        2: ("apiVersion", "string"),
                        3: ("name", "string"),
                        4: ("uid", "string"),
                    },
                ),
                4: ("expirationSeconds", "int!"),
            },
        ),
    },
}


class ProtobufError(ValueError):
    """The body is not a protobuf message of the expected shape."""


def known_kinds() -> frozenset[str]:
    """The kinds whose protobuf bodies are read."""
    return frozenset(_OBJECTS)


def decode(raw: bytes, kind: str) -> dict[str, Any]:
    """The object in ``raw`` (magic + ``runtime.Unknown``) as its JSON object, without status."""
    if not raw.startswith(MAGIC):
        raise ProtobufError("the body does not start with the Kubernetes protobuf magic number")
    unknown = dict(_fields(raw[len(MAGIC) :]))
    inner = unknown.get(2, b"")
    if not isinstance(inner, bytes):
        raise ProtobufError("runtime.Unknown has no raw object")
    return _message(inner, _OBJECTS[kind])


def type_meta(raw: bytes) -> tuple[str, str]:
    """The ``apiVersion`` and ``kind`` of the ``runtime.Unknown`` envelope in ``raw`` (after the
    magic), empty when it names none."""
    unknown = dict(_fields(raw[len(MAGIC) :]))
    meta = unknown.get(1, b"")
    if not isinstance(meta, bytes):
        raise ProtobufError("runtime.Unknown's typeMeta is a varint")
    found = _message(meta, {1: ("apiVersion", "string"), 2: ("kind", "string")})
    return str(found.get("apiVersion", "")), str(found.get("kind", ""))


def _message(raw: bytes, schema: Schema) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for number, value in _fields(raw):
        if number not in schema:
            continue
        name, how = schema[number]
        if isinstance(how, tuple) and how[0] == "list":
            out.setdefault(name, []).append(_value(value, how[1]))
        elif isinstance(how, tuple) and how[0] == "map":
            key, item = _entry(value, how[1])
            out.setdefault(name, {})[key] = item
        elif (found := _value(value, how)) not in ("", 0) or how in _ZERO_KEPT:
            # Go's marshaller writes zero strings, numbers and false; its JSON omits them
            # (``False == 0``: a plain bool's false goes too, an empty message ``{}`` stays)
            out[name] = found
    return out


def _entry(value: bytes | int, kind: Any) -> tuple[str, Any]:
    """A map entry: a message of key (1) and value (2)."""
    if not isinstance(value, bytes):
        raise ProtobufError("a map entry is not a message")
    fields = dict(_fields(value))
    key = fields.get(1, b"")
    if not isinstance(key, bytes):
        raise ProtobufError("a map key is not a string")
    return _text(key), _value(fields.get(2, b""), kind)


_ZERO_KEPT = ("int!", "bool!")


def _value(value: bytes | int, how: Any) -> Any:
    if how in ("bool", "int", "bool!", "int!"):
        if not isinstance(value, int):
            raise ProtobufError(f"a {how.rstrip('!')} field is not a varint")
        if how.startswith("bool"):
            return bool(value)
        return value - (1 << 64) if value >= 1 << 63 else value  # two's complement, as Go writes
    if not isinstance(value, bytes):
        raise ProtobufError("a length-delimited field is a varint")
    if how == "string":
        return _text(value)
    if how == "bytes":
        return base64.b64encode(value).decode("ascii")
    if how == "quantity":
        return _message(value, {1: ("string", "string")}).get("string", "")
    if how == "intorstr":
        both = _message(value, _INT_OR_STRING)
        return both.get("strVal", "") if both.get("type") == 1 else both.get("intVal", 0)
    return _message(value, how)


def _text(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtobufError("a string field is not UTF-8") from None


def _fields(raw: bytes) -> Iterator[tuple[int, bytes | int]]:
    """(field number, value) pairs of one message: varints as ints, length-delimited as bytes."""
    at = 0
    while at < len(raw):
        key, at = _varint(raw, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(raw, at)
            yield number, value
        elif wire == 2:
            length, at = _varint(raw, at)
            if at + length > len(raw):
                raise ProtobufError("a length-delimited field runs past the end of the body")
            yield number, raw[at : at + length]
            at += length
        elif wire in (1, 5):
            at += 8 if wire == 1 else 4
        else:
            raise ProtobufError(f"unsupported protobuf wire type {wire}")


def _varint(raw: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(raw) or shift > 63:
            raise ProtobufError("a varint runs past the end of the body")
        byte = raw[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7
