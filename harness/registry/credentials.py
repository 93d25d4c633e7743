"""Credentials for a registry, and how DKP picks them out of ``spec.registry.dockerCfg``.

DKP decodes the dockerCfg from base64 (falling back to the raw string when that fails), reads
``.auths`` and takes the entry whose *host* (``host[:port]``, scheme and path ignored) equals the
host of the repository. A non-empty dockerCfg without such an entry is an error; an empty one means
anonymous access. An entry's ``auth`` (base64 ``user:pass``) wins over ``username``/``password``.

Passwords never appear in ``repr()``: :class:`Credentials` hides them.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from harness.registry.errors import RegistryAuthError

__all__ = ["Credentials", "credentials_for", "encode_docker_cfg", "host_of"]


@dataclass(frozen=True)
class Credentials:
    """A user name and a secret; the secret is kept out of every repr."""

    username: str
    password: str = field(repr=False)

    @classmethod
    def parse(cls, text: str) -> Credentials:
        """Parse ``user:pass`` as given on a command line."""
        username, sep, password = text.partition(":")
        if not sep or not username:
            raise ValueError("credentials must look like USER:PASSWORD (e.g. --auth alice:s3cret)")
        return cls(username, password)

    def basic_header(self) -> str:
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return f"Basic {token}"


def host_of(reference: str) -> str:
    """The ``host[:port]`` of a repository or an ``.auths`` key, with or without a scheme."""
    if reference.startswith(("http://", "https://")):
        return urlsplit(reference).netloc
    return urlsplit("//" + reference).netloc


def credentials_for(repo: str, docker_cfg: str) -> Credentials | None:
    """The credentials DKP would use for ``repo``; ``None`` means anonymous."""
    if not docker_cfg:
        return None
    auths = _auths(_decode(docker_cfg))
    wanted = host_of(repo)
    for key, entry in auths.items():
        if host_of(key) == wanted:
            return _entry_credentials(entry)
    raise RegistryAuthError(f"{json.dumps(repo, ensure_ascii=False)} credentials not found in the dockerCfg")


def encode_docker_cfg(host: str, credentials: Credentials | None) -> str:
    """A base64 dockerCfg with one entry for ``host`` (an empty entry when anonymous)."""
    entry: dict[str, str] = {}
    if credentials is not None:
        entry["auth"] = base64.b64encode(f"{credentials.username}:{credentials.password}".encode()).decode()
    return base64.b64encode(json.dumps({"auths": {host: entry}}).encode()).decode()


def _decode(docker_cfg: str) -> str:
    try:
        return base64.b64decode(docker_cfg, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return docker_cfg


def _auths(text: str) -> dict[str, Any]:
    """``.auths`` of the config; a config that is not JSON simply has no entries."""
    try:
        document = json.loads(text)
    except ValueError:
        return {}
    auths = document.get("auths") if isinstance(document, dict) else None
    return auths if isinstance(auths, dict) else {}


def _entry_credentials(entry: Any) -> Credentials | None:
    if not isinstance(entry, dict):
        return None
    encoded = entry.get("auth")
    if isinstance(encoded, str) and encoded:
        try:
            decoded = base64.b64decode(encoded).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise RegistryAuthError("the dockerCfg entry's auth is not base64 of user:password") from None
        username, _, password = decoded.partition(":")
        return Credentials(username, password)
    name, secret = entry.get("username"), entry.get("password")
    if isinstance(name, str) and name:
        return Credentials(name, secret if isinstance(secret, str) else "")
    return None
