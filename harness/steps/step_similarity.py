"""How much an unknown step line reads like a defined step: the "closest defined steps" ranking.

A character ratio alone (difflib) finds typos (``When 3 minutes passed``) but not a QA author's
own wording of a step: ``Then module "my-module" is Ready`` shares few characters with
``Then the {kind} "{name}" is in phase "{phase}"``, so the lint offered the release-list step
instead, and ``When I wait 3 minutes`` got nothing about time. The ranking therefore also counts
the words the line shares with a definition, where a value stands for the placeholder it would
fill: ``Ready`` is a ``{phase}``, ``Module`` a ``{kind}``, ``3 minutes`` a ``{span}``,
``Monday`` a ``{moment}``. Each
definition is offered once, by its best phrasing: ``Given``/``When`` and ``pass``/``passes``
phrasings of one definition would otherwise fill the short list with one step.
"""

from __future__ import annotations

import difflib
import re

from harness.api.kinds import ALL_DKP_RESOURCES
from harness.steps.catalogue import StepDef
from harness.steps.phase_names import KNOWN_PHASES

__all__ = ["COMPARED_LENGTH", "closest_steps", "shared_words"]

COMPARED_LENGTH = 500
"""How much of a line is compared with the definitions. No definition is longer than 80
characters, so a longer line is no near-miss of one; comparing all of a 100 KB line took seconds
per unknown step (the character ratio is linear in it, with a large factor per definition)."""

_KIND_WORDS = frozenset(
    {resource.kind.lower() for resource in ALL_DKP_RESOURCES}
    | {"module", "release", "source", "policy", "config", "override", "ms", "mr", "mc", "mup", "mpo"}
)
_PHASE_WORDS = frozenset(phase.lower() for phase in KNOWN_PHASES)
_SPAN = re.compile(r"\b\d+\s*(?:second|minute|hour|day|week)s?\b", re.IGNORECASE)
_MOMENT = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b\d{4}-\d\d-\d\d\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{(\w+)(?::[^}]*)?\}")
_STOP = frozenset("a an and are be by i in is it of should the to x".split())
_WORDS_WEIGHT = 0.5
_KIND_BONUS = 0.2


def closest_steps(
    kind: str, text: str, steps: list[StepDef], limit: int = 3, *, every_phrasing: bool = False
) -> list[StepDef]:
    """The ``limit`` definitions that read most like ``text`` (same kind first), one phrasing each
    unless ``every_phrasing`` (a rewrite of the line picks the phrasing that agrees with it)."""
    text = text[:COMPARED_LENGTH]
    plain = _normalise(text)
    wanted = _text_words(text)
    best: dict[str, tuple[float, StepDef]] = {}
    for step in steps:
        score = difflib.SequenceMatcher(None, plain, _normalise(step.pattern)).ratio()
        if wanted:
            score += _WORDS_WEIGHT * len(wanted & _pattern_words(step.pattern)) / len(wanted)
        score += _KIND_BONUS if step.kind == kind else 0.0
        key = step.key if every_phrasing else step.function
        if key not in best or score > best[key][0]:
            best[key] = (score, step)
    ranked = sorted(best.values(), key=lambda pair: pair[0], reverse=True)
    return [step for _, step in ranked[:limit]]


def shared_words(text: str, pattern: str) -> set[str]:
    """The words (and placeholders its values fill) the line ``text`` shares with ``pattern``."""
    return _text_words(text) & _pattern_words(pattern)


def _text_words(text: str) -> set[str]:
    """The line's words, stemmed, plus the placeholder each of its values would fill."""
    words = {name for name, form in (("span", _SPAN), ("moment", _MOMENT)) if form.search(text)}
    for raw in re.findall(r"[A-Za-z][\w-]*", _MOMENT.sub(" ", _SPAN.sub(" ", text))):
        lowered = raw.lower()
        if lowered in _PHASE_WORDS:  # a value, not wording: ``Deployed`` says "a phase"
            words.add("phase")
            continue
        if lowered in _KIND_WORDS:
            words.add("kind")
        words.add(_stem(lowered))
    return words - _STOP


def _pattern_words(pattern: str) -> set[str]:
    """A definition's literal words, stemmed, and the names of its placeholders (``{phase}``)."""
    names = {match[1].lower() for match in _PLACEHOLDER.finditer(pattern)}
    literal = re.findall(r"[A-Za-z][\w-]*", _PLACEHOLDER.sub(" ", pattern))
    return ({_stem(word.lower()) for word in literal} | names) - _STOP


def _stem(word: str) -> str:
    """``enables``/``enabled``/``enable`` and ``passes``/``pass`` compare equal."""
    if len(word) > 4:
        word = re.sub(r"(?:es|s|ed|d)$", "", word)
    return word[:5]


def _normalise(text: str) -> str:
    """Quoted values and ``{placeholders}`` become ``"x"`` so that only the wording is compared."""
    text = re.sub(r'"[^"]*"', '"x"', text)
    text = re.sub(r"\{[^}]*\}", "x", text)
    return re.sub(r"`[^`]*`", "`x`", text).lower()
