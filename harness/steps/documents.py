"""YAML documents written in scenarios, with the few values only the running cluster knows.

A scenario cannot know the registry's port (it is picked when the cluster starts) or the
credentials a protected registry was given, so docstrings may say ``${REGISTRY}`` (``host:port``)
and ``${DOCKER_CFG}`` (base64 docker config for that registry), and a step may name a registry
digest (``${DIGEST}``, :data:`STEP_PLACEHOLDER`). Anything else that looks like a placeholder is
an error rather than text silently sent to the API server.

A mistake is reported where the author wrote it: given the :class:`Origin` of the text (the
feature file and the line its docstring starts on, or a YAML file), the error names that file and
the absolute line, not a line counted from the top of the docstring.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from harness.kube.fast_yaml import SAFE_LOADER
from harness.kube.go_scalars import GoScalars
from harness.kube.go_scalars import install as install_go_scalars
from harness.kube.go_yaml import json_mapping
from harness.report.redaction import register_secret
from harness.report.secret_objects import register_object_secrets
from harness.steps.bounded_yaml import FIX, YamlLimitError, check_limits
from harness.steps.duplicate_keys import first_duplicate_key

__all__ = ["STEP_PLACEHOLDER", "DocumentError", "Origin", "parse_documents", "substitute", "yaml_hint"]

_PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")
STEP_PLACEHOLDER = re.compile(r"DIGEST(?:_[A-Z]+)*")
"""The names a step may define for later YAML (``${DIGEST}``, ``${DIGEST_OLD}``): a value only the
running registry knows, as ``${REGISTRY}`` is one only the running cluster knows."""


class _KubectlLoader(GoScalars, SAFE_LOADER):  # type: ignore[misc]
    """The safe loader, reading plain scalars as kubectl does where PyYAML differs
    (:mod:`harness.kube.go_scalars`): go-yaml (kubectl's YAML decoder) has no YAML 1.1 base-60
    numbers, so ``from: 13:30`` in an update window is the text "13:30" there; PyYAML made it the
    integer 810 and the API server refused the step with "from in body must be of type string",
    an error kubectl never gives; ``1e3`` is a number and ``y`` a boolean. Map keys are the JSON
    keys kubectl sends (``1: a`` and ``true: b`` are ``"1"`` and ``"true"``; PyYAML kept only
    ``b``, under the key 1)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping node, but found {node.id}", node.start_mark
            )
        return json_mapping(self, node, deep=deep)


class _PureKubectlLoader(GoScalars, yaml.SafeLoader):
    """:class:`_KubectlLoader` on PyYAML's pure-Python parser (its error messages are PyYAML's
    usual ones; see :mod:`harness.kube.fast_yaml`)."""

    construct_mapping = _KubectlLoader.construct_mapping


for _loader in (_KubectlLoader, _PureKubectlLoader):
    install_go_scalars(_loader)


class DocumentError(ValueError):
    """A docstring that is not the YAML the step needs; the message says what is wrong.

    A ``ValueError``, not an assertion: the mistake is the scenario's, so the report counts it as
    "could not check" (see :mod:`harness.steps.errors`).
    """


@dataclass(frozen=True)
class Origin:
    """Where a YAML text was written: ``first_line`` of ``file`` holds the text's first line."""

    what: str
    """How the error names the text: "the step's docstring", "the YAML file 'x.yaml'"."""
    file: str
    first_line: int = 1
    indent: int = 0
    """Columns the file has before the text's own first column (a docstring's indentation, which
    Gherkin takes off its lines), so an error names the column of the file."""

    def line(self, offset: int) -> int:
        """The file's line of the text's line ``offset`` (0-based, as PyYAML counts)."""
        return self.first_line + offset


def substitute(text: str, values: Mapping[str, str], origin: Origin | None = None) -> str:
    """Replace ``${NAME}`` with ``values[NAME]``; an unknown name is an error listing the known ones."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            known = ", ".join(f"${{{k}}}" for k in sorted(values)) or "none"
            raise DocumentError(
                f"unknown placeholder ${{{name}}} in the YAML{_at(origin, text, match.start())}: "
                f"known placeholders are {known}"
            )
        return values[name]

    return _PLACEHOLDER.sub(replace, text)


OBJECT = "one Kubernetes object (apiVersion:, kind:, metadata:)"
"""What a document of an object-writing step is, as its errors say."""


def parse_documents(
    text: str,
    values: Mapping[str, str] | None = None,
    origin: Origin | None = None,
    *,
    expected: str = OBJECT,
) -> list[dict[str, Any]]:
    """The mappings of a (multi-document) YAML docstring, placeholders filled in.

    With ``origin``, a YAML error names its file and the line in it; the placeholders never span
    lines, so the lines of the filled text are the lines the author wrote. ``expected`` says what
    each document should be, in the step's terms (an object, a patch, the fields to check).
    """
    rendered = substitute(text, values or {}, origin)
    what = origin.what if origin else "the step's docstring"
    try:
        # The API server's limits (depth, alias expansion) before anything is built: steps call
        # it in-process, past the HTTP layer that applies them (harness.steps.bounded_yaml).
        check_limits(rendered)
        placed = _load_all(rendered, _KubectlLoader)
    except YamlLimitError as exc:
        raise DocumentError(f"{what} is refused{_on_line(origin, exc.line)}: {exc.reason}; {FIX}") from None
    except yaml.YAMLError:
        # libyaml words its errors differently: the pure-Python parser reads the text again, so
        # the author sees PyYAML's usual message with its line and column.
        try:
            check_limits(rendered, yaml.SafeLoader)
            placed = _load_all(rendered, _PureKubectlLoader)
        except YamlLimitError as exc:
            raise DocumentError(
                f"{what} is refused{_on_line(origin, exc.line)}: {exc.reason}; {FIX}"
            ) from None
        except yaml.YAMLError as exc:
            located = _located(exc, origin)
            raise DocumentError(f"{what} is not valid YAML: {located}{yaml_hint(located)}") from None
    if not placed and rendered.strip():
        # Only "---" lines and comments: the docstring is there, no object is in it.
        raise DocumentError(f"{what} holds no object (only '---' lines or comments): write {expected} in it")
    if not placed:
        raise DocumentError('the step needs a YAML docstring (between """ lines) below it')
    for index, (document, node) in enumerate(placed, start=1):
        if not isinstance(document, dict):
            shape = _YAML_KINDS.get(type(document), f"a {type(document).__name__}")
            raise DocumentError(
                f"YAML document {index}{_on_line(origin, node.start_mark.line)} is {shape}, not an object: "
                f"every document between --- lines is {expected}"
            )
        duplicate = first_duplicate_key(node)
        if duplicate is not None:
            key, where = duplicate.value, _on_line(origin, duplicate.start_mark.line)
            raise DocumentError(
                f"{what} writes the key {key!r} twice in one mapping{where} (kubectl: key "
                f'"{key}" already set in map): keep one, the other line does nothing'
            )
    documents = [document for document, _ in placed]
    for document in documents:
        # A Secret's values and a dockerCfg's passwords are redacted wherever they show up later
        # (kubectl output, an annotation they were copied into): harness.report.secret_objects.
        register_object_secrets(document, register_secret)
    return documents


_YAML_KINDS = {list: "a list", str: "a text", int: "a number", float: "a number", bool: "true or false"}


def _load_all(text: str, loader_class: Any) -> list[tuple[Any, yaml.Node]]:
    """Each non-empty document of ``text`` with its node, whose marks say where it was written."""
    loader = loader_class(text)
    try:
        placed = []
        while loader.check_node():
            node = loader.get_node()
            document = loader.construct_document(node)
            if document is not None:
                placed.append((document, node))
        return placed
    finally:
        loader.dispose()


def _at(origin: Origin | None, text: str, index: int) -> str:
    """`` (file:line)`` of the character at ``index`` of ``text``; empty without an origin."""
    if origin is None:
        return ""
    line = origin.line(text.count("\n", 0, index))
    return f" ({origin.file}:{line})"


def _on_line(origin: Origin | None, offset: int) -> str:
    """`` at file:line`` of the text's line ``offset`` (0-based); empty without an origin."""
    return f" at {origin.file}:{origin.line(offset)}" if origin is not None else f" at its line {offset + 1}"


def _located(error: yaml.YAMLError, origin: Origin | None) -> yaml.YAMLError:
    """PyYAML's error with its marks moved from the text's own lines and columns to those of ``origin``.

    The marks keep their buffer and pointer, so the quoted line and its caret stay as PyYAML
    printed them; only the name (``<unicode string>``) and the line number change.
    """
    if origin is None or not isinstance(error, yaml.MarkedYAMLError):
        return error
    for mark in {id(m): m for m in (error.context_mark, error.problem_mark) if m is not None}.values():
        mark.name = origin.file
        mark.line = origin.line(mark.line) - 1  # PyYAML prints line + 1
        mark.column += origin.indent
    return error


def yaml_hint(error: yaml.YAMLError) -> str:
    """A line below PyYAML's message saying what its parser words mean in a docstring and what
    to change, for the three mistakes hand-written YAML makes most; ``""`` for any other.

    "expected <block end>, but found '<block mapping start>'" is where a line is indented one
    space off; the place was right, the words were the parser's states. The line is the file's
    (the marks are moved there first, :func:`_located`).
    """
    if not isinstance(error, yaml.MarkedYAMLError) or error.problem_mark is None:
        return ""
    problem, line = str(error.problem or ""), error.problem_mark.line + 1
    if problem.startswith("expected <block end>, but found"):
        fix = (
            f"line {line} is indented unlike the lines above it: the keys of one mapping, and the "
            "items of one list, start in the same column; a nested one starts further right"
        )
    elif "found character '\\t'" in problem:
        fix = f"line {line} has a tab: YAML is indented with spaces only"
    elif problem == "mapping values are not allowed here":
        fix = (
            f"line {line} has a second ': ' after its key: quote the value, e.g. message: \"a: b\", "
            "or put the nested key on a line of its own, further right"
        )
    else:
        return ""
    return f"\n  ({fix})"
