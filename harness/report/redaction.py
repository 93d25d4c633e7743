"""Keep secrets out of every report file, log line and error message.

Scenarios handle registry credentials (``dockerCfg``, htpasswd passwords, bearer tokens), and a
failing step's message, a kubectl output or a traceback can easily echo them. Everything the
report stores or writes passes through :func:`redact` (text) or :func:`redact_value` (JSON-like
values), so a renderer cannot forget to call it.

What is replaced by ``<redacted>``:

- values of secret-looking keys in YAML, JSON, Python reprs, ``key=value`` arguments and HTTP
  headers (``dockerCfg``, ``auth``, ``password``, ``token``, ``Authorization``, ...);
- ``Bearer``/``Basic`` credentials wherever they appear;
- ``--password X``/``--token X`` options, ``-p X`` on a login-like command line (one that also
  says ``login``, ``-u`` or ``--username``), and ``PREFIX_AUTH=``/``PREFIX_PASSWORD=``-style
  environment variables and ``credentials: user:pw``;
- ``user:password@`` in URLs, with or without a scheme (``alice:pw@host``; ``name:tag@sha256:``
  image references are left alone);
- base64 blobs that decode, once or twice, to a docker config (``{"auths": ...}`` or the legacy
  ``.dockercfg`` ``{"host": {"auth": ...}}``), or to exactly ``user:password`` (a bare ``auth``
  value), also when folded over several whitespace-separated lines or glued to other characters
  (``/eyJ...``); and JWTs;
- any literal registered with :func:`register_secret` (e.g. a password a step generated);
- the values of a Secret's ``data`` and ``stringData`` in any text or value that shows the Secret
  (:mod:`harness.report.secret_objects`): secret by place, whatever their keys are called.

Redaction is idempotent: redacting redacted text changes nothing.
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
from collections.abc import Mapping
from typing import Any

from harness.report.secret_objects import redact_secret_data

__all__ = ["REDACTED", "is_secret_key", "redact", "redact_value", "register_secret"]

REDACTED = "<redacted>"

_SECRET_KEY_WORDS = (
    r"docker[_ ]?cfg|\.?dockerconfigjson|auth|password|passwd|token|access_?token|refresh_?token"
    r"|id_?token|identity_?token|registry_?token|bearer_?token|secret|client_?secret|authorization"
    r"|api_?key|x-registry-auth|credentials"
)
_SECRET_KEY = re.compile(rf"^(?:{_SECRET_KEY_WORDS})$", re.IGNORECASE)

# key (optionally quoted, optionally JSON-escaped quotes; optionally an underscore-joined prefix,
# as environment variables have: DKP_HARNESS_REGISTRY_AUTH) then ':' or '=' then the value. A
# quoted value may lack its closing quote: kube-apiserver's 400 for an unreadable body quotes the
# body's first 30 bytes, which can end inside a value ({"data":{"password":"hunter2); the rest of
# the line goes then, which is more than the secret, never less.
_KEY_VALUE = re.compile(
    rf"""(?P<key>(?P<q>\\?["']?)(?<![\w.])(?:[A-Za-z][A-Za-z0-9]*_)*(?:{_SECRET_KEY_WORDS})(?P=q))"""
    r"""(?P<sep>[ \t]*[:=][ \t]*)"""
    r"""(?P<value>\\"(?:(?!\\").)*\\"|"(?:[^"\\\n]|\\.)*"?|'[^'\n]*'?"""
    r"""|(?:(?:Bearer|Basic)\s+)?[^\s,;}\])"'|\\]+)""",
    re.IGNORECASE,
)
_SCHEME_CREDENTIAL = re.compile(r"\b(?P<scheme>Bearer|Basic)\s+(?!<redacted>)[A-Za-z0-9\-._~+/]+=*")
# Schemes and user names are short; bounded, a pattern costs a constant per starting position
# (unbounded, 100 kB of "a.a.a..." or "+++..." took seconds and 3 MB hours: each position
# re-scanned the whole run).
_URL_USERINFO = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]{0,31}://)[^/\s@:]+:[^/\s@]*@")
# user:password@host without a scheme; not an image reference's name:tag@sha256:digest.
_BARE_USERINFO = re.compile(
    r"(?<![\w.:@<>-])[A-Za-z0-9_.%+-]{1,64}:(?!<redacted>@)[^/\s@:<>\"'\\]+@(?=[A-Za-z0-9\[])(?!sha\d+:|sha\d+$)"
)
# --password X, --token X (the "=" form is a key=value); -p X only on a login-like command line.
_LONG_OPTION = re.compile(
    r"(?P<key>(?<![\w-])--(?:password|passwd|token|secret|auth|registry-token|api-key))"
    r"(?P<sep>[ \t]+)(?P<value>(?!<redacted>)[^\s\"'-][^\s\"']*)",
    re.IGNORECASE,
)
_SHORT_P = re.compile(r"(?P<key>(?<![\w-])-p)(?P<sep>[ \t]+)(?P<value>(?!<redacted>)[^\s\"'-][^\s\"']*)")
_LOGIN_LINE = re.compile(r"\blogin\b|(?<![\w-])(?:-u|--username|--user)\b")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
# Runs of base64 characters, possibly folded over whitespace (8+ characters, then pieces of 4+).
_BASE64_GROUP = re.compile(r"[A-Za-z0-9+/_-]{8,}={0,2}(?:[ \t]*\r?\n?[ \t]*[A-Za-z0-9+/_-]{4,}={0,2})*")
_BASE64_ALPHABET = re.compile(rb"[A-Za-z0-9+/_=\s-]{8,}")
_DOCKER_CONFIG_MARKERS = (b'"auth', b'"password"', b'"identitytoken"', b'"registrytoken"')
_USER_PASSWORD = re.compile(rb"[A-Za-z0-9._@-]{1,64}:[\x21-\x7e]{3,}")

_registered: set[str] = set()
_registered_longest_first: tuple[str, ...] = ()
_registered_lock = threading.Lock()
_MIN_SECRET_LENGTH = 4

# A report redacts the same short texts over and over (object names, phases, messages, each step's
# text, once on the worker and again on the controller), and every text of eight letters or more
# is a base64 candidate that costs a few decodes. Short texts' results are kept (at most 8,192 of
# up to 512 characters: a few MB at worst); a registered secret starts the memory afresh (its
# generation), so no result predating it is ever returned.
_MEMO_TEXT_LIMIT = 512
_MEMO_ENTRIES = 8192
_memo: dict[str, str] = {}
_generation = 0


def register_secret(value: str) -> None:
    """Redact this literal from now on, wherever it appears (this process only).

    Steps that generate credentials register them, so even output the patterns cannot
    recognise (a password echoed in a log line) is redacted. Very short values are ignored:
    redacting every "ab" would make reports unreadable without protecting anything.
    """
    global _registered_longest_first, _generation
    if len(value) >= _MIN_SECRET_LENGTH:
        with _registered_lock:
            if value in _registered:
                return
            _registered.add(value)
            _registered_longest_first = tuple(sorted(_registered, key=len, reverse=True))
            _generation += 1
            _memo.clear()


def is_secret_key(key: str) -> bool:
    """Whether a mapping key or the last segment of a field path names a secret."""
    return bool(_SECRET_KEY.match(key.rsplit(".", 1)[-1].strip("\"'[]")))


def redact(text: str) -> str:
    """Return ``text`` with every recognised secret replaced by ``<redacted>``."""
    if not text:
        return text
    if len(text) > _MEMO_TEXT_LIMIT:
        return _redact(text)
    found = _memo.get(text)
    if found is not None:
        return found
    generation = _generation
    result = _redact(text)
    with _registered_lock:
        if generation == _generation:
            if len(_memo) >= _MEMO_ENTRIES:
                _memo.clear()
            _memo[text] = result
    return result


def _redact(text: str) -> str:
    text = _redact_registered(text)
    text = redact_secret_data(text)
    text = _URL_USERINFO.sub(lambda m: f"{m['scheme']}{REDACTED}@", text)
    text = _BARE_USERINFO.sub(f"{REDACTED}@", text)
    text = _KEY_VALUE.sub(_replace_value, text)
    text = _LONG_OPTION.sub(_replace_value, text)
    if "-p" in text:
        text = "".join(
            _SHORT_P.sub(_replace_value, line) if _LOGIN_LINE.search(line) else line
            for line in text.splitlines(keepends=True)
        )
    text = _SCHEME_CREDENTIAL.sub(lambda m: f"{m['scheme']} {REDACTED}", text)
    text = _JWT.sub(REDACTED, text)
    return _BASE64_GROUP.sub(_replace_credential_blob, text)


def redact_value(value: Any) -> Any:
    """Redact a JSON-like value: strings by pattern, values of secret keys entirely."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        secret = value.get("kind") == "Secret"
        return {
            k: (
                REDACTED
                if isinstance(k, str) and is_secret_key(k) and v
                else _redacted_entries(v)
                if secret and k in ("data", "stringData") and isinstance(v, Mapping)
                else redact_value(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    return value


def _redacted_entries(values: Mapping[str, Any]) -> dict[str, Any]:
    """A Secret's ``data``/``stringData``: its keys, every value redacted (harness.report.secret_objects)."""
    return dict.fromkeys(values, REDACTED)


def _redact_registered(text: str) -> str:
    for secret in _registered_longest_first:
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


def _replace_credential_blob(match: re.Match[str]) -> str:
    """Redact base64 only when it decodes to credentials, to keep digests and names readable.

    A run folded over lines is tried as one blob; it is replaced from its first piece that
    carries credentials (ordinary words before it are kept) to its end: what follows the
    credentials' key cannot be told from the rest of the blob.
    """
    group = match[0]
    pieces = re.split(r"(\s+)", group)
    words = pieces[0::2]
    if len(words) == 1:
        return REDACTED if _is_credential(group, whole=True) else group
    markers = _markers("".join(words))
    if not markers:
        return "".join(
            REDACTED if i % 2 == 0 and len(p) >= 8 and _is_credential(p, whole=True) else p
            for i, p in enumerate(pieces)
        )
    # The last piece from which on all the keys are still there (dropping pieces only loses keys):
    # a binary search, so a long folded run costs a few decodes, not one per piece.
    first, high = 0, len(words) - 1
    while first < high:
        middle = (first + high + 1) // 2
        if _markers("".join(words[middle:])) == markers:
            first = middle
        else:
            high = middle - 1
    return "".join(pieces[: 2 * first]) + REDACTED


def _markers(blob: str) -> int:
    """How many docker-config keys ``blob`` decodes to, at its best alignment."""
    counts = [0]
    for offset in range(4):
        decoded = _b64decode(blob[offset:], strict=False)
        if decoded is not None:
            counts.append(sum(decoded.count(marker) for marker in _DOCKER_CONFIG_MARKERS))
    return max(counts)


def _is_credential(blob: str, whole: bool, depth: int = 0) -> bool:
    """Whether ``blob`` (base64, maybe glued to other characters) decodes to credentials.

    ``whole``: the blob is exactly one base64 value, so decoding to ``user:password`` counts too.
    Base64 of base64 (a Secret's ``data`` of a dockerCfg) is decoded again, twice at most.
    """
    for offset in range(4) if not whole else range(1):
        decoded = _b64decode(blob[offset:], strict=whole)
        if decoded is None:
            continue
        if any(marker in decoded for marker in _DOCKER_CONFIG_MARKERS):
            return True
        if whole and _USER_PASSWORD.fullmatch(decoded):
            return True
        if depth < 2 and _BASE64_ALPHABET.fullmatch(decoded):
            text = decoded.decode("ascii")
            if _is_credential("".join(text.split()), whole=whole, depth=depth + 1):
                return True
    if whole and depth == 0:
        return _is_credential(blob, whole=False, depth=depth)
    return False


def _b64decode(blob: str, strict: bool) -> bytes | None:
    """Standard or URL-safe base64; not strict: the longest decodable prefix, padding ignored."""
    body = blob.rstrip("=").replace("-", "+").replace("_", "/")
    if strict:
        if len(body) % 4 == 1 or len(blob) - len(body) > 2:
            return None
        body += "=" * (-len(body) % 4)
    else:
        body = body[: len(body) // 4 * 4]
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return None
