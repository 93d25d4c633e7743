"""The pull client the simulated DKP controllers read registries with.

It issues exactly the requests DKP's go-containerregistry client issues for a sync — list the
tags of a repository, GET a manifest by tag, GET its blobs — over one keep-alive httpx connection
pool, and reports failures with the text DKP would show (see :mod:`harness.registry.errors`).

``repo`` is DKP's ``spec.registry.repo`` (``host[:port]/path``); every ``path`` argument is
relative to it: ``""`` is the repository itself (whose tags are the module names),
``"<module>/release"`` the release images. Content is verified against its descriptor (size and
sha256) before use; there are no retries and nothing ever sleeps.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType, TracebackType
from typing import Any, Self

import httpx

from harness.registry import archive, documents, mediatypes, tls, transport
from harness.registry.auth import RegistryAuth
from harness.registry.credentials import Credentials, credentials_for, host_of
from harness.registry.errors import RegistryAuthError, RegistryError

__all__ = ["Image", "RegistryAuthError", "RegistryClient", "RegistryError"]

TAGS_PAGE_SIZE = 1000  # go-containerregistry's default page size for remote.List
DEFAULT_TIMEOUT = 120.0  # DKP's REGISTRY_TIMEOUT default, seconds


@dataclass(frozen=True)
class Image:
    """A pulled image: its manifest digest and its layers flattened into one file tree."""

    digest: str
    files: Mapping[str, bytes] = field(repr=False)
    manifest: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Manifest:
    """A fetched image manifest with the digest of its exact bytes."""

    digest: str
    media_type: str
    document: Mapping[str, Any]

    @property
    def layers(self) -> list[Mapping[str, Any]]:
        return list(self.document.get("layers") or [])


class RegistryClient:
    """Read-only access to one repository tree ``R`` in one registry."""

    def __init__(
        self,
        repo: str,
        *,
        credentials: Credentials | None = None,
        scheme: str = "HTTPS",
        ca: str = "",
        transport: httpx.BaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.repo = repo.rstrip("/")
        self.host = host_of(self.repo)
        self.root = self.repo[len(self.host) :].strip("/")
        self.base_url = f"{_url_scheme(scheme)}://{self.host}"
        self._http = _JarlessClient(
            auth=RegistryAuth(credentials, self.base_url),
            transport=transport,
            verify=_verify(self.base_url, ca),
            timeout=timeout,
            follow_redirects=True,
            trust_env=False,  # loopback registries: never route through an env proxy
        )

    @classmethod
    def for_source(
        cls,
        repo: str,
        *,
        docker_cfg: str = "",
        scheme: str = "HTTPS",
        ca: str = "",
        transport: httpx.BaseTransport | None = None,
    ) -> RegistryClient:
        """A client for a ModuleSource's ``spec.registry`` (raises RegistryAuthError like DKP)."""
        return cls(
            repo, credentials=credentials_for(repo, docker_cfg), scheme=scheme, ca=ca, transport=transport
        )

    def __repr__(self) -> str:
        return f"RegistryClient({self.repo!r}, scheme={self.base_url.split(':')[0]!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def name(self, path: str = "") -> str:
        """The registry-side repository name of ``R/<path>``."""
        return "/".join(p for p in (self.root, path.strip("/")) if p)

    def list_tags(self, path: str = "") -> list[str]:
        """All tags of ``R`` (``path == ""``) or ``R/<path>``, sorted lexicographically."""
        url: str | None = f"{self.base_url}/v2/{self.name(path)}/tags/list?n={TAGS_PAGE_SIZE}"
        tags: list[str] = []
        pages = transport.Pages()
        while url is not None:
            pages.visit(url)
            response = self._send("GET", url)
            tags.extend(documents.checked_tags(_json(response)))
            url = transport.next_page(response, self.base_url)
        return sorted(tags)

    def digest(self, path: str, tag: str) -> str:
        """The manifest digest (``sha256:…``) of ``R/<path>:<tag>``, as DKP's checksum."""
        return self.manifest(path, tag).digest

    def manifest(self, path: str, reference: str) -> Manifest:
        """The image manifest for a tag or digest; an index resolves to linux/amd64 (or its first)."""
        fetched = self._fetch_manifest(path, reference)
        if fetched.media_type in mediatypes.INDEX_TYPES:
            chosen = _pick_platform(documents.checked_index(fetched.document))
            fetched = self._fetch_manifest(path, chosen)
        documents.checked_manifest(fetched.document)
        if fetched.media_type not in mediatypes.MANIFEST_TYPES:
            raise RegistryError(
                f"unsupported manifest media type {fetched.media_type!r} for {self.name(path)}"
            )
        return fetched

    def blob(self, path: str, descriptor: Mapping[str, Any]) -> bytes:
        """A blob's bytes, verified against the descriptor's size and digest."""
        digest, size = str(descriptor.get("digest", "")), int(descriptor.get("size", -1))
        response = self._send("GET", f"{self.base_url}/v2/{self.name(path)}/blobs/{digest}")
        return transport.verified(response.content, digest, size)

    def read_image(self, path: str, tag: str) -> Image:
        """Pull ``R/<path>:<tag>`` and flatten its layers (in order) into one file mapping."""
        manifest = self.manifest(path, tag)
        files: dict[str, bytes] = {}
        for layer in manifest.layers:
            archive.apply_layer(files, archive.read_layer(self.blob(path, layer)))
        return Image(manifest.digest, MappingProxyType(files), MappingProxyType(dict(manifest.document)))

    def _fetch_manifest(self, path: str, reference: str) -> Manifest:
        url = f"{self.base_url}/v2/{self.name(path)}/manifests/{reference}"
        response = self._send("GET", url, headers={"Accept": mediatypes.ACCEPT_MANIFESTS})
        body = response.content
        digest = mediatypes.sha256_digest(body)
        if reference.startswith("sha256:") and digest != reference:
            raise RegistryError(f"manifest digest: {digest!r} does not match requested digest: {reference!r}")
        document = _json(response)
        media_type = str(document.get("mediaType") or response.headers.get("content-type", "")).split(";")[0]
        return Manifest(digest, media_type, document)

    def _send(self, method: str, url: str, headers: Mapping[str, str] | None = None) -> httpx.Response:
        return transport.send(self._http, method, url, headers=headers)


class _Jarless(httpx.Cookies):
    """Cookies that never take any: ``Set-Cookie`` answers are not kept (see :class:`_JarlessClient`)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class _JarlessClient(httpx.Client):
    """An httpx client without a cookie jar, as go-containerregistry's ``http.Client`` is (its
    ``Jar`` is nil: a registry's ``Set-Cookie`` is never sent back).

    httpx keeps cookies on every client and reads each answer's ``Set-Cookie`` headers through
    :mod:`http.cookiejar`, whose request and response adapters cost ~60 µs an answer, about a
    tenth of the simulator's own Python work per module in a 1,000-module sync. The jar here is
    always empty, so no request gets a ``Cookie`` header either, as before unless a registry set
    one (DKP would not have sent it back)."""

    _jarless = _Jarless()

    @property  # type: ignore[misc]
    def cookies(self) -> httpx.Cookies:
        return self._jarless


def _url_scheme(scheme: str) -> str:
    value = scheme.strip().lower()
    if value not in ("http", "https"):
        raise ValueError(f"scheme must be HTTP or HTTPS, got {scheme!r}")
    return value


def _verify(base_url: str, ca: str) -> ssl.SSLContext:
    """The shared trust store for HTTPS (or a plain-HTTP source with a ``ca``, which must parse).

    A plain-HTTP client without a ``ca`` never shakes hands: it gets the shared context that
    checks nothing, not a trust store to load.
    """
    if base_url.startswith("https://") or ca.strip():
        return tls.trusted(ca)
    return tls.unverified()


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        document = json.loads(response.content)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise RegistryError(
            f"{response.request.method} {response.request.url}: the answer is not a JSON object"
        )
    return document


def _pick_platform(index: Mapping[str, Any]) -> str:
    manifests = [m for m in index.get("manifests") or [] if isinstance(m, dict)]
    if not manifests:
        raise RegistryError("the image index lists no manifests")
    for entry in manifests:
        platform = entry.get("platform") or {}
        if platform.get("os") == "linux" and platform.get("architecture") == "amd64":
            return str(entry["digest"])
    return str(manifests[0]["digest"])
