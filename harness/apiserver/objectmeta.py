"""``metadata`` validation with apimachinery's rules and messages (``ValidateObjectMeta``).

Every kind, built-in or custom, gets the generic checks kube-apiserver runs before storing:

- ``name``: an RFC 1123 subdomain (a label for namespaces), at most 253 (63) characters;
  ``generateName`` likewise, a trailing ``-`` allowed;
- ``labels``: keys are qualified names (an optional DNS-subdomain prefix and ``/``, then at most
  63 characters of ``[A-Za-z0-9._-]`` starting and ending alphanumeric), values at most 63 such
  characters or empty;
- ``annotations``: keys are qualified names (case-insensitive), keys plus values at most
  262144 bytes in all;
- ``finalizers``: qualified names.

The messages are apimachinery's (``k8s.io/apimachinery/pkg/util/validation/validation.go`` and
``pkg/api/validation/objectmeta.go``), including their regular expressions and examples, so a
client that matches on them sees what it would see from a real cluster.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from harness.kube.errors import Cause

__all__ = ["ANNOTATIONS_LIMIT", "dns1123_label", "dns1123_subdomain", "qualified_name", "validate_meta"]

ANNOTATIONS_LIMIT = 256 * 1024

_QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_QNAME = re.compile(f"^{_QNAME_FMT}$")
_QNAME_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
_LABEL_VALUE_FMT = f"({_QNAME_FMT})?"
_LABEL_VALUE = re.compile(f"^{_LABEL_VALUE_FMT}$")
_LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
_DNS_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS_LABEL = re.compile(f"^{_DNS_LABEL_FMT}$")
_DNS_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
_SUBDOMAIN_FMT = _DNS_LABEL_FMT + r"(\." + _DNS_LABEL_FMT + ")*"
_SUBDOMAIN = re.compile(f"^{_SUBDOMAIN_FMT}$")
_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)


def regex_error(message: str, fmt: str, *examples: str) -> str:
    """apimachinery's ``RegexError`` wording (its double spaces included)."""
    if not examples:
        return f"{message} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{message} (e.g. {shown}regex used for validation is '{fmt}')"


def max_len(n: int) -> str:
    return f"must be no more than {n} characters"


_VERDICTS = 8192
"""How many verdicts on short strings are kept: the same names, keys and values recur on every
write of an object (its name, its annotation keys, its finalizers), and a check is a pure function
of the string. Longer strings (invalid anyway) are checked every time, so hostile input cannot
make the cache hold much memory."""
_SHORT = 320


def _match(pattern: re.Pattern[str], value: str) -> bool:
    return pattern.fullmatch(value) is not None and "\n" not in value


def _dns1123_subdomain(value: str) -> tuple[str, ...]:
    errs = [max_len(253)] if len(value) > 253 else []
    if not _match(_SUBDOMAIN, value):
        errs.append(regex_error(_SUBDOMAIN_MSG, _SUBDOMAIN_FMT, "example.com"))
    return tuple(errs)


def _dns1123_label(value: str) -> tuple[str, ...]:
    errs = [max_len(63)] if len(value) > 63 else []
    if not _match(_DNS_LABEL, value):
        if _match(_SUBDOMAIN, value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(_DNS_LABEL_MSG, _DNS_LABEL_FMT, "my-name", "123-abc"))
    return tuple(errs)


def _qualified_name(value: str) -> tuple[str, ...]:
    """``IsQualifiedName``: ``[prefix/]name``."""
    parts = value.split("/")
    errs: list[str] = []
    if len(parts) > 2:
        return (
            "a qualified name "
            + regex_error(_QNAME_MSG, _QNAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        )
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs += [f"prefix part {m}" for m in _dns1123_subdomain(prefix)]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part " + max_len(63))
    if not _match(_QNAME, name):
        errs.append("name part " + regex_error(_QNAME_MSG, _QNAME_FMT, "MyName", "my.name", "123-abc"))
    return tuple(errs)


def _label_value(value: str) -> tuple[str, ...]:
    errs = [max_len(63)] if len(value) > 63 else []
    if not _match(_LABEL_VALUE, value):
        errs.append(regex_error(_LABEL_VALUE_MSG, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return tuple(errs)


def _remembered(check: Callable[[str], tuple[str, ...]]) -> Callable[[str], tuple[str, ...]]:
    cached = functools.lru_cache(maxsize=_VERDICTS)(check)

    def verdict(value: str) -> tuple[str, ...]:
        return cached(value) if len(value) <= _SHORT else check(value)

    verdict.__doc__ = check.__doc__
    return verdict


dns1123_subdomain = _remembered(_dns1123_subdomain)
dns1123_label = _remembered(_dns1123_label)
qualified_name = _remembered(_qualified_name)
"""``IsQualifiedName``: ``[prefix/]name``; the field errors, none when valid."""
label_value = _remembered(_label_value)


def go_quote(value: Any) -> str:
    """A value as Go's ``%q`` shows it in a field error (close enough: JSON string escaping)."""
    import json

    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else json.dumps(value)


def invalid(field: str, value: Any, message: str) -> Cause:
    return Cause("FieldValueInvalid", f"Invalid value: {go_quote(value)}: {message}", field)


def _name_causes(meta: dict[str, Any], namespace_kind: bool) -> list[Cause]:
    check = dns1123_label if namespace_kind else dns1123_subdomain
    causes: list[Cause] = []
    generate = meta.get("generateName")
    if isinstance(generate, str) and generate:
        masked = generate[:-1] + "a" if len(generate) > 1 and generate.endswith("-") else generate
        causes += [invalid("metadata.generateName", generate, m) for m in check(masked)]
    name = meta.get("name")
    if isinstance(name, str) and name:
        causes += [invalid("metadata.name", name, m) for m in check(name)]
    elif not generate:  # a generateName becomes the name before kube-apiserver validates
        causes.append(
            Cause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name")
        )
    return causes


def _label_causes(labels: dict[str, Any]) -> list[Cause]:
    causes: list[Cause] = []
    for key, value in labels.items():
        causes += [invalid("metadata.labels", key, m) for m in qualified_name(key)]
        if isinstance(value, str):
            causes += [invalid("metadata.labels", value, m) for m in label_value(value)]
    return causes


def _annotation_causes(annotations: dict[str, Any]) -> list[Cause]:
    causes: list[Cause] = []
    total = 0
    for key, value in annotations.items():
        causes += [invalid("metadata.annotations", key, m) for m in qualified_name(key.lower())]
        total += len(key.encode()) + (len(value.encode()) if isinstance(value, str) else 0)
    if total > ANNOTATIONS_LIMIT:
        message = f"Too long: must have at most {ANNOTATIONS_LIMIT} bytes"
        causes.append(Cause("FieldValueTooLong", message, "metadata.annotations"))
    return causes


def validate_meta(meta: dict[str, Any], *, namespace_kind: bool) -> list[Cause]:
    """Field errors for ``metadata`` (already known to be well typed), in apimachinery's order."""
    causes = _name_causes(meta, namespace_kind)
    if isinstance(meta.get("labels"), dict):
        causes += _label_causes(meta["labels"])
    if isinstance(meta.get("annotations"), dict):
        causes += _annotation_causes(meta["annotations"])
    for finalizer in meta.get("finalizers") or []:
        if isinstance(finalizer, str):
            causes += [invalid("metadata.finalizers", finalizer, m) for m in qualified_name(finalizer)]
    return causes
