"""Configuration files we write for registry processes (distribution YAML, zot JSON, htpasswd).

Two formats because two registries: CNCF distribution (``docker-registry``, ``registry``) and zot.
Both listen on 127.0.0.1 only, keep storage in our temp dir, allow DELETE, and — when credentials
are given — require htpasswd basic auth with a bcrypt hash (the only hash distribution accepts).
"""

from __future__ import annotations

import enum
import json
import secrets
from pathlib import Path
from typing import Any

import bcrypt

from harness.registry.credentials import Credentials

__all__ = ["ConfigFormat", "write_config", "write_htpasswd"]

REALM = "dkp-harness"


class ConfigFormat(enum.Enum):
    """The registry implementation a config is written for."""

    DISTRIBUTION = "distribution"
    ZOT = "zot"

    @property
    def filename(self) -> str:
        return "config.yml" if self is ConfigFormat.DISTRIBUTION else "config.json"


def write_htpasswd(path: Path, credentials: Credentials) -> None:
    hashed = bcrypt.hashpw(credentials.password.encode(), bcrypt.gensalt(rounds=5)).decode()
    path.write_text(f"{credentials.username}:{hashed}\n")
    path.chmod(0o600)


def write_config(
    directory: Path,
    fmt: ConfigFormat,
    *,
    storage: str,
    port: int,
    htpasswd: str | None,
    log_file: str | None = None,
    cache: bool = True,
) -> Path:
    """Write the config into ``directory``; paths are as the registry will see them.

    ``cache=False`` leaves out distribution's in-memory blob descriptor cache, which would keep
    answering for blobs after their storage is wiped (a registry reused between clusters).
    """
    if fmt is ConfigFormat.DISTRIBUTION:
        document = _distribution(storage, port, htpasswd, cache)
    else:
        document = _zot(storage, port, htpasswd, log_file)
    path = directory / fmt.filename
    path.write_text(json.dumps(document, indent=2))  # JSON is valid YAML for distribution
    return path


def _distribution(storage: str, port: int, htpasswd: str | None, cache: bool) -> dict[str, Any]:
    config: dict[str, Any] = {
        "version": 0.1,
        "log": {"level": "info", "accesslog": {"disabled": False}},
        "storage": {
            "filesystem": {"rootdirectory": storage},
            "delete": {"enabled": True},
            **({"cache": {"blobdescriptor": "inmemory"}} if cache else {}),
            "maintenance": {"uploadpurging": {"enabled": False}},
        },
        "http": {"addr": f"127.0.0.1:{port}", "secret": secrets.token_hex(16)},
    }
    if htpasswd:
        config["auth"] = {"htpasswd": {"realm": REALM, "path": htpasswd}}
    return config


def _zot(storage: str, port: int, htpasswd: str | None, log_file: str | None) -> dict[str, Any]:
    http: dict[str, Any] = {"address": "127.0.0.1", "port": str(port)}
    if htpasswd:
        http["auth"] = {"htpasswd": {"path": htpasswd}}
    config: dict[str, Any] = {
        "distSpecVersion": "1.1.0",
        "storage": {"rootDirectory": storage, "gc": False, "dedupe": False},
        "http": http,
        "log": {"level": "info"},
    }
    if log_file:
        config["log"]["output"] = log_file
    return config
