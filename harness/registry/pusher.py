"""Writing to a registry over the distribution HTTP API: blobs, manifests, deletes.

The publisher's transport. Blobs go up in one monolithic ``POST …/blobs/uploads/?digest=`` when
the registry accepts that, else (distribution 2.8 answers 202 and ignores the body; we remember
that) as an empty ``POST`` + ``PUT``; blobs already pushed to a repository by this
pusher are not sent again (a 1,000-module publish would otherwise spend half its time on
``HEAD`` s). Errors are the same DKP-shaped :class:`RegistryError` s the pull client raises.
"""

from __future__ import annotations

import json
import threading
from types import TracebackType
from typing import Self
from urllib.parse import quote

import httpx

from harness.registry import mediatypes, tls, transport
from harness.registry.auth import RegistryAuth
from harness.registry.blob_seed import BlobSeed
from harness.registry.credentials import Credentials
from harness.registry.images import BuiltImage

__all__ = ["Pusher"]


def _image_references(body: bytes) -> list[str] | None:
    """The blobs an image manifest names (config and layers); None for anything else (an index)."""
    try:
        document = json.loads(body)
    except ValueError:
        return None
    if not isinstance(document, dict) or not isinstance(document.get("layers"), list):
        return None
    found = [document.get("config"), *document["layers"]]
    digests = [d.get("digest") for d in found if isinstance(d, dict)]
    return [d for d in digests if isinstance(d, str)] if len(digests) == len(found) else None


class Pusher:
    """Push and delete images in one registry (``host:port``)."""

    def __init__(
        self,
        registry: str,
        *,
        credentials: Credentials | None = None,
        scheme: str = "http",
        transport: httpx.BaseTransport | None = None,
        verify: bool = True,
        seed: BlobSeed | None = None,
    ) -> None:
        if scheme.lower() not in ("http", "https"):
            raise ValueError(f"scheme must be http or https, got {scheme!r}")
        self.base_url = f"{scheme.lower()}://{registry}"
        self._http = httpx.Client(
            auth=RegistryAuth(credentials, self.base_url),
            transport=transport,
            verify=tls.trusted() if verify and scheme.lower() == "https" else tls.unverified(),
            timeout=60.0,
            trust_env=False,
        )
        self._known: set[tuple[str, str]] = set()
        self._monolithic = True  # until the registry answers a monolithic POST with 202
        self._lock = threading.Lock()
        self._seed = seed
        """Writes images into the storage of a registry the harness runs (no HTTP for a publish)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def push_image(self, name: str, tag: str, image: BuiltImage) -> str:
        """Push the blobs, then the manifest under ``tag``; returns the manifest digest."""
        for digest, data in image.blobs.items():
            self.push_blob(name, digest, data)
        return self.push_manifest(name, tag, image.manifest, image.media_type)

    def push_blob(self, name: str, digest: str, data: bytes) -> None:
        with self._lock:
            if (name, digest) in self._known:
                return
        if self._seed is not None:
            self._seed.put(name, digest, data)
            with self._lock:
                self._known.add((name, digest))
            return
        url = f"{self.base_url}/v2/{name}/blobs/uploads/"
        query = "digest=" + quote(digest, safe="")
        if self._monolithic:
            response = self._send("POST", f"{url}?{query}", content=data, ok=(201, 202))
            self._monolithic = response.status_code == 201
        else:
            response = self._send("POST", url, ok=(202,))
        if response.status_code == 202:
            # Plain string work: httpx's URL joining and parameter merging re-parse and re-encode the
            # long upload-state query several times, a visible share of a publish's CPU.
            location = response.headers["location"]
            if location.startswith("/"):
                location = self.base_url + location
            elif not location.startswith(("http://", "https://")):
                location = str(httpx.URL(url).join(location))
            upload = location + ("&" if "?" in location else "?") + query
            self._send("PUT", upload, content=data, ok=(201,), content_type="application/octet-stream")
        with self._lock:
            self._known.add((name, digest))

    def push_manifest(self, name: str, tag: str, body: bytes, media_type: str) -> str:
        references = _image_references(body) if self._seed is not None else None
        if self._seed is not None and references is not None:
            return self._seed.put_manifest(name, tag, body, references)
        url = f"{self.base_url}/v2/{name}/manifests/{tag}"
        self._send("PUT", url, content=body, ok=(201,), content_type=media_type)
        return mediatypes.sha256_digest(body)

    def manifest_bytes(self, name: str, reference: str) -> bytes:
        url = f"{self.base_url}/v2/{name}/manifests/{reference}"
        return self._send("GET", url, accept=mediatypes.ACCEPT_MANIFESTS).content

    def blob_bytes(self, name: str, digest: str) -> bytes:
        return self._send("GET", f"{self.base_url}/v2/{name}/blobs/{digest}").content

    def delete_manifest(self, name: str, digest: str) -> None:
        """Delete by digest: the registry drops every tag pointing at that manifest."""
        self._send("DELETE", f"{self.base_url}/v2/{name}/manifests/{digest}", ok=(202,))

    def _send(
        self,
        method: str,
        url: str,
        *,
        content: bytes | None = None,
        ok: tuple[int, ...] = (200,),
        content_type: str | None = None,
        accept: str | None = None,
    ) -> httpx.Response:
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        return transport.send(self._http, method, url, headers=headers, content=content, ok=ok)
