"""An unknown step line rewritten as the closest defined step, with the author's own values.

The "closest defined steps" list shows patterns (``Then the {kind} "{name}" is in phase
"{phase}"``); a QA author who wrote ``Then the module "module-one" should be Ready`` still has to
work out which of their words goes where, and the step they meant was sometimes not among the
three listed (the release-list step shares more words). This module reads the values the line
carries, typed as the placeholders they can fill (a DKP kind or ``module``/``release``, a phase,
a span such as ``3 minutes``, a moment, a version, ``key="value"``, the other quoted texts), and
fills the best-ranked definition that takes all of them and no other: ``did you mean: Then the
Module "module-one" is in phase "Ready"?``.

A line is rewritten only when the definition shares wording with it beyond the object it names
(a verb, a phase, a span): ``When the ModuleSource "example" syncs`` takes the same values as
``When I delete the {kind} "{name}"``, and offering that would be worse than offering nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from harness.api import kinds
from harness.api.kinds import ALL_DKP_RESOURCES
from harness.steps.catalogue import StepDef
from harness.steps.phase_names import KNOWN_PHASES
from harness.steps.step_similarity import closest_steps, shared_words

__all__ = ["rewritten_line"]

_KINDS = {resource.kind.lower(): resource.kind for resource in ALL_DKP_RESOURCES}
_KIND_SYNONYMS = {
    "module": kinds.MODULE.kind,
    "modules": kinds.MODULE.kind,
    "release": kinds.MODULE_RELEASE.kind,
    "releases": kinds.MODULE_RELEASE.kind,
    "source": kinds.MODULE_SOURCE.kind,
    "config": kinds.MODULE_CONFIG.kind,
    "policy": kinds.MODULE_UPDATE_POLICY.kind,
}
_PHASES = {phase.lower(): phase for phase in KNOWN_PHASES}
_QUOTED = re.compile(r'"([^"]*)"')
_KEY_VALUE = re.compile(r'([A-Za-z0-9][\w./-]*)="([^"]*)"')
_SPAN = re.compile(r"\b(\d+)\s*(second|minute|hour|day|week)s?\b", re.IGNORECASE)
_MOMENT = re.compile(r"\b\w+day \d{4}-\d\d-\d\d \d\d:\d\d UTC\b")
_VERSION = re.compile(r"(?<![\w.])v?\d+\.\d+(?:\.\d+)?(?![\w.])")
_PLACEHOLDER = re.compile(r"\{(\w+)(?::[^}]*)?\}")
_NAMING_WORDS = frozenset({"channel", "module", "user", "tag", "edition", "bundle"})
"""Placeholder names a line writes next to the value (``module "module-one"``)."""
_WORDING_ONLY = frozenset(
    {"kind", "name", "modul", "versi", "regis", "chann", "user", "tag", "editi", "bundl"}
)
"""Words (stemmed) a line shares with many steps only because it names an object, a module, a
channel or a version: they say nothing of what the step does (``publishes version v0.7.24 on
channel "stable"`` is not ``the "stable" channel … moves to v0.7.24``)."""


@dataclass
class _Values:
    """The values a line carries, each kind of value in the order written."""

    kind: str | None = None
    kind_required: bool = False
    """A kind written as DKP spells it (``ModuleRelease``) must be used; ``the module`` may be wording."""
    phases: list[str] = field(default_factory=list)
    spans: list[str] = field(default_factory=list)
    moments: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    neighbours: dict[str, set[str]] = field(default_factory=dict)
    """The words either side of each quoted text: ``channel "stable"`` marks it the ``{channel}``,
    ``Module "module-one"`` the ``{name}``."""

    def count(self) -> int:
        return (
            self.kind_required
            + len(self.phases)
            + len(self.spans)
            + len(self.moments)
            + len(self.versions)
            + len(self.pairs)
            + len(self.texts)
        )


def rewritten_line(kind: str, keyword: str, text: str, steps: list[StepDef], indent: str = "  ") -> str:
    """``did you mean: <keyword> <line>?`` for the closest definition that takes the line's
    values, else ``""``."""
    if text.count('"') % 2:
        return ""  # ``"a"b"``: which words are values cannot be told, and one would be dropped
    values = _values(text)
    if values.count() == 0:
        return ""
    for step in closest_steps(kind, text, steps, limit=len(steps), every_phrasing=True):
        if step.kind != kind or not (shared_words(text, step.pattern) - _WORDING_ONLY):
            continue
        filled = _fill(step.pattern, values)
        if filled is not None and filled != text and step.matches(kind, filled) and _reads_well(filled):
            return f"{indent}did you mean: {keyword} {filled}? (the closest step that takes your values)"
    return ""


def _values(text: str) -> _Values:
    values = _Values()
    values.pairs = _KEY_VALUE.findall(text)
    rest = _KEY_VALUE.sub(" ", text)
    for match in _QUOTED.finditer(rest):
        _add_typed(values, match[1], quoted_text=True)
        before = re.findall(r"[A-Za-z]+", rest[: match.start()])[-1:]
        after = re.findall(r"[A-Za-z]+", rest[match.end() :])[:1]
        values.neighbours.setdefault(match[1], set()).update(_naming(word) for word in before + after)
    rest = _QUOTED.sub(" ", rest)
    values.moments = _MOMENT.findall(rest)
    rest = _MOMENT.sub(" ", rest)
    values.spans = [match[0] for match in _SPAN.finditer(rest)]
    rest = _SPAN.sub(" ", rest)
    values.versions += _VERSION.findall(rest)
    rest = _VERSION.sub(" ", rest)
    for word in re.findall(r"[A-Za-z][\w-]*", rest):
        _add_typed(values, word, quoted_text=False)
    return values


def _naming(word: str) -> str:
    """The placeholder a word next to a quoted value names: a kind names the object (``{name}``)."""
    lowered = word.lower()
    return "name" if lowered in _KINDS or lowered in _KIND_SYNONYMS else lowered


def _add_typed(values: _Values, word: str, *, quoted_text: bool) -> None:
    """File one value under the placeholder it can fill; an unquoted plain word is wording."""
    lowered = word.lower()
    if lowered in _PHASES:
        values.phases.append(_PHASES[lowered])
    elif _VERSION.fullmatch(word):
        values.versions.append(word)
    elif quoted_text:
        values.texts.append(word)
    elif values.kind is None and (word in _KINDS.values() or lowered in _KIND_SYNONYMS):
        values.kind = word if word in _KINDS.values() else _KIND_SYNONYMS[lowered]
        values.kind_required = word in _KINDS.values()


def _fill(pattern: str, values: _Values) -> str | None:
    """``pattern`` with every placeholder taken from ``values``, all of them used; else ``None``."""
    pools: dict[str, list[str]] = {
        "phase": list(values.phases),
        "span": list(values.spans),
        "moment": list(values.moments),
        "version": list(values.versions),
        "text": list(values.texts),
    }
    pairs = list(values.pairs)
    kind_used = values.kind is not None and values.kind in _PLACEHOLDER.sub(" ", pattern)
    names = {match[1] for match in _PLACEHOLDER.finditer(pattern)}
    out: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(pattern):
        name = match[1]
        out.append(pattern[position : match.start()])
        position = match.end()
        if name == "phases":  # `went through {phases}`: every phase the line names, in order
            if not pools["phase"]:
                return None
            out.append(", ".join(pools["phase"]))
            pools["phase"] = []
        elif name == "kind":
            if values.kind is None or kind_used:
                return None
            out.append(values.kind)
            kind_used = True
        elif name in ("key", "value"):
            if not pairs:
                return None
            out.append(pairs[0][0] if name == "key" else pairs.pop(0)[1])
        elif name in pools:
            if not pools[name]:
                return None
            out.append(pools[name].pop(0))
        else:
            text = _text_for(name, names, pools["text"], values.neighbours)
            if text is None:
                return None
            out.append(text)
    out.append(pattern[position:])
    leftover = any(pools.values()) or pairs or (values.kind_required and not kind_used)
    return None if leftover else "".join(out)


def _text_for(name: str, names: set[str], texts: list[str], neighbours: dict[str, set[str]]) -> str | None:
    """The quoted text for ``{name}``, taken from ``texts``: the one written next to the word the
    placeholder is named for (``channel "stable"``, ``Module "module-one"`` for ``{name}`` or
    ``{module}``), else the first one written next to no other placeholder's word of the pattern."""

    def marks(text: str) -> set[str]:
        near = neighbours.get(text, set())
        return near | {"module"} if "name" in near else near

    named = [text for text in texts if name in marks(text)]
    free = [text for text in texts if not marks(text) & (names - {name})]
    candidates = named or free
    if not candidates:
        return None
    chosen = candidates[0]
    texts.remove(chosen)
    return chosen


def _reads_well(line: str) -> bool:
    """``3 minutes pass`` and ``1 minute passes``: of a definition's two phrasings, the one that agrees."""
    match = re.search(r"\b(\d+) \w+ (pass|passes)\b", line)
    return match is None or (match[1] == "1") == (match[2] == "passes")
