"""``dkp-harness steps``: the step catalogue, its Markdown twin, and the lint of the feature files.

dkp-harness steps              # pattern, kind, meaning and example of every step
dkp-harness steps approve      # only the steps whose wording, meaning or example mention every word
dkp-harness steps --markdown   # docs/steps.md (redirect it there to regenerate the file)
dkp-harness steps --lint       # undefined, ambiguous, unused steps; bad values; unknown claim IDs, bad tags
dkp-harness steps --lint features/approval my.feature   # only these folders or files
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.steps.catalogue import StepDef

from harness.cli._checks import given_path

ROOT = Path(__file__).resolve().parents[2]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "steps",
        help="print the Gherkin step catalogue, or lint the features",
        description="Without options: every Gherkin step with its meaning, an example and where it is "
        "defined; with words (`dkp-harness steps approve`), only the steps that mention them all. "
        "--lint checks the feature files before any run and exits 1 on a problem.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--markdown", action="store_true", help="print the catalogue as docs/steps.md")
    mode.add_argument(
        "--lint",
        action="store_true",
        help="check the features: undefined (with the closest steps), ambiguous and unused steps, "
        "unknown @claim: IDs, @deviation without a reason, tags -m cannot select",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="WORD|PATH",
        help="without --lint: words a step's wording, meaning or example must all contain "
        "(case-insensitive), e.g. `steps release approved`; with --lint: feature folders or "
        ".feature files to lint (default: --features)",
    )
    parser.add_argument(
        "--features",
        type=given_path,
        default=ROOT / "features",
        help="feature directory to lint (default: features/)",
    )
    parser.add_argument(
        "--claims",
        type=given_path,
        default=None,
        help="claims catalogue the @claim: tags are checked against (default: fixtures/claims.yaml)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from harness.steps.catalogue import CATALOGUE, render_markdown
    from harness.steps.library import load_all

    load_all()
    if args.markdown:
        print(render_markdown(CATALOGUE), end="")
        return 0
    if any(not word.strip() for word in args.paths):
        from harness.cli._checks import USAGE_ERROR

        # An unset shell variable ("$FEATURES") would lint the current directory or match every step.
        print("error: an argument is empty (an unset shell variable?): give a word, or with --lint a path")
        return USAGE_ERROR
    if args.paths and not args.lint:
        paths = [word for word in args.paths if _looks_like_a_path(word)]
        if paths:
            from harness.cli._checks import USAGE_ERROR

            shown = " ".join(paths)
            print(f"error: a path ({shown}) is only read with --lint: dkp-harness steps --lint {shown}")
            return USAGE_ERROR
        return _search(args.paths)
    if args.lint:
        targets = [Path(path) for path in args.paths] or [args.features]
        codes = [_lint(target, args.claims, named=len(targets) > 1) for target in targets]
        return max(codes)
    _print_steps(CATALOGUE)
    return 0


def _looks_like_a_path(word: str) -> bool:
    """A feature file or folder given without --lint (a forgotten flag), not a word to search for."""
    return word.endswith(".feature") or "/" in word or Path(word).exists()


def _search(words: list[str]) -> int:
    """Print the steps whose wording, meaning and example contain every word; 1 when none does.

    A QA author looks for a step by what it is about ("approve", "window", "kubectl"); the whole
    catalogue is some 270 lines, and grep over it finds a line, not the step it belongs to.
    """
    from harness.steps.catalogue import CATALOGUE

    wanted = [word.lower() for word in words]
    found = [
        step
        for step in CATALOGUE
        if all(word in f"{step.kind} {step.pattern} {step.doc} {step.example}".lower() for word in wanted)
    ]
    _print_steps(found)
    if not found:
        shown = " ".join(words)
        print(
            f"no step mentions {shown!r}.\n"
            "Many things are fields of the YAML a step writes, not steps (`Given the cluster has:`,\n"
            "`When I apply:`): an update window or mode is in a ModuleUpdatePolicy, a source in a\n"
            f"ModuleConfig. `grep -rn '{shown}' features/` finds the scenarios that use it;\n"
            "`dkp-harness steps` lists every step."
        )
        return 1
    return 0


def _print_steps(steps: list[StepDef]) -> None:
    """Each definition once, with its other phrasings on one line.

    ``Given``/``When`` and ``publishes``/``has the modules`` phrasings of one definition used to
    be printed apart, each with the whole meaning and example: four copies of the publishing
    step's long column list in ``dkp-harness steps registry``.
    """
    from harness.steps.catalogue import by_definition

    for first, *others in by_definition(steps):
        _print_step(first, others)


def _print_step(step: StepDef, others: list[StepDef]) -> None:
    print(f"{step.kind.capitalize():5} {step.pattern}")
    if others:
        print("      also: " + "; ".join(f"{o.kind.capitalize()} {o.pattern}" for o in others))
    print(f"      {step.doc}")
    for line in step.example.splitlines():
        print(f"      | {line}")
    print(f"      ({step.location})")


def _lint(features: Path, given_claims: Path | None, *, named: bool = False) -> int:
    """Lint ``features``; unused step definitions only when that is the project's whole folder.

    A subset of the features (a QA author's own folder) uses a few steps, so every other
    definition would be "unused" there and the lint would fail on the catalogue, not on the
    author's files. A ``--claims`` file that is not there is an error; the default one missing
    only skips the claim checks, and the summary says so.
    """
    from harness.cli._checks import USAGE_ERROR
    from harness.report.claims import CatalogueError, load_catalogue
    from harness.report.visible_text import visible
    from harness.steps.catalogue import CATALOGUE
    from harness.steps.lint import lint
    from harness.steps.tag_lint import FILE, tag_problems

    if not features.is_dir() and not (features.is_file() and features.suffix == ".feature"):
        print(f"error: no feature directory or .feature file at {features}: pass a folder or a file to lint")
        return USAGE_ERROR
    if given_claims is not None and not given_claims.is_file():
        print(f"error: no claims catalogue at {given_claims}: pass an existing --claims FILE")
        return USAGE_ERROR
    claims = given_claims or ROOT / "fixtures" / "claims.yaml"
    try:
        catalogue = load_catalogue(claims) if claims.exists() else None
    except CatalogueError as exc:
        print(f"error: {exc}")
        return USAGE_ERROR
    project_features = (ROOT / "features").resolve()
    if not features.resolve().is_relative_to(project_features):
        print(
            f"note: {features} is outside {project_features}: `dkp-harness run` runs only the feature "
            "files under it, so move the files there to run them (this lint still checks them)"
        )
    tags = tag_problems(features, catalogue)
    for problem in tags:
        print(visible(str(problem)))  # a tag's text as the lint's lines: controls shown, not obeyed
    report = lint(features, CATALOGUE)
    whole = features.resolve() == (ROOT / "features").resolve()
    if not whole:
        report.unused = []
    for line in report.lines():
        print(line)
    used = sum(1 for count in report.usage.values() if count)
    unreadable = sum(problem.kind == FILE for problem in tags)
    functions = len({step.function for step in CATALOGUE})
    unused = len({step.function for step in report.unused})
    # One definition may answer several phrasings (Given/When, "1 minute passes"/"3 minutes pass"):
    # count definitions and phrasings apart, or "70 (50 used), 0 unused" reads like a contradiction.
    print(
        (f"{features}: " if named else "")
        + f"{functions} step definitions in {len(CATALOGUE)} phrasings, {used} phrasings used; "
        f"{len(report.undefined)} undefined, {len(report.ambiguous)} ambiguous, "
        + (f"{unused} unused definitions; " if whole else "unused definitions not checked for a subset; ")
        + f"{len(report.invalid)} invalid step value(s); {len(tags) - unreadable} tag problem(s)"
        + (f"; {unreadable} unreadable feature file(s)" if unreadable else "")
        + ("" if catalogue else f" (no claims catalogue at {claims})")
    )
    return 0 if report.ok and not tags else 1
