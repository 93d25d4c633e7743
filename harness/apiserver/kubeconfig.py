"""A kubeconfig for the fake server: one cluster, one bearer-token user, one context."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import yaml

__all__ = ["write_kubeconfig"]

NAME = "dkp-harness"
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter when PyYAML has it: the pure-Python one took ~5 ms per file on the long
base64 CA line, once per scenario."""


def write_kubeconfig(
    path: Path, server: str, token: str, *, ca_pem: bytes | None = None, namespace: str = "default"
) -> Path:
    """Write the file readable by its owner only (it holds the token) and return ``path``."""
    cluster: dict[str, str] = {"server": server}
    if ca_pem is not None:
        cluster["certificate-authority-data"] = base64.b64encode(ca_pem).decode()
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": NAME, "cluster": cluster}],
        "users": [{"name": NAME, "user": {"token": token}}],
        "contexts": [{"name": NAME, "context": {"cluster": NAME, "user": NAME, "namespace": namespace}}],
        "current-context": NAME,
        "preferences": {},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        yaml.dump(config, handle, Dumper=_DUMPER, sort_keys=False)
    return path
