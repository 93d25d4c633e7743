"""``dkp-harness steps``: the step catalogue, its Markdown twin, and the lint of the feature files.

dkp-harness steps              # pattern, kind, meaning and example of every step
dkp-harness steps --markdown   # docs/steps.md (redirect it there to regenerate the file)
dkp-harness steps --lint       # undefined, ambiguous, unused steps; bad values; unknown claim IDs, bad tags
dkp-harness steps --lint features/approval my.feature   # only these folders or files
"""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.cli._checks import given_path

ROOT = Path(__file__).resolve().parents[2]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "steps",
        help="print the Gherkin step catalogue, or lint the features",
        description="Without options: every Gherkin step with its meaning, an example and where it is "
        "defined. --lint checks the feature files before any run and exits 1 on a problem.",
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
        type=given_path,
        metavar="PATH",
        help="with --lint: feature folders or .feature files to lint (default: --features)",
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
    if args.paths and not args.lint:
        from harness.cli._checks import USAGE_ERROR

        shown = " ".join(str(path) for path in args.paths)
        print(f"error: a path ({shown}) is only read with --lint: dkp-harness steps --lint {shown}")
        return USAGE_ERROR
    if args.lint:
        targets = args.paths or [args.features]
        codes = [_lint(target, args.claims, named=len(targets) > 1) for target in targets]
        return max(codes)
    for step in CATALOGUE:
        print(f"{step.kind.capitalize():5} {step.pattern}")
        print(f"      {step.doc}")
        for line in step.example.splitlines():
            print(f"      | {line}")
        print(f"      ({step.location})")
    return 0


def _lint(features: Path, given_claims: Path | None, *, named: bool = False) -> int:
    """Lint ``features``; unused step definitions only when that is the project's whole folder.

    A subset of the features (a QA author's own folder) uses a few steps, so every other
    definition would be "unused" there and the lint would fail on the catalogue, not on the
    author's files. A ``--claims`` file that is not there is an error; the default one missing
    only skips the claim checks, and the summary says so.
    """
    from harness.cli._checks import USAGE_ERROR
    from harness.report.claims import CatalogueError, load_catalogue
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
        print(problem)
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
