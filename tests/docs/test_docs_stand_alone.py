"""The documentation a new user reads works on a fresh clone: links resolve, commands exist, the
README's first scenario runs through the lint, and nothing cites material users do not have.
"""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from harness.cli import SUBCOMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+(\S+)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _prose_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of the lines outside fenced code blocks, with inline code removed."""
    lines: list[tuple[int, str]] = []
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, re.sub(r"`[^`]*`", "", line)))
    return lines


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*|_(?=\W)|(?<=\W)_", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors: set[str] = set()
    for _, line in _prose_lines(path):
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        slug = _slug(match.group(1))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _relative_links(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for number, line in _prose_lines(path):
        targets = [m.group(1) for m in _LINK.finditer(line)]
        reference = _REFERENCE_DEF.match(line)
        if reference:
            targets.append(reference.group(1))
        found += [(number, t) for t in targets if not _SCHEME.match(t) and not t.startswith("//")]
    return found


def broken_links(path: Path) -> list[str]:
    """Every relative link of ``path`` whose file, or ``#anchor`` in a Markdown file, is missing."""
    problems: list[str] = []
    for number, target in _relative_links(path):
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        where = f"{path.relative_to(ROOT)}:{number}: link {target!r}"
        if not resolved.exists():
            problems.append(f"{where}: no file {resolved}")
        elif ROOT not in resolved.parents and resolved != ROOT:
            problems.append(f"{where}: points outside the repository")
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            problems.append(f"{where}: no heading with anchor #{anchor} in {resolved.name}")
    return problems


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(doc):
    assert broken_links(doc) == []


def test_the_link_check_notices_a_missing_file_and_a_missing_anchor(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "there.md").write_text("# Is here\n\n## Second part\n")
    page = tmp_path / "README.md"
    page.write_text(
        "[ok](docs/there.md) [ok](docs/there.md#second-part) [web](https://example.com/x.md)\n"
        "[gone](docs/gone.md) [bad anchor](docs/there.md#third-part)\n"
        "```\n[in code](nowhere.md)\n```\n"
        "[ref]: docs/missing.md\n"
    )
    problems = broken_links(page)
    assert [p.split(": link ")[1].split(":")[0] for p in problems] == [
        "'docs/gone.md'",
        "'docs/there.md#third-part'",
        "'docs/missing.md'",
    ]


# The repository stands alone: users have neither the team's design notes nor its research files.
_NOT_OURS = re.compile(r"\.\./shared|/work/shared|\bDESIGN\.md|\breference/[\w-]+\.md|doc-claims\.md")
_USER_FACING = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted(ROOT.glob("fixtures/**/*.yaml")),
]


def test_nothing_a_user_reads_cites_material_they_do_not_have():
    citations = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _USER_FACING
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _NOT_OURS.search(line)
    ]
    assert citations == []


_COMMAND = re.compile(r"(?:^|[\s`(])(?:\.venv/bin/)?dkp-harness\s+([^`\n|#;&]*)")


def _documented_commands() -> list[tuple[str, list[str]]]:
    commands: list[tuple[str, list[str]]] = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in _COMMAND.finditer(line):
                words = match.group(1).replace("\\", " ").split()
                if words and re.fullmatch(r"[a-z]+", words[0]):
                    commands.append((f"{path.relative_to(ROOT)}:{number}", words))
    return commands


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and name in action.choices:
            return action.choices[name]
    return None


def test_every_documented_subcommand_exists_and_takes_the_documented_options():
    problems: list[str] = []
    for where, words in _documented_commands():
        name = words[0]
        if name not in SUBCOMMANDS:
            problems.append(f"{where}: dkp-harness {name}: no such subcommand")
            continue
        parser = _subparser(build_parser(), name)
        if len(words) > 1 and (action := _subparser(parser, words[1])) is not None:
            parser, name, words = action, f"{name} {words[1]}", words[1:]
        assert parser is not None
        options = {o for action in parser._actions for o in action.option_strings}
        stop = words.index("--") if "--" in words else len(words)
        for word in words[1:stop]:
            option = word.strip("[]").split("=", 1)[0]
            if option.startswith("--") and option not in options:
                problems.append(f"{where}: dkp-harness {name} has no option {option}")
    assert len(_documented_commands()) > 20, "the command pattern no longer finds the documented commands"
    assert problems == []


def _gherkin_blocks(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [
        "\n".join(line[len(indent) :] for line in body.splitlines())
        for indent, body in re.findall(r"^( *)```gherkin\n(.*?)^\1```", text, re.S | re.M)
    ]


@pytest.mark.parametrize(
    ("doc", "block"), [("README.md", 0), ("docs/authoring.md", 0)], ids=["readme-first", "authoring"]
)
def test_the_documented_first_scenarios_pass_the_lint(tmp_path, doc, block):
    from harness.report.claims import load_catalogue
    from harness.steps.catalogue import CATALOGUE
    from harness.steps.library import load_all
    from harness.steps.lint import lint
    from harness.steps.tag_lint import tag_problems

    load_all()
    features = tmp_path / "features"
    features.mkdir()
    (features / "first.feature").write_text(_gherkin_blocks(ROOT / doc)[block])
    report = lint(features, CATALOGUE)
    assert sum(report.usage.values()) >= 5, "the block was not read as a feature"
    assert (report.undefined, report.ambiguous) == ([], [])
    assert tag_problems(features, load_catalogue(ROOT / "fixtures" / "claims.yaml")) == []


def test_the_documented_sandbox_commands_parse():
    """Each ``dkp-harness`` line of the README's sandbox block is accepted by the real parser."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## The sandbox", 1)[1].split("```shell\n", 1)[1].split("```", 1)[0]
    lines = [
        line.split("#", 1)[0].split(" | ", 1)[0].strip()
        for line in block.splitlines()
        if "dkp-harness " in line
    ]
    assert lines, "the sandbox block lost its dkp-harness commands"
    for line in lines:
        words = shlex.split(line.replace('"$DIR"', "/tmp/d").replace('"$REGISTRY"', "127.0.0.1:5000"))
        words = words[words.index(next(w for w in words if w.endswith("dkp-harness"))) + 1 :]
        words = [w for w in words if w != "&"]
        build_parser(words[0]).parse_args(words)
