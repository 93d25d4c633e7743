"""Control characters made visible, for the HTML report and the terminal.

A feature file may carry a NUL, an ESC or a carriage return in a step line (a pasted binary, an
ANSI colour code from a log). Written raw, the HTML report showed nothing, or U+FFFD, where the
character was (HTML forbids NUL and most C0 controls in text), and the terminal *obeyed* it: an
ESC sequence recoloured or cleared the screen, a CR overwrote the line. Both now show each such
character as the symbol the Unicode "Control Pictures" block gives it (U+2400 + code: NUL ``␀``,
ESC ``␛``, CR ``␍``; DEL ``␡``), which browsers and terminals draw and readers recognise; the C1
controls (U+0080-U+009F, which some terminals also obey) have no picture and show as ``\\x9b``.
The bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) have no picture
either and show as ``\\u202e``: written raw, a right-to-left override (U+202E) makes a terminal or a
browser draw the rest of the line backwards, so a feature line could read as another one or hide
its end. Tab and newline stay what they are. The JSON and Cucumber files keep the text as it is (JSON
escapes it: ``\\u0000``); JUnit XML, which cannot hold most C0 controls, shows the pictures too.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

__all__ = ["visible", "visible_value"]

_KEPT = {"\t", "\n"}
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in _KEPT}
_PICTURES[0x7F] = "\u2421"
_PICTURES.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})
_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_PICTURES.update({code: f"\\u{code:04x}" for code in _BIDI})


def visible(text: str) -> str:
    """``text`` with every control character but tab and newline replaced by its picture, and
    every bidirectional control by its escape."""
    return text.translate(_PICTURES)


def visible_value(value: Any) -> Any:
    """Jinja's ``finalize``: every string the HTML template prints, made :func:`visible` (already
    escaped Markup stays Markup: the pictures need no escaping)."""
    if isinstance(value, Markup):
        return Markup(visible(value))
    if isinstance(value, str):
        return visible(value)
    return value
