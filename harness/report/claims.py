"""The catalogue of documented claims (``fixtures/claims.yaml``).

Every scenario names the claims it checks with ``@claim:<ID>`` tags; the report shows, per
claim, whether DKP behaves as the page says. The catalogue is data written by people, so loading
it checks every field and says exactly which entry is wrong and how to fix it.

Format::

    version: 1
    page: {title: "...", url: "en/module-development/run/"}
    claims:
      - {id: MS-01, kind: page, anchor: "#module-source", section: "Module source",
         claim: "...", deviation: null}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from harness import eras
from harness.kube.fast_yaml import SAFE_LOADER

__all__ = ["Catalogue", "CatalogueError", "Claim", "Page", "load_catalogue", "parse_catalogue"]

CLAIM_ID = re.compile(r"^[A-Z][A-Z0-9]*-[0-9]+[A-Za-z0-9]*$")
KINDS = ("page", "dkp")
DEFAULT_DOCS_BASE = "https://deckhouse.io/products/kubernetes-platform/documentation/v1/"


class CatalogueError(ValueError):
    """The claims catalogue is missing or malformed."""


@dataclass(frozen=True)
class Page:
    """The documentation page the claims come from."""

    title: str
    url: str

    def link(self, anchor: str, base: str = DEFAULT_DOCS_BASE) -> str | None:
        """An absolute link to ``anchor`` on the page, or None when the anchor is not a page anchor.

        A relative ``url`` is joined to ``base``; its leading ``en/`` is dropped because the
        English site serves pages without a language segment.
        """
        if not anchor.startswith("#"):
            return None
        if "://" in self.url:
            return f"{self.url}{anchor}"
        path = self.url.removeprefix("/").removeprefix("en/")
        return f"{base.rstrip('/')}/{path}{anchor}"


@dataclass(frozen=True)
class Claim:
    """One checkable statement: of the page (``kind: page``) or of DKP behaviour (``kind: dkp``)."""

    id: str
    kind: str
    anchor: str
    section: str
    claim: str
    deviation: str | None = None
    since: str | None = None
    """The claim holds for Deckhouse at or after this version only (``vMAJOR.MINOR.PATCH``)."""
    before: str | None = None
    """The claim holds for Deckhouse before this version only."""

    def applies_to(self, version: str | None) -> bool:
        """Whether the claim is about ``version`` (an unknown or unreadable version: yes)."""
        if not version:
            return True
        try:
            checked = eras.parse_version(version)
        except eras.VersionError:
            return True
        if self.since and checked < eras.parse_version(self.since):
            return False
        return not (self.before and checked >= eras.parse_version(self.before))

    @property
    def era(self) -> str:
        """``v1.75.0 and later``, ``before v1.76.0``, both, or ``""`` for every version."""
        parts = [
            f"{self.since} and later" if self.since else "",
            f"before {self.before}" if self.before else "",
        ]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class Catalogue:
    """All claims, in file order, with the page they belong to."""

    page: Page
    claims: tuple[Claim, ...]

    def get(self, claim_id: str) -> Claim | None:
        return next((c for c in self.claims if c.id == claim_id), None)

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.claims)


def load_catalogue(path: Path) -> Catalogue:
    """Read and validate the catalogue at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogueError(
            f"claims catalogue not found at {path}; create it or pass --claims FILE"
        ) from None
    except IsADirectoryError:
        raise CatalogueError(
            f"claims catalogue {path} is a directory; pass --claims FILE with the catalogue's YAML file"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"claims catalogue {path} cannot be read: {exc}") from None
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        # libyaml words its errors differently: the pure-Python parser reads the text again so
        # the message is PyYAML's usual one, with its line and column.
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise CatalogueError(f"{path}: not valid YAML: {exc}") from exc
    return parse_catalogue(data, source=str(path))


def parse_catalogue(data: Any, source: str = "claims.yaml") -> Catalogue:
    """Validate an already parsed catalogue document."""
    top = _mapping(data, source, "the document")
    if top.get("version") != 1:
        raise CatalogueError(f"{source}: 'version' must be 1 (found {top.get('version')!r})")
    page_data = _mapping(top.get("page"), source, "'page'")
    page = Page(title=_text(page_data, "title", source, "page"), url=_text(page_data, "url", source, "page"))
    entries = top.get("claims")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{source}: 'claims' must be a non-empty list of claim entries")
    claims = tuple(_claim(entry, source, index) for index, entry in enumerate(entries))
    _check_unique(claims, source)
    return Catalogue(page=page, claims=claims)


def _claim(entry: Any, source: str, index: int) -> Claim:
    where = f"claims[{index}]"
    item = _mapping(entry, source, where)
    claim_id = _text(item, "id", source, where)
    where = f"claims[{index}] ({claim_id})"
    if not CLAIM_ID.match(claim_id):
        raise CatalogueError(f"{source}: {where}: id must look like 'MS-01' (letters, dash, number)")
    kind = _text(item, "kind", source, where)
    if kind not in KINDS:
        raise CatalogueError(f"{source}: {where}: kind must be one of {', '.join(KINDS)} (found {kind!r})")
    deviation = item.get("deviation")
    if deviation is not None and (not isinstance(deviation, str) or not deviation.strip()):
        raise CatalogueError(f"{source}: {where}: deviation must be a non-empty string or null")
    return Claim(
        id=claim_id,
        kind=kind,
        anchor=_text(item, "anchor", source, where),
        section=_text(item, "section", source, where),
        claim=_text(item, "claim", source, where),
        deviation=deviation,
        since=_version(item, "since", source, where),
        before=_version(item, "before", source, where),
    )


def _version(item: Mapping[str, Any], key: str, source: str, where: str) -> str | None:
    """An optional Deckhouse version, spelled canonically (``v1.75`` → ``v1.75.0``)."""
    value = item.get(key)
    if value is None:
        return None
    try:
        return str(eras.parse_version(str(value)))
    except eras.VersionError as exc:
        raise CatalogueError(f"{source}: {where}: {key}: {exc}") from None


def _check_unique(claims: tuple[Claim, ...], source: str) -> None:
    seen: set[str] = set()
    for claim in claims:
        if claim.id in seen:
            raise CatalogueError(f"{source}: claim id {claim.id} appears twice; ids must be unique")
        seen.add(claim.id)


def _mapping(value: Any, source: str, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CatalogueError(f"{source}: {where} must be a mapping (found {type(value).__name__})")
    return value


def _text(item: Mapping[str, Any], key: str, source: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{source}: {where}: '{key}' must be a non-empty string")
    return value
