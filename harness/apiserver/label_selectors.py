"""A request's ``labelSelector``, parsed as kube-apiserver parses it.

kube-apiserver turns the query parameter into a selector with apimachinery's ``labels.Parse``
(``k8s.io/apimachinery/pkg/labels/selector.go``, called by ``Convert_string_To_labels_Selector`` in
``pkg/apis/meta/v1/conversion.go``) and answers a failure as ``400 BadRequest`` with the parser's
own words (the list handler's ``errors.NewBadRequest(err.Error())``). kubectl wraps that message
(``Unable to find "..." that match label selector "...": <message>``), so a mistyped ``-l`` shows
the parser's wording to the user. This module is a port of that lexer and parser: the same tokens
(``=``, ``==``, ``!=``, ``in``, ``notin``, ``!``, ``>``, ``<``, parentheses, commas), the same
grammar, the same checks of keys (qualified names) and values (label values, integers for ``>``
and ``<``), and the same messages. :class:`~harness.kube.selectors.LabelSelector` stays the
matcher; this module builds one from the requirements parsed here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from harness.apiserver.objectmeta import go_quote, label_value, qualified_name
from harness.kube.selectors import LabelSelector, SelectorError

__all__ = ["parse_label_selector"]


class _Tok(enum.Enum):
    """apimachinery's lexer tokens (``Token`` in ``selector.go``)."""

    ERROR = enum.auto()
    END = enum.auto()
    CLOSE = enum.auto()
    COMMA = enum.auto()
    NOT = enum.auto()
    DOUBLE_EQUALS = enum.auto()
    EQUALS = enum.auto()
    GREATER = enum.auto()
    IDENT = enum.auto()
    IN = enum.auto()
    LESS = enum.auto()
    NOT_EQUALS = enum.auto()
    NOT_IN = enum.auto()
    OPEN = enum.auto()


_LITERALS = {
    ")": _Tok.CLOSE,
    ",": _Tok.COMMA,
    "!": _Tok.NOT,
    "==": _Tok.DOUBLE_EQUALS,
    "=": _Tok.EQUALS,
    ">": _Tok.GREATER,
    "in": _Tok.IN,
    "<": _Tok.LESS,
    "!=": _Tok.NOT_EQUALS,
    "notin": _Tok.NOT_IN,
    "(": _Tok.OPEN,
}
_OPERATORS = {
    _Tok.IN: "in",
    _Tok.EQUALS: "=",
    _Tok.DOUBLE_EQUALS: "==",
    _Tok.GREATER: "gt",
    _Tok.LESS: "lt",
    _Tok.NOT_IN: "notin",
    _Tok.NOT_EQUALS: "!=",
}
_BINARY = "in, notin, =, ==, !=, gt, lt"
"""``strings.Join(binaryOperators, ", ")``: the ``selection.Operator`` names, not the symbols."""
_SPECIAL = frozenset("=!(),><")
_BLANK = frozenset(" \t\r\n")

Item = tuple[_Tok, str]


def _lex(text: str) -> list[Item]:
    """Every token of ``text`` up to and including the end (``Lexer.Lex`` until EndOfString).

    Go reads bytes and takes a NUL byte for the end of the string; so does this.
    """
    items: list[Item] = []
    pos, size = 0, len(text)
    while True:
        while pos < size and text[pos] in _BLANK:
            pos += 1
        if pos >= size or text[pos] == "\0":
            items.append((_Tok.END, ""))
            return items
        if text[pos] in _SPECIAL:
            item, pos = _special(text, pos)
        else:
            start = pos
            while pos < size and text[pos] != "\0" and text[pos] not in _SPECIAL and text[pos] not in _BLANK:
                pos += 1
            word = text[start:pos]
            item = (_LITERALS.get(word, _Tok.IDENT), word)
        items.append(item)


def _special(text: str, pos: int) -> tuple[Item, int]:
    """The longest operator at ``pos`` (``scanSpecialSymbol``): ``!=`` before ``!``, ``==`` before ``=``."""
    last: Item | None = None
    buffer = ""
    while pos < len(text) and text[pos] in _SPECIAL:
        buffer += text[pos]
        pos += 1
        tok = _LITERALS.get(buffer)
        if tok is not None:
            last = (tok, buffer)
        elif last is not None:
            pos -= 1
            break
    if last is None:
        return (_Tok.ERROR, f"error expected: keyword found '{buffer}'"), pos
    return last, pos


@dataclass
class _Parser:
    """apimachinery's ``Parser``: a recursive descent over the scanned tokens."""

    items: list[Item]
    position: int = 0

    def lookahead(self, values: bool) -> Item:
        return _in_context(self.items[self.position], values)

    def consume(self, values: bool) -> Item:
        self.position += 1
        return _in_context(self.items[self.position - 1], values)

    def parse(self) -> list[tuple[str, str, list[str]]]:
        requirements: list[tuple[str, str, list[str]]] = []
        while True:
            tok, lit = self.lookahead(True)
            if tok in (_Tok.IDENT, _Tok.NOT):
                try:
                    requirements.append(self.requirement())
                except SelectorError as exc:
                    raise SelectorError(f"unable to parse requirement: {exc}") from None
                tok, lit = self.consume(True)
                if tok is _Tok.END:
                    return requirements
                if tok is not _Tok.COMMA:
                    raise SelectorError(f"found '{lit}', expected: ',' or 'end of string'")
                tok2, lit2 = self.lookahead(True)
                if tok2 not in (_Tok.IDENT, _Tok.NOT):
                    raise SelectorError(f"found '{lit2}', expected: identifier after ','")
            elif tok is _Tok.END:
                return requirements
            else:
                raise SelectorError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def requirement(self) -> tuple[str, str, list[str]]:
        key, operator = self.key_and_operator()
        if operator in ("exists", "!"):
            return _checked(key, operator, [])
        tok, lit = self.consume(False)
        op = _OPERATORS.get(tok)
        if op is None:
            raise SelectorError(f"found '{lit}', expected: {_BINARY}")
        values = self.values() if op in ("in", "notin") else self.exact_value()
        return _checked(key, op, sorted(values))

    def key_and_operator(self) -> tuple[str, str]:
        operator = ""
        tok, lit = self.consume(True)
        if tok is _Tok.NOT:
            operator = "!"
            tok, lit = self.consume(True)
        if tok is not _Tok.IDENT:
            raise SelectorError(f"found '{lit}', expected: identifier")
        errors = qualified_name(lit)
        if errors:  # validateLabelKey with the parser's nil path, printed "<nil>"
            raise SelectorError(f"<nil>: Invalid value: {go_quote(lit)}: {'; '.join(errors)}")
        if self.lookahead(True)[0] in (_Tok.END, _Tok.COMMA) and operator != "!":
            operator = "exists"
        return lit, operator

    def values(self) -> set[str]:
        tok, lit = self.consume(True)
        if tok is not _Tok.OPEN:
            raise SelectorError(f"found '{lit}' expected: '('")
        tok, lit = self.lookahead(True)
        if tok in (_Tok.IDENT, _Tok.COMMA):
            found = self.identifiers()
            if self.consume(True)[0] is not _Tok.CLOSE:
                raise SelectorError(f"found '{lit}', expected: ')'")
            return found
        if tok is _Tok.CLOSE:
            self.consume(True)
            return {""}
        raise SelectorError(f"found '{lit}', expected: ',', ')' or identifier")

    def identifiers(self) -> set[str]:
        found: set[str] = set()
        while True:
            tok, lit = self.consume(True)
            if tok is _Tok.IDENT:
                found.add(lit)
                tok2, lit2 = self.lookahead(True)
                if tok2 is _Tok.CLOSE:
                    return found
                if tok2 is not _Tok.COMMA:
                    raise SelectorError(f"found '{lit2}', expected: ',' or ')'")
            elif tok is _Tok.COMMA:  # "(,", ",)" and ",," each stand for the empty value
                if not found:
                    found.add("")
                tok2 = self.lookahead(True)[0]
                if tok2 is _Tok.CLOSE:
                    found.add("")
                    return found
                if tok2 is _Tok.COMMA:
                    self.consume(True)
                    found.add("")
            else:
                raise SelectorError(f"found '{lit}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        if self.lookahead(True)[0] in (_Tok.END, _Tok.COMMA):
            return {""}
        tok, lit = self.consume(True)
        if tok is _Tok.IDENT:
            return {lit}
        raise SelectorError(f"found '{lit}', expected: identifier")


def _in_context(item: Item, values: bool) -> Item:
    """``in`` and ``notin`` are plain words where a value may stand (``x in (in)``)."""
    if values and item[0] in (_Tok.IN, _Tok.NOT_IN):
        return _Tok.IDENT, item[1]
    return item


def _go_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 10, 64)``: an optional sign, decimal digits, within int64."""
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


def _checked(key: str, op: str, values: list[str]) -> tuple[str, str, list[str]]:
    """``NewRequirement``'s checks of what the parser found, as one aggregated error."""
    errors: list[str] = []
    if op in ("gt", "lt"):
        message = "for 'Gt', 'Lt' operators, the value must be an integer"
        errors += [
            f"values[{i}]: Invalid value: {go_quote(v)}: {message}"
            for i, v in enumerate(values)
            if _go_int(v) is None
        ]
    for i, value in enumerate(values):
        problems = label_value(value)
        if problems:
            errors.append(f"values[{i}][{key}]: Invalid value: {go_quote(value)}: {'; '.join(problems)}")
    if len(errors) == 1:
        raise SelectorError(errors[0])
    if errors:  # utilerrors.NewAggregate's Error()
        raise SelectorError("[" + ", ".join(errors) + "]")
    return key, op, values


Requirement = Callable[[Mapping[str, str]], bool]


def _matcher(key: str, op: str, values: list[str]) -> Requirement:
    """``Requirement.Matches``: ``!=`` and ``notin`` hold where the key is absent, ``gt``/``lt``
    compare integers and fail for an absent or non-integer label."""
    wanted = frozenset(values)
    if op in ("=", "==", "in"):
        return lambda labels: key in labels and labels[key] in wanted
    if op in ("!=", "notin"):
        return lambda labels: key not in labels or labels[key] not in wanted
    if op == "exists":
        return lambda labels: key in labels
    if op == "!":
        return lambda labels: key not in labels
    bound = _go_int(values[0]) if len(values) == 1 else None
    greater = op == "gt"

    def compare(labels: Mapping[str, str]) -> bool:
        found = _go_int(labels[key]) if key in labels else None
        if found is None or bound is None:
            return False
        return found > bound if greater else found < bound

    return compare


def parse_label_selector(text: str | None) -> LabelSelector:
    """The selector ``text`` describes; :class:`SelectorError` with apimachinery's message if none."""
    requirements = _Parser(_lex(text or "")).parse()
    return LabelSelector(text or "", tuple(_matcher(*r) for r in requirements))
