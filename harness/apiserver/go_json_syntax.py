"""The syntax error Go's ``encoding/json`` reports for bytes that are not JSON.

kube-apiserver reads a body sent as ``application/json`` (and every JSON, merge and strategic
merge patch) with Go's JSON decoder only: YAML is not tried. Before it decodes anything,
``json.Unmarshal`` scans the whole input (``checkValid`` in ``encoding/json/scanner.go``) and
stops at the first byte no JSON value can hold, with a message naming the byte and what the
scanner was reading: ``invalid character 'a' looking for beginning of value``, ``... after object
key``, ``unexpected end of JSON input``. Python's ``json`` module finds the same bodies invalid
but words them its own way, so this module runs Go's scanner states over the bytes to get Go's
words. It runs only on bodies Python already refused: valid JSON never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["syntax_error"]

_SPACE = frozenset(b" \t\r\n")
_DIGITS = frozenset(b"0123456789")
_HEX = frozenset(b"0123456789abcdefABCDEF")
_ESCAPES = frozenset(b'bfnrt\\/"')
_MAX_DEPTH = 10000
"""``maxNestingDepth`` of Go's scanner."""


class _Stop(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _quote(c: int) -> str:
    """``quoteChar``: the byte as Go's ``strconv.Quote`` writes the rune of the same number, in
    single quotes (``'\\''`` and ``'"'`` are its own special cases)."""
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    ch = chr(c)
    named = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
    if ch in named:
        return f"'{named[ch]}'"
    if ch == "\\":
        return "'\\\\'"
    if ch.isprintable():
        return f"'{ch}'"
    return f"'\\x{c:02x}'" if c < 0x80 else f"'\\u{c:04x}'"


def _bad(c: int, context: str) -> _Stop:
    return _Stop(f"invalid character {_quote(c)} {context}")


State = Callable[["_Scanner", int], None]


class _Scanner:
    """Go's scanner: ``step`` is the state function for the next byte, ``stack`` what each open
    container expects next (``key``, ``value`` of an object, ``element`` of an array)."""

    def __init__(self) -> None:
        self.step: State = _begin_value
        self.stack: list[str] = []
        self.end_top = False

    def push(self, kind: str) -> None:
        self.stack.append(kind)
        if len(self.stack) > _MAX_DEPTH:
            raise _Stop("exceeded max depth")


def _begin_value_or_empty(s: _Scanner, c: int) -> None:
    if c in _SPACE:
        return
    if c == ord("]"):
        _end_value(s, c)
        return
    _begin_value(s, c)


def _begin_value(s: _Scanner, c: int) -> None:
    if c in _SPACE:
        return
    if c == ord("{"):
        s.step = _begin_string_or_empty
        s.push("key")
    elif c == ord("["):
        s.step = _begin_value_or_empty
        s.push("element")
    elif c == ord('"'):
        s.step = _in_string
    elif c == ord("-"):
        s.step = _negative
    elif c == ord("0"):
        s.step = _zero
    elif c in _DIGITS:
        s.step = _digits
    elif c in _LITERALS:
        s.step = _LITERALS[c]
    else:
        raise _bad(c, "looking for beginning of value")


def _begin_string_or_empty(s: _Scanner, c: int) -> None:
    if c in _SPACE:
        return
    if c == ord("}"):
        s.stack[-1] = "value"
        _end_value(s, c)
        return
    _begin_string(s, c)


def _begin_string(s: _Scanner, c: int) -> None:
    if c in _SPACE:
        return
    if c != ord('"'):
        raise _bad(c, "looking for beginning of object key string")
    s.step = _in_string


def _end_value(s: _Scanner, c: int) -> None:
    if not s.stack:
        s.step = _end_top
        s.end_top = True
        _end_top(s, c)
        return
    if c in _SPACE:
        s.step = _end_value
        return
    top = s.stack[-1]
    if top == "key":
        if c != ord(":"):
            raise _bad(c, "after object key")
        s.stack[-1] = "value"
        s.step = _begin_value
    elif top == "value":
        if c == ord(","):
            s.stack[-1] = "key"
            s.step = _begin_string
        elif c == ord("}"):
            _pop(s)
        else:
            raise _bad(c, "after object key:value pair")
    elif c == ord(","):
        s.step = _begin_value
    elif c == ord("]"):
        _pop(s)
    else:
        raise _bad(c, "after array element")


def _pop(s: _Scanner) -> None:
    s.stack.pop()
    s.step = _end_value
    if not s.stack:
        s.step = _end_top
        s.end_top = True


def _end_top(s: _Scanner, c: int) -> None:
    if c not in _SPACE:
        raise _bad(c, "after top-level value")


def _in_string(s: _Scanner, c: int) -> None:
    if c == ord('"'):
        s.step = _end_value
    elif c == ord("\\"):
        s.step = _in_escape
    elif c < 0x20:
        raise _bad(c, "in string literal")


def _in_escape(s: _Scanner, c: int) -> None:
    if c in _ESCAPES:
        s.step = _in_string
    elif c == ord("u"):
        s.step = _unicode_escape(4)
    else:
        raise _bad(c, "in string escape code")


def _unicode_escape(left: int) -> State:
    def step(s: _Scanner, c: int) -> None:
        if c not in _HEX:
            raise _bad(c, "in \\u hexadecimal character escape")
        s.step = _in_string if left == 1 else _unicode_escape(left - 1)

    return step


def _negative(s: _Scanner, c: int) -> None:
    if c == ord("0"):
        s.step = _zero
    elif c in _DIGITS:
        s.step = _digits
    else:
        raise _bad(c, "in numeric literal")


def _digits(s: _Scanner, c: int) -> None:
    if c in _DIGITS:
        return
    _zero(s, c)


def _zero(s: _Scanner, c: int) -> None:
    if c == ord("."):
        s.step = _dot
    elif c in b"eE":
        s.step = _exponent
    else:
        _end_value(s, c)


def _dot(s: _Scanner, c: int) -> None:
    if c not in _DIGITS:
        raise _bad(c, "after decimal point in numeric literal")
    s.step = _fraction


def _fraction(s: _Scanner, c: int) -> None:
    if c in _DIGITS:
        return
    if c in b"eE":
        s.step = _exponent
    else:
        _end_value(s, c)


def _exponent(s: _Scanner, c: int) -> None:
    if c in b"+-":
        s.step = _exponent_sign
        return
    _exponent_sign(s, c)


def _exponent_sign(s: _Scanner, c: int) -> None:
    if c not in _DIGITS:
        raise _bad(c, "in exponent of numeric literal")
    s.step = _exponent_digits


def _exponent_digits(s: _Scanner, c: int) -> None:
    if c not in _DIGITS:
        _end_value(s, c)


def _literal(word: str, at: int) -> State:
    """The state after ``word[:at]`` of ``true``, ``false`` or ``null`` was read."""

    def step(s: _Scanner, c: int) -> None:
        expected = word[at]
        if c != ord(expected):
            raise _bad(c, f"in literal {word} (expecting {_quote(ord(expected))})")
        s.step = _end_value if at + 1 == len(word) else _literal(word, at + 1)

    return step


_LITERALS: dict[int, State] = {ord(w[0]): _literal(w, 1) for w in ("true", "false", "null")}


def syntax_error(data: bytes) -> str | None:
    """Go's message for the first syntax error in ``data``; None when ``data`` is valid JSON."""
    s = _Scanner()
    try:
        for c in data:
            s.step(s, c)
        if not s.end_top:
            s.step(s, ord(" "))
    except _Stop as stop:
        return stop.message
    return None if s.end_top else "unexpected end of JSON input"
