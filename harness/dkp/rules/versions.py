"""Semantic versions and version constraints, read the way DKP reads them.

DKP parses every version with Masterminds/semver v3 in its lenient mode, and the wording of that
library's errors reaches users verbatim (a Pending ModuleRelease says ``1.0.0 is less than or
equal to v1.63.0``). So this module mirrors the library's observable behaviour rather than a
stricter SemVer reading:

* a leading ``v`` is accepted and ``"1.67"`` means 1.67.0; :attr:`Version.original` keeps the text
  as written (Go ``Original()``) while ``str(version)`` is the normalised form (Go ``String()``);
* a constraint names each failure with the *checked* version normalised and the *constraint's*
  version exactly as typed (``> v1.63.0`` gives ``... or equal to v1.63.0``);
* ``||`` separates alternatives, spaces or commas separate conjunctions, ``a - b`` is a range,
  ``~``/``^`` and ``x``/``*`` wildcards follow the library's rules.

Pure values only: nothing here reads a clock or does I/O.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "Constraints",
    "InvalidConstraintError",
    "InvalidVersionError",
    "Version",
    "is_patch_of",
    "parse_constraints",
    "parse_version",
]

_VERSION_RE = re.compile(
    r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$"
)


class InvalidVersionError(ValueError):
    """A text that is not a semantic version (the library says ``Invalid Semantic Version``)."""


class InvalidConstraintError(ValueError):
    """A constraint the library refuses (``improper constraint: <text>``)."""


@functools.total_ordering
@dataclass(frozen=True, eq=False)
class Version:
    """A parsed version; equality and order ignore build metadata and the original spelling."""

    major: int
    minor: int
    patch: int
    prerelease: str = ""
    metadata: str = ""
    original: str = field(default="", compare=False)

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += f"-{self.prerelease}"
        if self.metadata:
            text += f"+{self.metadata}"
        return text

    @property
    def is_prerelease(self) -> bool:
        return self.prerelease != ""

    def compare(self, other: Version) -> int:
        """-1, 0 or 1, as the library's ``Compare`` (a pre-release sorts below its release)."""
        mine = (self.major, self.minor, self.patch)
        theirs = (other.major, other.minor, other.patch)
        if mine != theirs:
            return -1 if mine < theirs else 1
        return _compare_prerelease(self.prerelease, other.prerelease)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self.compare(other) == 0

    def __lt__(self, other: Version) -> bool:
        return self.compare(other) < 0

    def __hash__(self) -> int:
        return hash((self.major, self.minor, self.patch, self.prerelease))


def parse_version(text: str) -> Version:
    """Parse leniently like ``semver.NewVersion``: ``v1.2.3``, ``1.2``, ``1``, ``1.2.3-rc.1+b``."""
    match = _VERSION_RE.match(text)
    if match is None:
        raise InvalidVersionError(
            f"{text!r} is not a semantic version: write it as MAJOR.MINOR.PATCH, e.g. 'v1.2.3' or '1.2.3'"
        )
    major, minor, patch = (int(part.lstrip(".")) if part else 0 for part in match.group(1, 2, 3))
    return Version(major, minor, patch, match.group(5) or "", match.group(8) or "", text)


def is_patch_of(base: Version, candidate: Version) -> bool:
    """True when ``candidate`` is newer than ``base`` in the patch number only (task calculator)."""
    return candidate.major == base.major and candidate.minor == base.minor and candidate.patch > base.patch


def _compare_prerelease(left: str, right: str) -> int:
    if left == right:
        return 0
    if not left or not right:
        return 1 if not left else -1
    left_parts, right_parts = left.split("."), right.split(".")
    for mine, theirs in zip(left_parts, right_parts, strict=False):
        if mine != theirs:
            return _compare_identifier(mine, theirs)
    return (len(left_parts) > len(right_parts)) - (len(left_parts) < len(right_parts))


def _compare_identifier(left: str, right: str) -> int:
    if left.isdigit() and right.isdigit():
        return (int(left) > int(right)) - (int(left) < int(right))
    if left.isdigit() != right.isdigit():
        return -1 if left.isdigit() else 1  # numeric identifiers sort below alphanumeric ones
    return (left > right) - (left < right)


# ---------------------------------------------------------------------------------------------
# Constraints (Masterminds/semver v3 constraints.go semantics, messages and all)

_CV = (
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"
_CONSTRAINT_RE = re.compile(rf"^\s*({_OPS})\s*({_CV})\s*$")
_RANGE_RE = re.compile(rf"\s*({_CV})\s+-\s+({_CV})\s*")
_FIND_RE = re.compile(rf"({_OPS})\s*({_CV})")
_VALID_RE = re.compile(rf"^(\s*({_OPS})\s*({_CV})\s*)((?:\s+|,\s*)({_OPS})\s*({_CV})\s*)*$")


@dataclass(frozen=True)
class _Constraint:
    op: str
    orig: str
    con: Version
    dirty: bool
    minor_dirty: bool
    patch_dirty: bool

    def __str__(self) -> str:
        return self.op + self.orig


Failure = str | None  # None: the version passes; otherwise the library's error text


@dataclass(frozen=True)
class Constraints:
    """Alternatives (``||``) of conjunctions; build with :func:`parse_constraints`."""

    alternatives: tuple[tuple[_Constraint, ...], ...]

    def __str__(self) -> str:
        return " || ".join(" ".join(str(c) for c in group) for group in self.alternatives)

    def check(self, version: Version) -> bool:
        return not self.validate(version)

    def validate(self, version: Version) -> list[str]:
        """The reasons ``version`` fails, in the library's order; empty when it satisfies."""
        errors: list[str] = []
        prerelease_reported = False
        for group in self.alternatives:
            satisfied = True
            for constraint in group:
                if not constraint.con.prerelease and version.prerelease:
                    if not prerelease_reported:
                        errors.append(_prerelease_message(version))
                        prerelease_reported = True
                    satisfied = False
                    continue
                failure = _OPERATORS[constraint.op](version, constraint)
                if failure is not None:
                    errors.append(failure)
                    satisfied = False
            if satisfied:
                return []
        return errors


def parse_constraints(text: str) -> Constraints:
    """Parse like ``semver.NewConstraint`` (``> v1.63.0``, ``>=1.25 <1.30``, ``~1.2 || ^2``)."""
    rewritten = _RANGE_RE.sub(lambda m: f">= {m.group(1)}, <= {m.group(11)}", text)
    groups = []
    for segment in rewritten.split("||"):
        if not _VALID_RE.match(segment):
            raise InvalidConstraintError(f"improper constraint: {segment}")
        parts = [m.group(0) for m in _FIND_RE.finditer(segment)] or [segment]
        groups.append(tuple(_parse_one(part) for part in parts))
    return Constraints(tuple(groups))


def _parse_one(text: str) -> _Constraint:
    match = _CONSTRAINT_RE.match(text)
    if match is None:
        raise InvalidConstraintError(f"improper constraint: {text}")
    op, orig, major, minor, patch, pre = match.group(1, 2, 3, 4, 5, 6)
    pre = pre or ""
    dirty = minor_dirty = patch_dirty = False
    canonical = orig
    if _is_x(major):
        canonical, dirty = f"0.0.0{pre}", True
    elif not minor or _is_x(minor[1:]):
        canonical, dirty, minor_dirty = f"{major}.0.0{pre}", True, True
    elif not patch or _is_x(patch[1:]):
        canonical, dirty, patch_dirty = f"{major}{minor}.0{pre}", True, True
    return _Constraint(op, orig, parse_version(canonical), dirty, minor_dirty, patch_dirty)


def _is_x(part: str) -> bool:
    return part in ("x", "X", "*")


def _prerelease_message(version: Version) -> str:
    return f"{version} is a prerelease version and the constraint is only looking for release versions"


def _prerelease_guard(version: Version, c: _Constraint) -> Failure:
    if version.prerelease and not c.con.prerelease:
        return _prerelease_message(version)
    return None


def _not_equal(v: Version, c: _Constraint) -> Failure:
    if c.dirty:
        if guard := _prerelease_guard(v, c):
            return guard
        if c.con.major != v.major:
            return None
        if c.con.minor != v.minor and not c.minor_dirty:
            return None
        if not c.minor_dirty and c.con.patch != v.patch and not c.patch_dirty:
            return None
        if c.patch_dirty and (v.prerelease or c.con.prerelease):
            if _compare_prerelease(v.prerelease, c.con.prerelease) != 0:
                return None
        return f"{v} is equal to {c.orig}"
    return f"{v} is equal to {c.orig}" if v == c.con else None


def _greater(v: Version, c: _Constraint) -> Failure:
    fail = f"{v} is less than or equal to {c.orig}"
    if guard := _prerelease_guard(v, c):
        return guard
    if not c.dirty:
        return None if v > c.con else fail
    if v.major != c.con.major:
        return None if v.major > c.con.major else fail
    if c.minor_dirty:
        return fail  # ">11" needs 12 or higher
    if c.patch_dirty:
        return None if v.minor > c.con.minor else fail
    return None if v > c.con else fail


def _less(v: Version, c: _Constraint) -> Failure:
    if guard := _prerelease_guard(v, c):
        return guard
    return None if v < c.con else f"{v} is greater than or equal to {c.orig}"


def _greater_equal(v: Version, c: _Constraint) -> Failure:
    if guard := _prerelease_guard(v, c):
        return guard
    return None if v >= c.con else f"{v} is less than {c.orig}"


def _less_equal(v: Version, c: _Constraint) -> Failure:
    fail = f"{v} is greater than {c.orig}"
    if guard := _prerelease_guard(v, c):
        return guard
    if not c.dirty:
        return None if v <= c.con else fail
    if v.major > c.con.major:
        return fail
    if v.major == c.con.major and v.minor > c.con.minor and not c.minor_dirty:
        return fail
    return None


def _tilde(v: Version, c: _Constraint) -> Failure:
    if guard := _prerelease_guard(v, c):
        return guard
    if v < c.con:
        return f"{v} is less than {c.orig}"
    if (c.con.major, c.con.minor, c.con.patch) == (0, 0, 0) and not (c.minor_dirty or c.patch_dirty):
        return None  # ~0.0.0 (and "*") accepts everything
    if v.major != c.con.major:
        return f"{v} does not have same major version as {c.orig}"
    if v.minor != c.con.minor and not c.minor_dirty:
        return f"{v} does not have same major and minor version as {c.orig}"
    return None


def _tilde_or_equal(v: Version, c: _Constraint) -> Failure:
    if guard := _prerelease_guard(v, c):
        return guard
    if c.dirty:
        return _tilde(v, c)
    return None if v == c.con else f"{v} is not equal to {c.orig}"


def _caret(v: Version, c: _Constraint) -> Failure:
    if guard := _prerelease_guard(v, c):
        return guard
    if v < c.con:
        return f"{v} is less than {c.orig}"
    other_major = f"{v} does not have same major version as {c.orig}"
    if c.con.major > 0 or c.minor_dirty:
        return None if v.major == c.con.major else other_major
    if v.major > 0:
        return other_major
    if c.con.minor > 0 or c.patch_dirty:
        if v.minor == c.con.minor:
            return None
        return (
            f"{v} does not have same minor version as {c.orig}. "
            "Expected minor versions to match when constraint major version is 0"
        )
    if v.minor > 0:
        return f"{v} does not have same minor version as {c.orig}"
    if v.patch == c.con.patch:
        return None
    return (
        f"{v} does not equal {c.orig}. "
        "Expect version and constraint to equal when major and minor versions are 0"
    )


_OPERATORS: dict[str, Callable[[Version, _Constraint], Failure]] = {
    "": _tilde_or_equal,
    "=": _tilde_or_equal,
    "!=": _not_equal,
    ">": _greater,
    "<": _less,
    ">=": _greater_equal,
    "=>": _greater_equal,
    "<=": _less_equal,
    "=<": _less_equal,
    "~": _tilde,
    "~>": _tilde,
    "^": _caret,
}
