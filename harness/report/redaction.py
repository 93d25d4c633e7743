"""Keep secrets out of every report file, log line and error message.

Scenarios handle registry credentials (``dockerCfg``, htpasswd passwords, bearer tokens), and a
failing step's message, a kubectl output or a traceback can easily echo them. Everything the
report stores or writes passes through :func:`redact` (text) or :func:`redact_value` (JSON-like
values), so a renderer cannot forget to call it.

What is replaced by ``<redacted>``:

- values of secret-looking keys in YAML, JSON, Python reprs, ``key=value`` arguments and HTTP
  headers (``dockerCfg``, ``auth``, ``password``, ``token``, ``Authorization``, ...);
- ``Bearer``/``Basic`` credentials wherever they appear;
- ``user:password@`` in URLs;
- base64 blobs that decode to a docker config (``{"auths": ...}``) and JWTs;
- any literal registered with :func:`register_secret` (e.g. a password a step generated).

Redaction is idempotent: redacting redacted text changes nothing.
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
from collections.abc import Mapping
from typing import Any

__all__ = ["REDACTED", "is_secret_key", "redact", "redact_value", "register_secret"]

REDACTED = "<redacted>"

_SECRET_KEY_WORDS = (
    r"docker_?cfg|\.?dockerconfigjson|auth|password|passwd|token|access_?token|refresh_?token"
    r"|id_?token|identity_?token|registry_?token|bearer_?token|secret|client_?secret|authorization"
    r"|api_?key|x-registry-auth"
)
_SECRET_KEY = re.compile(rf"^(?:{_SECRET_KEY_WORDS})$", re.IGNORECASE)

# key (optionally quoted, optionally JSON-escaped quotes) then ':' or '=' then the value.
_KEY_VALUE = re.compile(
    rf"""(?P<key>(?P<q>\\?["']?)(?<![\w.])(?:{_SECRET_KEY_WORDS})(?P=q))"""
    r"""(?P<sep>[ \t]*[:=][ \t]*)"""
    r"""(?P<value>\\"(?:(?!\\").)*\\"|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'"""
    r"""|(?:(?:Bearer|Basic)\s+)?[^\s,;}\])"'|\\]+)""",
    re.IGNORECASE,
)
_SCHEME_CREDENTIAL = re.compile(r"\b(?P<scheme>Bearer|Basic)\s+(?!<redacted>)[A-Za-z0-9\-._~+/]+=*")
_URL_USERINFO = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@:]+:[^/\s@]*@")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{24,}={0,2}")

_registered: set[str] = set()
_registered_lock = threading.Lock()
_MIN_SECRET_LENGTH = 4


def register_secret(value: str) -> None:
    """Redact this literal from now on, wherever it appears (this process only).

    Steps that generate credentials register them, so even output the patterns cannot
    recognise (a password echoed in a log line) is redacted. Very short values are ignored:
    redacting every "ab" would make reports unreadable without protecting anything.
    """
    if len(value) >= _MIN_SECRET_LENGTH:
        with _registered_lock:
            _registered.add(value)


def is_secret_key(key: str) -> bool:
    """Whether a mapping key or the last segment of a field path names a secret."""
    return bool(_SECRET_KEY.match(key.rsplit(".", 1)[-1].strip("\"'[]")))


def redact(text: str) -> str:
    """Return ``text`` with every recognised secret replaced by ``<redacted>``."""
    if not text:
        return text
    text = _redact_registered(text)
    text = _URL_USERINFO.sub(lambda m: f"{m['scheme']}{REDACTED}@", text)
    text = _KEY_VALUE.sub(_replace_value, text)
    text = _SCHEME_CREDENTIAL.sub(lambda m: f"{m['scheme']} {REDACTED}", text)
    text = _JWT.sub(REDACTED, text)
    return _BASE64_RUN.sub(_replace_docker_config_blob, text)


def redact_value(value: Any) -> Any:
    """Redact a JSON-like value: strings by pattern, values of secret keys entirely."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {
            k: (REDACTED if isinstance(k, str) and is_secret_key(k) and v else redact_value(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    return value


def _redact_registered(text: str) -> str:
    with _registered_lock:
        secrets = sorted(_registered, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def _replace_value(match: re.Match[str]) -> str:
    value = match["value"]
    if value.startswith('\\"'):
        replacement = f'\\"{REDACTED}\\"'
    elif value[:1] in "\"'":
        replacement = f"{value[0]}{REDACTED}{value[0]}"
    else:
        replacement = REDACTED
    return f"{match['key']}{match['sep']}{replacement}"


def _replace_docker_config_blob(match: re.Match[str]) -> str:
    """Redact a base64 run only when it decodes to a docker config, to keep digests readable."""
    blob = match[0]
    decoded = _b64decode(blob)
    if decoded is not None and b"auths" in decoded:
        return REDACTED
    return blob


def _b64decode(blob: str) -> bytes | None:
    padded = blob + "=" * (-len(blob) % 4)
    for decoder in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            return decoder(padded)
        except (binascii.Error, ValueError):
            continue
    return None
