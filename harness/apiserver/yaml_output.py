"""An answer as YAML, byte for byte as kube-apiserver writes it for ``Accept: application/yaml``.

kube-apiserver's YAML serializer (``runtime/serializer/json/json.go`` with ``Yaml: true``) writes
the object's JSON and converts it with ``sigs.k8s.io/yaml``'s ``JSONToYAML``: go-yaml v2 reads the
JSON into plain Go values and marshals them back (``goyaml.v2``, ``encode.go`` and
``emitterc.go``). kubectl's ``-o yaml`` is the same conversion, which is how this module is tested.
What that makes of a value:

- mappings in block style, keys in go-yaml's order (``keyList.Less``: letters by code point, any
  other character before a letter, runs of digits by their number), two spaces of indentation;
  a sequence inside a mapping is not indented (``- `` under the key); ``{}`` and ``[]`` when empty;
- numbers as go-yaml reads them back from Go's JSON: a whole number in int64 or uint64 is an
  integer, anything else a float written by ``FormatFloat(v, 'g', -1, 64)`` (``1e+21``, ``0.5``);
- a string plain when go-yaml would read it back as the same string and the emitter allows it
  plain, else single-quoted (a leading ``-`` or ``*``, ``: `` or `` #`` inside, spaces at its
  ends), double-quoted when it would read back as something else (``"true"``, ``"123"``, ``""``,
  a timestamp such as ``"2024-12-16T09:00:00Z"``) or holds characters only escapes can write,
  and a literal block (``|-``, ``|``, ``|+``) when it has line breaks;
- long plain and quoted strings folded at a space once the line passes 80 columns.
"""

from __future__ import annotations

import functools
import math
import re
from datetime import date
from typing import Any

from harness.kube.go_scalars import go_number
from harness.kube.go_yaml import float64_g

__all__ = ["to_yaml"]

_WIDTH = 80
_INDENT = 2
_INT64, _UINT64 = 1 << 63, 1 << 64
_WORDS = frozenset(
    "y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF "
    "~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF <<".split()
)
_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?)?"
)
_ESCAPES = {
    "\0": "0",
    "\a": "a",
    "\b": "b",
    "\t": "t",
    "\n": "n",
    "\v": "v",
    "\f": "f",
    "\r": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
    "\u2028": "L",
    "\u2029": "P",
}


def _is_timestamp(text: str) -> bool:
    """go-yaml's ``parseTimestamp``: one of its four ``time.Parse`` layouts, fields in range."""
    found = _TIMESTAMP.fullmatch(text)
    if found is None:
        return False
    year, month, day, sep, hour, minute, second, zone = found.groups()
    if sep is not None and (sep == " ") == (zone is not None):
        return False  # the space-separated layout has no zone; the T layouts need one
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return sep is None or (int(hour) < 24 and int(minute) < 60 and int(second) < 60)


def _reads_as_text(text: str) -> bool:
    """Whether go-yaml resolves the plain scalar ``text`` to this string (``canUsePlain``)."""
    if text == "" or text in _WORDS:
        return False
    if text[0] in "+-.0123456789":
        if go_number(text) is not None or _is_timestamp(text) or _BASE60.fullmatch(text):
            return False
    return True


def _printable(c: str) -> bool:
    """libyaml's ``is_printable`` on the UTF-8 bytes: a line feed, printable ASCII, and U+00A0 to
    U+FFFD but the surrogates, the BOM and U+FFFE/U+FFFF; no C1 control (``NEL`` neither) and no
    character beyond the BMP (an emoji is escaped)."""
    o = ord(c)
    return o == 0x0A or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)


_BREAKS = frozenset("\r\n\x85\u2028\u2029")


def _blank(text: str, i: int) -> bool:
    """``is_blank`` past the end counts (``followed_by_whitespace``)."""
    return i >= len(text) or text[i] in " \t"


def _styles(text: str) -> tuple[bool, bool, bool]:
    """``yaml_emitter_analyze_scalar`` in block context: whether ``text`` may be written plain,
    single-quoted, and as a literal block."""
    if not text:
        return True, True, False
    indicators = text.startswith(("---", "..."))
    special = line_breaks = False
    leading = trailing_space = trailing_break = break_space = space_break = False
    previous_space = previous_break = False
    preceded_by_blank = True
    for i, c in enumerate(text):
        followed_by_blank = _blank(text, i + 1)
        if i == 0:
            if c in "#,[]{}&*!|>'\"%@`" or (c in "?:-" and followed_by_blank):
                indicators = True
        elif (c == ":" and followed_by_blank) or (c == "#" and preceded_by_blank):
            indicators = True
        if not _printable(c):
            special = True
        if c == " ":
            leading = leading or i == 0
            trailing_space = i == len(text) - 1
            break_space = break_space or previous_break
            previous_space, previous_break = True, False
        elif c in _BREAKS:
            line_breaks = True
            leading = leading or i == 0
            trailing_break = i == len(text) - 1
            space_break = space_break or previous_space
            previous_space, previous_break = False, True
        else:
            previous_space = previous_break = False
        preceded_by_blank = c in " \t" or c in _BREAKS
    plain = not (leading or trailing_space or trailing_break or break_space or space_break)
    plain = plain and not (special or line_breaks or indicators)
    single = not (break_space or space_break or special)
    block = not (trailing_space or space_break or special)
    return plain, single, block


class _Writer:
    """The emitter's output and its column, for folding."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.column = 0

    def put(self, text: str) -> None:
        self.parts.append(text)
        newline = text.rfind("\n")
        self.column = len(text) - newline - 1 if newline >= 0 else self.column + len(text)

    def indent(self, indent: int) -> None:
        """``yaml_emitter_write_indent``: a line break unless the line is still empty, then spaces."""
        self.put(("" if self.parts and self.parts[-1].endswith("\n") else "\n") + " " * indent)


def _folded(w: _Writer, text: str, indent: int, *, double: bool, plain: bool, breaks: bool = True) -> None:
    """A flow scalar's characters, a space turned into a line break once past the width (not in
    a key: ``breaks=False``)."""
    spaces = False
    for i, c in enumerate(text):
        if c == " ":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            fold = breaks and not spaces and w.column > _WIDTH and i > 0 and i < len(text) - 1
            if plain:
                fold = breaks and not spaces and w.column > _WIDTH and nxt != " "
            elif not double:
                fold = fold and nxt != " "
            if fold:
                w.indent(indent)
                if double and nxt == " ":
                    w.put("\\")
            else:
                w.put(" ")
            spaces = True
            continue
        spaces = False
        if double and (not _printable(c) or c in _ESCAPES or c in _BREAKS):
            w.put("\\" + _escape(c))
        elif not double and not plain and c == "'":
            w.put("''")
        else:
            w.put(c)


def _escape(c: str) -> str:
    if c in _ESCAPES:
        return _ESCAPES[c]
    o = ord(c)
    if o <= 0xFF:
        return f"x{o:02X}"
    return f"u{o:04X}" if o <= 0xFFFF else f"U{o:08X}"


def _literal(w: _Writer, text: str, indent: int) -> None:
    """``|`` with the chomping hint (``-`` without a final break, ``+`` with more than one) and an
    indentation hint when the text starts with a space or a break."""
    hint = str(_INDENT) if text[0] in " \n" else ""
    if not text.endswith("\n"):
        hint += "-"
    elif len(text) == 1 or text[-2] == "\n":
        hint += "+"
    w.put(" |" + hint)
    for line in text.split("\n")[: -1 if text.endswith("\n") else None]:
        w.put("\n" + (" " * indent + line if line else ""))
    if text.endswith("\n"):
        w.put("")


def _scalar(w: _Writer, value: Any, indent: int, *, key: bool = False) -> None:
    """A scalar after its key's ``:`` or its item's ``-`` (a key: at the start of its line)."""
    lead = "" if key else " "
    if value is None:
        w.put(lead + "null")
    elif isinstance(value, bool):
        w.put(lead + ("true" if value else "false"))
    elif isinstance(value, int) and -_INT64 <= value < _UINT64:
        w.put(lead + str(int(value)))
    elif isinstance(value, (int, float)):
        w.put(lead + _float(float(value)))
    else:
        _string(w, str(value), indent, lead, key=key)


def _float(value: float) -> str:
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))  # Go's JSON wrote it as digits, which go-yaml reads as an integer
    text = float64_g(value)
    return (
        {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text) if not math.isfinite(value) else text
    )


_NEL_FOLD = re.compile(r"[ \t]*(?:\x85[ \t]*)+")


def _reread(text: str) -> str:
    """The string go-yaml reads back from Go's JSON: ``encoding/json`` leaves U+0085 (NEL) raw,
    and YAML folds a line break inside a double-quoted scalar (one into a space, ``n`` into
    ``n-1`` line feeds, the blanks around them dropped)."""
    if "\x85" not in text:
        return text
    return _NEL_FOLD.sub(
        lambda m: " " if m.group().count("\x85") == 1 else "\n" * (m.group().count("\x85") - 1), text
    )


def _string(w: _Writer, text: str, indent: int, lead: str, *, key: bool) -> None:
    text = _reread(text)
    plain, single, block = _styles(text)
    if "\n" in text and not key and block:
        w.put(lead.rstrip())
        _literal(w, text, indent)
        return
    w.put(lead)
    breaks = not key
    if "\n" not in text and _reads_as_text(text) and plain:
        _folded(w, text, indent, double=False, plain=True, breaks=breaks)
    elif "\n" not in text and _reads_as_text(text) and single:
        w.put("'")
        _folded(w, text, indent, double=False, plain=False, breaks=breaks)
        w.put("'")
    else:
        w.put('"')
        _folded(w, text, indent, double=True, plain=False, breaks=breaks)
        w.put('"')


def _sorted(mapping: dict[str, Any]) -> list[str]:
    return sorted(mapping, key=functools.cmp_to_key(_less))


def _less(a: str, b: str) -> int:
    """``keyList.Less`` for two strings, as a comparison (negative: ``a`` first)."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        al, bl = a[i].isalpha(), b[i].isalpha()
        if al and bl:
            return -1 if a[i] < b[i] else 1
        if al or bl:
            return 1 if al else -1
        an = bn = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdigit():
            an = an * 10 + int(a[ai])
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdigit():
            bn = bn * 10 + int(b[bi])
            bi += 1
        if an != bn:
            return -1 if an < bn else 1
        if ai != bi:
            return -1 if ai < bi else 1
        return -1 if a[i] < b[i] else 1
    return len(a) - len(b)


def _mapping(w: _Writer, mapping: dict[str, Any], indent: int, *, first_inline: bool) -> None:
    for n, key in enumerate(_sorted(mapping)):
        if not (n == 0 and first_inline):
            w.indent(indent) if w.parts else w.put(" " * indent)
        _scalar(w, key, indent, key=True)
        w.put(":")
        _value(w, mapping[key], indent, in_mapping=True)


def _sequence(w: _Writer, items: list[Any], indent: int, *, first_inline: bool) -> None:
    for n, item in enumerate(items):
        if not (n == 0 and first_inline):
            w.indent(indent) if w.parts else w.put(" " * indent)
        w.put("-")
        _value(w, item, indent, in_mapping=False)


def _value(w: _Writer, value: Any, indent: int, *, in_mapping: bool) -> None:
    """What follows a key's ``:`` (``in_mapping``) or an item's ``-`` at ``indent``."""
    if isinstance(value, dict) and value:
        if in_mapping:
            _mapping(w, value, indent + _INDENT, first_inline=False)
        else:
            w.put(" ")
            _mapping(w, value, indent + _INDENT, first_inline=True)
    elif isinstance(value, list) and value:
        if in_mapping:
            _sequence(w, value, indent, first_inline=False)
        else:
            w.put(" ")
            _sequence(w, value, indent + _INDENT, first_inline=True)
    elif isinstance(value, dict):
        w.put(" {}")
    elif isinstance(value, list):
        w.put(" []")
    else:
        _scalar(w, value, indent + _INDENT)


def to_yaml(value: Any) -> str:
    """``JSONToYAML`` of ``value``'s JSON (an object, as every API answer is)."""
    w = _Writer()
    if isinstance(value, dict) and value:
        _mapping(w, value, 0, first_inline=False)
    elif isinstance(value, list) and value:
        _sequence(w, value, 0, first_inline=False)
    else:
        _value(w, value, -_INDENT, in_mapping=False)
        return "".join(w.parts).lstrip(" ") + "\n"
    return "".join(w.parts) + "\n"
