"""Steps that run the real kubectl and compare what it prints with what the page shows.

Every compared output is recorded as evidence, so the report shows kubectl's own words next to
the page's. A scenario using these steps is skipped, with the reason, where kubectl is missing.

A command that changes the cluster (``annotate``, ``apply``, ``delete`` …) and fails stops the
scenario at once, with kubectl's error, as "could not check": every later step would otherwise
check a cluster the scenario did not mean, and fail there with no trace of the cause. A read
(``get``, ``describe``, ``logs`` …) that fails fails the step that compares its output, which
runs it again while it retries on a real cluster.
"""

from __future__ import annotations

import difflib

import pytest

from harness.steps.catalogue import given, then, when
from harness.steps.crd_schemas import printer_columns
from harness.steps.errors import ScenarioError
from harness.steps.kubectl import (
    KubectlFailed,
    KubectlMissing,
    KubectlResult,
    find_kubectl,
    positional_words,
    subcommand,
)
from harness.steps.tables import KubectlTable, parse_kubectl_table
from harness.steps.world import World

_NO_SUCH_TYPE = "the server doesn't have a resource type"
"""kubectl's words for a resource type discovery does not list (``kubectl get modul``): the
scenario's typo, or a cluster without DKP's kinds, never a claim of DKP that fails."""


@given("I run `{command}`")
@when("I run `{command}`")
def run_kubectl(world: World, command: str) -> None:
    """Run a kubectl command against the scenario's cluster and keep its output for the next steps.

    A command that changes the cluster and fails stops the scenario here, with kubectl's error; a
    failed read (get, describe, logs, explain, api-resources) fails the step that compares it.

    Example:
        When I run `kubectl get mr`
    """
    if world.kubectl_binary is None:
        try:
            world.kubectl_binary = find_kubectl()
        except KubectlMissing as exc:
            pytest.skip(str(exc))
    world.target.before_write()
    command = world.expect(command)
    result = world.kubectl().run(command) if _reads_only(command) else _write(world, command)
    world.last = result
    if result.returncode != 0 and _NO_SUCH_TYPE in result.stderr:
        raise ScenarioError(
            f"{result.failure()}\n  no such resource type on the cluster: the DKP kinds are `ms`"
            " (ModuleSource), `module`, `mr` (ModuleRelease), `mc` (ModuleConfig), `mup`"
            " (ModuleUpdatePolicy) and `mpo` (ModulePullOverride); `kubectl api-resources` lists them all"
        )
    if result.returncode != 0 and not _reads_only(result.command):
        world.evidence.kubectl(result.command, result.output)
        raise KubectlFailed(result.failure())


class _NotThereYet(AssertionError):
    """A write kubectl answered with NotFound: on a real cluster the object may be on its way."""


def _write(world: World, command: str) -> KubectlResult:
    """Run a command that changes the cluster. An object it names that is not there (NotFound)
    may still be on its way on a real cluster (a release DKP makes at its next scan): the command
    is run again as a check is, until it is there or the check's deadline passes, as the step
    ``When I annotate the ModuleRelease …`` does. On the simulator it runs once."""
    last: list[KubectlResult] = []

    def attempt() -> KubectlResult:
        result = world.kubectl().run(command)
        last.append(result)
        if result.returncode != 0 and "(NotFound)" in result.stderr:
            raise _NotThereYet(result.failure())
        return result

    try:
        return world.check(attempt)
    except _NotThereYet:
        return last[-1]


@then('the output has the columns "{columns}"')
def has_columns(world: World, columns: str) -> None:
    """The table header, column by column (spaces inside a column name are kept).

    Example:
        Then the output has the columns "NAME PHASE UPDATE POLICY TRANSITIONTIME MESSAGE"
    """
    result = _last(world)
    actual = " ".join(_table(result).columns)
    world.evidence.kubectl(result.command, result.output, expected=columns)
    if actual.split() != columns.split():
        raise AssertionError(f"the columns of `{result.command}` are {actual!r}, expected {columns!r}")


@then('the row of "{name}" reads:')
def row_reads(world: World, name: str, datatable: list[list[str]]) -> None:
    """Cells of one row of the table, as | COLUMN | value | pairs (an empty value means a blank cell).

    Example:
        Then the row of "module-one-v0.7.24" reads:
          | PHASE         | Deployed |
          | UPDATE POLICY |          |
    """
    result = _last(world)
    table = _table(result)
    expected = {
        cells[0].strip(): world.expect(cells[1].strip() if len(cells) > 1 else "") for cells in datatable
    }
    _known_columns(expected, table.columns, result.command)
    shown_name = world.expect(name)  # the cluster's name: a real cluster's carries the run's token
    shown = "\n".join(f"{column}={value!r}" for column, value in expected.items())
    world.evidence.kubectl(result.command, result.output, expected=shown, row=shown_name)
    row = table.row(shown_name)
    wrong = {
        column: row.get(column, "<no such column>")
        for column, value in expected.items()
        if row.get(column) != value
    }
    if wrong:
        detail = ", ".join(f"{c}: expected {expected[c]!r}, found {v!r}" for c, v in wrong.items())
        raise AssertionError(f"row {name!r} of `{result.command}` differs: {detail}")


def _table(result: KubectlResult) -> KubectlTable:
    """The table kubectl printed; none at all (``No resources found``) is an expectation not met:
    the rows the scenario expects are not there (yet, on a real cluster, whose check waits)."""
    if not result.stdout.strip():
        said = result.stderr.strip() or "nothing"
        raise AssertionError(f"`{result.command}` printed no table: {said}")
    return parse_kubectl_table(result.stdout)


def _known_columns(expected: dict[str, str], columns: list[str], command: str) -> None:
    """A column the output does not print is the scenario's mistake (a typo), not DKP's; unless
    some Deckhouse version prints it: then the cluster's version does not, an expectation not met."""
    for column in expected:
        if column not in columns and column in printer_columns():
            raise AssertionError(
                f"`{command}` prints no column {column!r} (its columns: {', '.join(columns)}): other"
                " Deckhouse versions print it, this one does not; if the claim is about those versions,"
                " tag the scenario @deckhouse-before:/@deckhouse-since: (docs/dkp-eras.md)"
            )
        if column not in columns:
            near = difflib.get_close_matches(column, columns, n=1)
            hint = f"did you mean {near[0]!r}? " if near else ""
            raise ScenarioError(
                f"`{command}` prints no column {column!r} ({hint}its columns: {', '.join(columns)}); "
                "write the column as kubectl prints it in the header"
            )


@then('the output contains "{text}"')
def output_contains(world: World, text: str) -> None:
    """The output (stdout, and stderr when kubectl failed) contains the text.

    Example:
        Then the output contains "Some errors occurred. Inspect status for details"
    """
    result = _last(world)
    text = world.expect(text)
    world.evidence.kubectl(result.command, result.output, expected=text)
    if text not in result.output:
        raise AssertionError(f"`{result.command}` printed:\n{result.output}\nwhich does not contain {text!r}")


@then('the output does not contain "{text}"')
def output_lacks(world: World, text: str) -> None:
    """The output (stdout, and stderr when kubectl failed) does not contain the text: a release no
    longer Pending, an error message gone.

    Example:
        Then the output does not contain "Pending"
    """
    result = _last(world)
    text = world.expect(text)
    world.evidence.kubectl(result.command, result.output, expected=text)
    found = _line_holding(result.output, text)
    if found is not None:
        number, line = found
        raise AssertionError(f"`{result.command}` printed {text!r} in line {number}:\n{line}")


def _line_holding(output: str, text: str) -> tuple[int, str] | None:
    """(line number, line) of the first line of ``output`` that holds ``text``; the whole output
    when the text spans lines. A negative check that fails points at what it found, not at the
    whole table."""
    if text not in output:
        return None
    lines = output.splitlines()
    for number, line in enumerate(lines, start=1):
        if text in line:
            return number, line
    return 1, output


@then("the output is:")
def output_is(world: World, docstring: str) -> None:
    """The whole output equals the docstring (ends of lines and of the text trimmed); good for jsonpath.

    Example:
        Then the output is:
          \"\"\"
          module-one module-two
          \"\"\"
    """
    result = _last(world)
    if world.target.shared and _lists_everything(result.command):
        world.skip(
            f"compares the whole output of `{result.command}`, which on a shared cluster lists other "
            "people's objects too"
        )
    docstring = world.expect(docstring)
    world.evidence.kubectl(result.command, result.output, expected=docstring)
    actual = "\n".join(line.rstrip() for line in result.output.strip().splitlines())
    wanted = "\n".join(line.rstrip() for line in docstring.strip().splitlines())
    if actual != wanted:
        raise AssertionError(f"`{result.command}` printed:\n{result.output}\nexpected:\n{docstring}")


def _lists_everything(command: str) -> bool:
    """``kubectl get KIND`` without a name: its output covers the whole cluster."""
    args = positional_words(command)
    return len(args) == 2 and args[0] == "get"


def _last(world: World) -> KubectlResult:
    """The last kubectl result; a failed command fails the comparing step with kubectl's error.

    While a check runs again on a real cluster, a ``kubectl get`` is run again too: the check is
    about what the cluster shows now, not what it showed at the first attempt.
    """
    if world.last is None:
        raise ScenarioError(
            "no kubectl output yet: put a step like `When I run `kubectl get mr`` before this one"
        )
    if world.retrying and _reads_only(world.last.command):
        world.last = world.kubectl().run(world.last.command)
    if world.last.returncode != 0:
        world.evidence.kubectl(world.last.command, world.last.output)
        raise AssertionError(world.last.failure())
    return world.last


_READS = ("get", "describe", "logs", "explain", "api-resources")


def _reads_only(command: str) -> bool:
    """The command only reads (``kubectl -n d8-system logs …`` too: flags may precede the verb)."""
    return subcommand(command) in _READS
