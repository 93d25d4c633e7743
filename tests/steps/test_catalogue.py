from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from harness.steps.catalogue import CATALOGUE, render_markdown, split_docstring

ROOT = Path(__file__).resolve().parents[2]


def test_docs_steps_md_is_generated_from_the_code():
    current = (ROOT / "docs" / "steps.md").read_text() if (ROOT / "docs" / "steps.md").exists() else ""
    assert current == render_markdown(CATALOGUE), (
        "docs/steps.md is stale: regenerate it with `.venv/bin/dkp-harness steps --markdown > docs/steps.md`"
    )


def test_every_step_has_a_meaning_and_an_example_of_its_own_kind():
    for step in CATALOGUE:
        assert step.doc, f"{step.location}: step {step.pattern!r} has no docstring"
        assert step.example, f"{step.location}: step {step.pattern!r} has no Example: in its docstring"


def test_a_docstring_splits_into_meaning_and_dedented_example():
    doc, example = split_docstring("Does a thing\nacross lines.\n\nExample:\n    When I do\n      | a |\n")
    assert doc == "Does a thing across lines."
    assert example == "When I do\n  | a |"


def test_the_patterns_are_unique_per_kind():
    keys = [step.key for step in CATALOGUE]
    assert len(keys) == len(set(keys))


def test_every_step_location_is_the_one_inspect_finds_for_its_function():
    """The catalogue reads a step's line from its code object, not by tokenizing its module."""
    assert len(CATALOGUE) >= 50
    for step in CATALOGUE:
        module_name, qualname = step.function.split(":")
        func = getattr(importlib.import_module(module_name), qualname)
        assert step.line == inspect.getsourcelines(func)[1], step.function
        assert (inspect.getsourcefile(func) or "").endswith(step.file), step.function


def test_every_example_is_read_as_its_own_step_with_values_it_takes(tmp_path):
    """A QA author copies a catalogue example into a feature file: it must be that very step
    (not another one, not none) and pass the lint's value checks (duration, moment, kind, YAML)."""
    from harness.steps.library import load_all
    from harness.steps.lint import lint

    load_all()
    wrong = []
    for number, step in enumerate(CATALOGUE):
        features = tmp_path / f"f{number}"
        features.mkdir()
        body = "\n".join(f"    {line}" for line in step.example.splitlines())
        (features / "example.feature").write_text(f"Feature: f\n\n  Scenario: s\n{body}\n")
        report = lint(features, CATALOGUE)
        used = {key for key, count in report.usage.items() if count}
        own = {s.key for s in CATALOGUE if s.function == step.function}
        if report.undefined or report.ambiguous or report.invalid or not used or not used <= own:
            wrong.append(f"{step.location}: {step.example.splitlines()[0]!r}: {report.lines()}")
    assert wrong == []
