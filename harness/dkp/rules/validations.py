"""Release validations: the SQL gates a module ships in ``release/validations/*.sql``.

Deckhouse v1.78 and later (``Behaviour.RELEASE_VALIDATIONS``); upstream
``deckhouse-controller/pkg/controller/module-controllers/release/release_gates.go`` and
``deckhouse-controller/pkg/releasegates/releasegates.go`` (docs/dkp-eras.md, "release-validations").
Between download and install the release controller runs every file, in lexical order, against the
virtual table ``v_d8_platform``; the first failure keeps the release Pending.

Upstream evaluates them with its ``d8sql`` engine, which is not public. The simulator understands
the one statement form upstream's own test uses, and refuses anything else loudly (naming the file
and the statement) rather than guessing what it would mean::

    ASSERT [NOT] EMPTY (SELECT <col> FROM v_d8_platform [WHERE <col> IN ('a', 'b') | <col> = 'a'])
        FAIL '<CODE>' '<message>';

An empty file (or one holding only comments) passes. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "COLUMNS",
    "VALIDATIONS_DIR",
    "Platform",
    "first_failure",
    "validation_files",
]

VALIDATIONS_DIR = "release/validations/"
"""Where the module image carries its validation files."""

COLUMNS = ("deckhouseVersion", "deckhouseEdition", "deckhouseBundle", "kubernetesVersion")
"""The columns of ``v_d8_platform`` the simulator knows."""


@dataclass(frozen=True)
class Platform:
    """The one row of ``v_d8_platform``: what the cluster runs."""

    deckhouse_version: str
    edition: str
    bundle: str
    kubernetes_version: str

    def column(self, name: str) -> str:
        return {
            "deckhouseVersion": self.deckhouse_version,
            "deckhouseEdition": self.edition,
            "deckhouseBundle": self.bundle,
            "kubernetesVersion": self.kubernetes_version,
        }[name]


_Q = r"'(?:[^']|'')*'"
_STATEMENT = re.compile(
    r"^ASSERT\s+(?P<not>NOT\s+)?EMPTY\s*\(\s*SELECT\s+(?P<col>\w+)\s+FROM\s+v_d8_platform"
    rf"(?:\s+WHERE\s+(?P<wcol>\w+)\s*(?:=\s*(?P<eq>{_Q})|IN\s*\((?P<in>\s*{_Q}(?:\s*,\s*{_Q})*\s*)\)))?"
    rf"\s*\)\s*FAIL\s+(?P<code>{_Q})\s+(?P<message>{_Q})$",
    re.IGNORECASE | re.DOTALL,
)
_ITEM = re.compile(_Q)


def validation_files(files: Mapping[str, bytes]) -> list[tuple[str, str]]:
    """``(file name, text)`` of every ``release/validations/*.sql`` in ``files``, in lexical order."""
    found = [
        (path[len(VALIDATIONS_DIR) :], data.decode("utf-8", errors="replace"))
        for path, data in files.items()
        if path.startswith(VALIDATIONS_DIR)
        and path.endswith(".sql")
        and "/" not in path[len(VALIDATIONS_DIR) :]
    ]
    return sorted(found)


def first_failure(files: Iterable[tuple[str, str]], platform: Platform) -> str:
    """``"<file>: d8sql: validation failed [<CODE>]: <message>"`` for the first failing statement
    (the text of upstream's goldens), ``""`` when all hold.

    A statement outside the supported form fails as ``<file>: unsupported statement …`` so a
    module author sees at once that the simulator, not the module, is the limit.
    """
    for name, text in files:
        for statement in _statements(text):
            failure = _evaluate(statement, platform)
            if failure:
                return f"{name}: {failure}"
    return ""


def _statements(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in _split(" ".join(lines)) if s.strip()]


def _split(text: str) -> list[str]:
    """Split on ``;`` outside quotes."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == "'":
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _unquote(text: str) -> str:
    """``'it''s'`` → ``it's``."""
    return text[1:-1].replace("''", "'")


def _evaluate(statement: str, platform: Platform) -> str:
    """The failure text of one statement, ``""`` when it holds."""
    match = _STATEMENT.match(statement)
    if match is None:
        return (
            f"unsupported statement {statement[:80]!r} (the simulator evaluates only "
            "ASSERT [NOT] EMPTY (SELECT <column> FROM v_d8_platform [WHERE <column> IN (...) | = '...']) "
            "FAIL '<code>' '<message>')"
        )
    columns = [c for c in (match["col"], match["wcol"]) if c]
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        return f"unknown column {unknown[0]!r} of v_d8_platform (known: {', '.join(COLUMNS)})"
    rows = 1
    if match["wcol"]:
        value = platform.column(match["wcol"])
        listed = [match["eq"]] if match["eq"] is not None else _ITEM.findall(match["in"])
        rows = 1 if value in {_unquote(item) for item in listed} else 0
    empty = rows == 0
    holds = not empty if match["not"] else empty
    return (
        "" if holds else f"d8sql: validation failed [{_unquote(match['code'])}]: {_unquote(match['message'])}"
    )
