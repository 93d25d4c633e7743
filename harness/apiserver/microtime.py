"""``metav1.MicroTime``: how kube-apiserver reads and writes a Lease's ``acquireTime``/``renewTime``.

The Go type decodes a JSON string with ``time.Parse`` and the layout
``2006-01-02T15:04:05.000000Z07:00`` (``RFC3339Micro`` in ``k8s.io/apimachinery/pkg/apis/meta/v1/
micro_time.go``): exactly six fraction digits and a zone are required, so ``2024-12-16T09:00:00Z``
(no fraction) is refused with Go's parse error, which kube-apiserver puts into its 400. What is
stored is written back in UTC with six digits (``...00.250000Z``), whatever offset was sent.
:func:`parse_error` retraces Go's parser over that one layout to give its words.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["LAYOUT", "canonical", "parse_error", "stamp"]

LAYOUT = "2006-01-02T15:04:05.000000Z07:00"
_Chunk = tuple[str, str]  # (what: year, num, literal, frac, zone; its text in the layout)
_CHUNKS: tuple[_Chunk, ...] = (
    ("year", "2006"),
    ("literal", "-"),
    ("month", "01"),
    ("literal", "-"),
    ("day", "02"),
    ("literal", "T"),
    ("hour", "15"),
    ("literal", ":"),
    ("minute", "04"),
    ("literal", ":"),
    ("second", "05"),
    ("frac", ".000000"),
    ("zone", "Z07:00"),
)
_LIMITS = {"month": (1, 12), "hour": (0, 23), "minute": (0, 59), "second": (0, 59)}


class _Bad(Exception):
    """Go's ``errBad`` or a range error, with the message kube-apiserver passes on."""


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: str, fixed: bool) -> tuple[int, str] | None:
    """Go's ``getnum``: one or two digits (two when ``fixed``)."""
    if not value[:1].isascii() or not value[:1].isdigit():
        return None
    if len(value) < 2 or not (value[1].isascii() and value[1].isdigit()):
        return None if fixed else (int(value[0]), value[1:])
    return int(value[:2]), value[2:]


def _read(text: str) -> tuple[list[int], timedelta]:
    """The fields of ``text`` in :data:`LAYOUT`, or :class:`_Bad` with Go's message."""
    value, fields, offset = text, [], timedelta(0)
    for what, layout in _CHUNKS:
        where = f"cannot parse {_quote(value)} as {_quote(layout)}"
        cannot = _Bad(f"parsing time {_quote(text)} as {_quote(LAYOUT)}: {where}")
        if what == "literal":
            if not value.startswith(layout):
                raise cannot
            value = value[1:]
        elif what == "year":
            if len(value) < 4 or not (value[:4].isascii() and value[:4].isdigit()):
                raise cannot
            fields.append(int(value[:4]))
            value = value[4:]
        elif what == "frac":
            digits = value[1:7]
            if len(value) < 7 or value[0] not in ".," or not (digits.isascii() and digits.isdigit()):
                raise cannot
            fields.append(int(digits))
            value = value[7:]
        elif what == "zone":
            if value.startswith("Z"):
                value = value[1:]
            else:
                sign, hours, minutes = value[:1], value[1:3], value[4:6]
                numeric = (hours + minutes).isascii() and (hours + minutes).isdigit()
                if len(value) < 6 or sign not in "+-" or value[3] != ":" or not numeric:
                    raise cannot
                offset = timedelta(hours=int(hours), minutes=int(minutes)) * (1 if sign == "+" else -1)
                value = value[6:]
        else:
            found = _number(value, fixed=what != "hour")
            if found is None:
                raise cannot
            number, value = found
            low, high = _LIMITS.get(what, (0, 99))
            if not low <= number <= high:
                raise _Bad(f"parsing time {_quote(text)}: {what} out of range")
            fields.append(number)
    if value:
        raise _Bad(f"parsing time {_quote(text)}: extra text: {_quote(value)}")
    return fields, offset


def _instant(text: str) -> datetime:
    (year, month, day, hour, minute, second, micro), offset = _read(text)
    try:
        local = datetime(year, month, day, hour, minute, second, micro)  # the offset is taken off below
    except ValueError:
        raise _Bad(f"parsing time {_quote(text)}: day out of range") from None
    return (local - offset).replace(tzinfo=UTC)


def parse_error(value: object) -> str | None:
    """What the Go decoder says about ``value`` as a MicroTime, or None when it reads."""
    if value is None:
        return None
    if not isinstance(value, str):
        kind = (
            "bool"
            if isinstance(value, bool)
            else "number"
            if isinstance(value, (int, float))
            else ("array" if isinstance(value, list) else "object")
        )
        return f"json: cannot unmarshal {kind} into Go value of type string"
    try:
        _instant(value)
    except _Bad as exc:
        return str(exc)
    return None


def canonical(value: str) -> str:
    """A readable MicroTime as kube-apiserver writes it back: UTC, six fraction digits, ``Z``."""
    return _instant(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def stamp(instant: datetime) -> str:
    """An instant as a MicroTime."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
