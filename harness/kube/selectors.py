"""Label and field selectors, parsed once and matched many times.

A label selector is its requirements, all of which must hold (parsed by
:func:`harness.apiserver.label_selectors.parse_label_selector`, apimachinery's grammar).
Field selectors support what the real server supports for every kind: ``metadata.name`` and
``metadata.namespace`` with ``=``, ``==`` and ``!=``, plus a kind's own field labels. Anything
else raises :class:`SelectorError` with the message kube-apiserver's field label conversion gives
(:func:`unsupported_field_label`, :func:`unknown_field_label`), which the API server reports as
400 BadRequest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "FieldSelector",
    "LabelSelector",
    "SelectorError",
    "unknown_field_label",
    "unsupported_field_label",
]


class SelectorError(ValueError):
    """A selector string does not parse."""


Requirement = Callable[[Mapping[str, str]], bool]


@dataclass(frozen=True)
class LabelSelector:
    """A parsed label selector; the empty selector matches everything. The API server parses
    them as apimachinery's ``labels.Parse`` does (``harness.apiserver.label_selectors``)."""

    text: str
    requirements: tuple[Requirement, ...]

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        current = labels or {}
        return all(req(current) for req in self.requirements)

    @property
    def empty(self) -> bool:
        return not self.requirements


_FIELDS = ("metadata.name", "metadata.namespace")


def unsupported_field_label(label: str) -> str:
    """The refusal of a kind that registers its own field label conversion (pods, nodes, events,
    namespaces, secrets, services in ``pkg/apis/core/v1/conversion.go``; custom resources in
    apiextensions-apiserver's ``pkg/apiserver/conversion/converter.go``)."""
    return f"field label not supported: {label}"


def unknown_field_label(label: str) -> str:
    """The refusal of a kind without one: apimachinery's default conversion
    (``DefaultMetaV1FieldSelectorConversion`` in ``pkg/runtime/conversion.go``), e.g. ConfigMaps."""
    return f'"{label}" is not a known field selector: only "metadata.name", "metadata.namespace"'


_TERM_OPERATORS = ("!=", "==", "=")


def _split_field_term(term: str) -> tuple[str, str, str] | None:
    """``splitTerm`` of apimachinery's ``pkg/fields/selector.go``: the text before the first
    operator (``!=``, ``==``, ``=``, tried in that order at each position), the operator and the
    rest, untrimmed (``a = b`` is the field ``"a "``); None without an operator."""
    for i in range(len(term)):
        for op in _TERM_OPERATORS:
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op) :]
    return None


def _field_terms(text: str) -> list[tuple[str, str, str]]:
    """``parseSelector`` of ``pkg/fields/selector.go``: the comma-separated terms, sorted, empty
    ones skipped, each split at its operator; a term without one refuses the whole selector with
    ``invalid selector: '<selector>'; can't understand '<term>'`` before any field is looked at."""
    terms: list[tuple[str, str, str]] = []
    for part in sorted(text.split(",")):
        if not part:
            continue
        split = _split_field_term(part)
        if split is None:
            raise SelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
        terms.append(split)
    return terms


@dataclass(frozen=True)
class FieldSelector:
    """A parsed field selector over ``metadata.name`` / ``metadata.namespace`` and the fields the
    kind offers besides (kube-apiserver's per-kind field labels, e.g. a pod's ``spec.nodeName``)."""

    text: str
    terms: tuple[tuple[str, bool, str], ...]  # (field path, equal?, value)

    @classmethod
    def parse(
        cls,
        text: str | None,
        extra: tuple[str, ...] = (),
        *,
        namespace: bool = True,
        refuse: Callable[[str], str] = unknown_field_label,
    ) -> FieldSelector:
        """``extra``: the kind's field labels besides ``metadata.name``; ``namespace``: whether
        ``metadata.namespace`` is one; ``refuse``: the message for any other field."""
        terms: list[tuple[str, bool, str]] = []
        allowed = (*(_FIELDS if namespace else _FIELDS[:1]), *extra)
        for field, op, value in _field_terms(text or ""):
            if field not in allowed:  # the field label conversion, after the whole selector parsed
                raise SelectorError(refuse(field))
            terms.append((field, op != "!=", value))
        return cls(text or "", tuple(terms))

    def matches(self, obj: Mapping[str, Any]) -> bool:
        return all((_field(obj, path) == value) is equal for path, equal, value in self.terms)

    @property
    def wanted_name(self) -> str | None:
        """The single name the selector pins, if any (lets the store skip a scan)."""
        names = [v for path, equal, v in self.terms if path == "metadata.name" and equal]
        return names[0] if len(names) == 1 else None


_COUNTS: dict[str, str] = {"status.successful": "status.succeeded", "status.replicas": "status.replicas"}
"""Field labels whose value is a Go int (``strconv.Itoa``, so an absent count is ``"0"``), and the
field each reads: a Job's ``status.successful`` is its ``status.succeeded``
(``pkg/registry/batch/job/strategy.go``)."""


def _field(obj: Mapping[str, Any], path: str) -> str:
    """The field at a dotted path as kube-apiserver's field sets give it (absent is ``""``, an
    absent count ``"0"``)."""
    counted = _COUNTS.get(path)
    value: Any = obj
    for part in (counted or path).split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if counted is not None and value is None:
        return "0"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
