"""The values a Kubernetes Secret carries, kept out of reports whatever their keys are called.

:mod:`harness.report.redaction` recognises secrets by their key (``password:``, ``dockerCfg:``)
or their shape (a base64 docker config). A Secret's ``data`` and ``stringData`` are secret by
*place*: ``extra: SHVudGVyMlBhc3N3b3Jk`` is a password whatever the key, and ``kubectl get secret
-o yaml`` printed it into the terminal, the HTML, JSON, JUnit and Cucumber reports. kube-apiserver
itself never echoes them in an error (the API server here prints ``<redacted>``, handlers.py).

Two ways, because neither alone sees everything:

- :func:`redact_secret_data` (text): in a text that shows a Secret (``kind: Secret`` in YAML,
  ``"kind": "Secret"`` in JSON), the values below ``data:``/``stringData:`` become ``<redacted>``;
  keys stay, so a reader still sees which keys the Secret has. A ConfigMap's ``data`` in the same
  text is redacted too: the text cannot tell the documents apart cheaply, and showing less is the
  safe side.
- :func:`register_object_secrets` (objects a scenario writes): each Secret value, as written and
  decoded, and the passwords inside a ``dockerCfg`` are registered literals, so output no pattern
  recognises (``kubectl get secret -o jsonpath='{.data.extra}'``, a password copied into an
  annotation) is redacted too.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["redact_secret_data", "register_object_secrets", "secret_values"]

_REDACTED = "<redacted>"
_YAML_KIND = re.compile(r"""^[ \t-]*kind:[ \t]*["']?Secret["']?[ \t]*$""", re.MULTILINE)
_JSON_KIND = re.compile(r'\\?"kind\\?"\s*:\s*\\?"Secret\\?"')
# `data:` / `stringData:` opening a block (the entries on the lines below, further right) or a
# flow mapping on the same line.
_YAML_BLOCK = re.compile(
    r"^(?P<indent>[ \t-]*)(?:data|stringData):[ \t]*(?P<flow>\{.*\})?[ \t]*$", re.MULTILINE
)
_YAML_ENTRY = re.compile(r"^(?P<key>[ \t]*(?:\"[^\"]*\"|'[^']*'|[^\s:#][^:]*?):)(?P<value>[ \t]+\S.*)?$")
_FLOW_ENTRY = re.compile(
    r"(?P<key>(?:\"[^\"]*\"|'[^']*'|[^\s{},:][^{},:]*?):)[ \t]*(?P<value>\"[^\"]*\"|'[^']*'|[^,}]+)"
)
# "data": {"k": "v", ...} (flat: Secret values are strings), also with JSON-escaped quotes.
_JSON_BLOCK = re.compile(r'(?P<open>\\?"(?:data|stringData)\\?"\s*:\s*\{)(?P<body>[^{}]*)(?P<close>\})')
_JSON_STRING = r'\\"(?:(?!\\").)*\\"|"(?:[^"\\]|\\.)*"'
"""A JSON string, or one inside a JSON string (quotes escaped: ``\\"...\\"``)."""
_JSON_ENTRY = re.compile(rf"(?P<key>(?:{_JSON_STRING})\s*:\s*)(?P<value>{_JSON_STRING})")
_MIN_LENGTH = 4
_DISTINCTIVE_LENGTH = 8
_WORD = re.compile(r"[A-Za-z]+")


def redact_secret_data(text: str) -> str:
    """``text`` with the values of every Secret's ``data``/``stringData`` replaced."""
    if "Secret" not in text:
        return text
    if _YAML_KIND.search(text):
        text = _redact_yaml_blocks(text)
    if _JSON_KIND.search(text):
        text = _JSON_BLOCK.sub(
            lambda m: m["open"] + _JSON_ENTRY.sub(_json_value, m["body"]) + m["close"],
            text,
        )
    return text


def _json_value(match: re.Match[str]) -> str:
    quote = '\\"' if match["value"].startswith('\\"') else '"'
    return f"{match['key']}{quote}{_REDACTED}{quote}"


def _redact_yaml_blocks(text: str) -> str:
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        block = _YAML_BLOCK.match(lines[index])
        index += 1
        if block is None:
            continue
        if block["flow"]:
            flow = _FLOW_ENTRY.sub(lambda m: f"{m['key']} {_REDACTED}", block["flow"][1:-1])
            lines[index - 1] = lines[index - 1].replace(block["flow"], "{" + flow + "}")
            continue
        depth, entries = len(block["indent"]), None
        while index < len(lines) and _indent(lines[index]) > depth:
            column = _indent(lines[index])
            entries = column if entries is None else entries
            entry = _YAML_ENTRY.match(lines[index]) if column == entries else None
            if entry is not None and entry["value"]:
                lines[index] = f"{entry['key']} {_REDACTED}"
            elif entry is None and lines[index].strip():
                lines[index] = lines[index][:column] + _REDACTED  # a line of a block scalar's text
            index += 1
    return "\n".join(lines)


def _indent(line: str) -> int:
    """Columns before the line's first character; a blank line belongs to the block it is in."""
    stripped = line.lstrip(" \t")
    return len(line) - len(stripped) if stripped else 1 << 30


def secret_values(document: Mapping[str, Any]) -> list[str]:
    """The literals an object written by a scenario holds in secret places: a Secret's values
    (as written and base64-decoded), any dockerCfg whole, and the ``auth``/``password`` texts
    inside it."""
    found: list[str] = []
    if document.get("kind") == "Secret":
        for field in ("data", "stringData"):
            values = document.get(field)
            if isinstance(values, Mapping):
                for value in values.values():
                    if isinstance(value, str):
                        found.append(value)
                        if field == "data":
                            found.extend(_decoded_texts(value))
    found = [value for value in found if _distinctive(value)]
    _walk_docker_configs(document, found.extend)
    return [value for value in dict.fromkeys(found) if len(value.strip()) >= _MIN_LENGTH]


def _distinctive(value: str) -> bool:
    """Whether a Secret's value can be redacted everywhere without taking ordinary words out of
    the report: a registered literal is redacted in every later text of the process, so a
    Secret holding ``username: admin`` or ``mode: Deployed`` must not hide every "admin" and
    every "Deployed" phase. Eight characters or more and not a plain word; passwords inside a
    dockerCfg are registered whatever they look like."""
    return len(value) >= _DISTINCTIVE_LENGTH and not _WORD.fullmatch(value)


def register_object_secrets(document: Mapping[str, Any], register: Callable[[str], None]) -> None:
    """``register`` every literal of :func:`secret_values` (``redaction.register_secret``)."""
    for value in secret_values(document):
        register(value)


def _walk_docker_configs(value: Any, add: Callable[[list[str]], None]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if (
                isinstance(key, str)
                and key.lower() in ("dockercfg", ".dockerconfigjson", ".dockercfg")
                and isinstance(item, str)
            ):
                add(_whole_docker_config(item) + _docker_config_secrets(item))
            else:
                _walk_docker_configs(item, add)
    elif isinstance(value, list):
        for item in value:
            _walk_docker_configs(item, add)


def _whole_docker_config(text: str) -> list[str]:
    """The dockerCfg itself, as written and base64-decoded: secret by place, whatever it holds.

    One that is no docker config (not base64, base64 of ``user:password`` or of JSON without
    ``auths``) has no entry to take a password from, and the patterns cannot recognise it either:
    ``kubectl describe ms`` printed it whole, or all but its first characters, into the report.
    """
    return [value for value in (text, *_decoded_texts(text)) if _distinctive(value.strip())]


def _docker_config_secrets(text: str) -> list[str]:
    """The ``auth`` values, their ``user:password`` and the passwords of a (base64) docker config."""
    for candidate in (
        text,
        *_decoded_texts(text),
        *(d for t in _decoded_texts(text) for d in _decoded_texts(t)),
    ):
        try:
            config = json.loads(candidate)
        except ValueError:
            continue
        if not isinstance(config, Mapping):
            continue
        entries = config.get("auths", config)
        if not isinstance(entries, Mapping):
            continue
        found: list[str] = []
        for entry in entries.values():
            if not isinstance(entry, Mapping):
                continue
            for key in ("auth", "password", "identitytoken", "registrytoken"):
                secret = entry.get(key)
                if isinstance(secret, str):
                    found.append(secret)
                    if key == "auth":
                        found.extend(d.partition(":")[2] for d in _decoded_texts(secret) if ":" in d)
        return found
    return []


def _decoded_texts(value: str) -> list[str]:
    """``value`` base64-decoded to UTF-8 text, when it is base64 of text; else nothing."""
    try:
        return [base64.b64decode("".join(value.split()), validate=True).decode("utf-8")]
    except (binascii.Error, ValueError):
        return []
