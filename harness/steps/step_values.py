"""The values in a step line that the lint can judge without a cluster.

A step can match its definition and still be unusable: ``3 minuts pass`` matches ``{span} pass``,
``the Modul "m" …`` matches ``the {kind} "{name}" …``, a docstring can be broken YAML. The run says
so with a "could not check" error; the lint says it before any run, with the same message, by
handing the value to the function the step itself uses.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.api import kinds
from harness.steps.crd_schemas import unknown_in_every_era, unsupported_in_every_era
from harness.steps.documents import STEP_PLACEHOLDER, DocumentError, Origin, parse_documents
from harness.steps.errors import ScenarioError
from harness.steps.kubectl import split_command
from harness.steps.phase_names import check_phase, check_phase_of, check_phases, split_phases
from harness.steps.phrases import parse_moment, parse_span
from harness.steps.schema_fields import (
    apply_refusal,
    likely_typos,
    match_refusal,
    patch_refusal,
    seed_refusal,
)
from harness.steps.step_place import docstring_origin

if TYPE_CHECKING:
    from harness.steps.catalogue import StepDef

__all__ = ["invalid_value"]

_YAML_STEPS = frozenset({"seed_yaml", "apply_yaml", "try_apply", "matches", "patch"})
"""The step functions whose docstring is YAML (``the cluster has:``, ``I apply:``, ``matches:`` …)."""


class _LintPlaceholders(dict[str, str]):
    """The run's placeholders as the lint knows them: ``${REGISTRY}``, ``${DOCKER_CFG}`` and any
    name a step may define (``${DIGEST}``: which step defines it is the run's concern)."""

    def __contains__(self, name: object) -> bool:
        return super().__contains__(name) or (
            isinstance(name, str) and bool(STEP_PLACEHOLDER.fullmatch(name))
        )

    def __missing__(self, name: str) -> str:
        if STEP_PLACEHOLDER.fullmatch(name):
            return "sha256:" + "0" * 64
        raise KeyError(name)


_PLACEHOLDERS = _LintPlaceholders({"REGISTRY": "127.0.0.1:5000", "DOCKER_CFG": "e30="})


def _kind(value: str) -> None:
    from harness.steps.world import check_kind  # the world module imports pytest: only when linting

    check_kind(value)


def _status_refusal(document: dict[str, Any]) -> str:
    from harness.steps.library.objects import status_in_an_apply  # imports the world: only when linting

    return status_in_an_apply(document)


def _kind_refusal(kind: str) -> str:
    try:
        _kind(kind)
    except ScenarioError as exc:
        return str(exc)
    return ""


def _yaml_file(path: str) -> Path:
    from harness.steps.library.objects import yaml_file  # imports the world, hence pytest: only when linting

    return yaml_file(path)


_VALUES: dict[str, Callable[[str], Any]] = {
    "span": parse_span,
    "moment": parse_moment,
    "kind": _kind,
    "phase": check_phase,
    "phases": check_phases,
    "command": split_command,
}


def invalid_value(
    step: StepDef, text: str, docstring: str | None, file: str, line: int, path: Path | None = None
) -> str:
    """What the run would refuse in the step ``text`` at ``file:line`` (matched by ``step``; the
    feature file ``path`` tells where its docstring starts), or ``""``."""
    try:
        arguments = step.parser.parse_arguments(text) or {}
    except Exception:  # noqa: BLE001 - a parser that cannot re-read its own match judges nothing
        arguments = {}
    if step.function.rsplit(":", 1)[-1] == "apply_file" and isinstance(arguments.get("path"), str):
        return _file_problem(arguments["path"])
    for name, value in arguments.items():
        check = _VALUES.get(name)
        if check is None or not isinstance(value, str):
            continue
        try:
            check(value)
        except (ScenarioError, ValueError) as exc:
            return str(exc)
    problem = _phase_of_kind(arguments)
    if problem:
        return problem
    function = step.function.rsplit(":", 1)[-1]
    if docstring is not None and function in _YAML_STEPS:
        origin = (docstring_origin(path, file, line) if path else None) or Origin(
            "the step's docstring", file, line + 2
        )
        try:
            documents = parse_documents(docstring, _PLACEHOLDERS, origin)
        except (DocumentError, ScenarioError) as exc:
            return str(exc)
        return _unknown_fields(function, arguments, documents)
    return ""


def _phase_of_kind(arguments: dict[str, Any]) -> str:
    """The run's refusal of a phase its step's kind never has (``the Module … "Deployed"``)."""
    kind, phases = arguments.get("kind"), arguments.get("phase", arguments.get("phases"))
    if not isinstance(kind, str) or not isinstance(phases, str):
        return ""
    try:
        for phase in split_phases(phases) if "phases" in arguments else [phases]:
            check_phase_of(kind, phase)
    except ScenarioError as exc:
        return str(exc)
    return ""


def _file_problem(path: str) -> str:
    """What the run refuses in a seeded YAML file: a missing one, bad YAML, a kind or a misspelt field."""
    try:
        text = _yaml_file(path).read_text(encoding="utf-8", errors="replace")
        documents = parse_documents(text, _PLACEHOLDERS, Origin(f"the YAML file {path!r}", path))
    except (DocumentError, ScenarioError) as exc:
        return str(exc)
    return next((p for p in (_document_problem(d, seeding=True) for d in documents) if p), "")


def _document_problem(document: dict[str, Any], *, seeding: bool) -> str:
    """What the run refuses in one applied or seeded document: a status in an apply, a DKP kind
    that does not exist, a field no era has (seeding: only one spelt like a real field)."""
    kind, api_version = str(document.get("kind", "")), str(document.get("apiVersion", ""))
    name = str((document.get("metadata") or {}).get("name", ""))
    if not seeding and isinstance(document.get("status"), dict) and document["status"]:
        return _status_refusal(document)  # the run's own words for it
    if api_version.startswith(f"{kinds.GROUP}/") and kind not in kinds.BY_KIND:
        return _kind_refusal(kind)
    if kind not in kinds.BY_KIND or kinds.BY_KIND[kind].api_version != api_version:
        return ""
    version = api_version.rsplit("/", 1)[-1]
    mistakes = unknown_in_every_era(kind, version, document)
    typos = likely_typos(mistakes) if seeding else mistakes
    if typos:
        return seed_refusal(kind, name, typos) if seeding else apply_refusal(kind, name, typos)
    refused = unsupported_in_every_era(kind, version, document)
    if refused:  # the API server's 422, for an apply and a seed alike
        return f'{kind}.deckhouse.io "{name}" is invalid: ' + "; ".join(str(v) for v in refused)
    return ""


def _unknown_fields(function: str, arguments: dict[str, Any], documents: list[dict[str, Any]]) -> str:
    """A field the kind's CRD (in no era) has, as the run refuses it: in an applied object, in the
    YAML a ``matches:`` check compares, or in a patch."""
    if function in ("apply_yaml", "seed_yaml"):  # as the run judges them (objects.apply_documents)
        for document in documents:
            problem = _document_problem(document, seeding=function == "seed_yaml")
            if problem:
                return problem
    matched = arguments.get("kind")
    if (
        function in ("matches", "patch")
        and isinstance(matched, str)
        and matched in kinds.BY_KIND
        and documents
    ):
        mistakes = unknown_in_every_era(matched, kinds.BY_KIND[matched].version, documents[0])
        if mistakes and function == "patch":
            return patch_refusal(matched, str(arguments.get("name", "")), mistakes)
        if mistakes:
            return match_refusal(matched, mistakes)
    return ""
