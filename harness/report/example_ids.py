"""The pytest id of each Examples row of an Outline, as pytest gives it, to find a row by its id.

pytest-bdd parametrizes an Outline's test with one ``pytest.param`` per row of all its Examples
tables, its id the row's values joined with ``-``. pytest then changes that id twice: it escapes
what is not printable ASCII (``é`` becomes ``\\xe9``, a tab ``\\t``; the ini option
``disable_test_id_escaping_and_forfeit_all_rights_to_community_support`` turns this off), and it
makes equal ids unique by a counter (two rows ``| a | 1 |`` give ``a-1_0`` and ``a-1_1``; an id
not ending in a digit gets the counter straight, ``kill0`` and ``kill1``), skipping a counter
that would give another row's id. The controller of a pytest-xdist run, naming a
crashed worker's scenario from its node id alone, redoes both so a deduplicated or escaped id
names its own row, not the Outline with its placeholders unfilled.

This follows ``IdMaker.make_unique_parameterset_ids`` and ``ascii_escaped`` of pytest 8 and 9
(``src/_pytest/python.py``, ``src/_pytest/compat.py``); tests/report/test_example_ids.py checks
the ids against the node ids a real collection gives.
"""

from __future__ import annotations

from collections import Counter

from pytest_bdd.parser import ScenarioTemplate

__all__ = ["example_for", "row_ids", "rows_by_id"]

_NOT_PRINTABLE = {code: f"\\x{code:02x}" for code in range(128) if code not in range(32, 127)}
_NOT_PRINTABLE.update({ord("\t"): "\\t", ord("\r"): "\\r", ord("\n"): "\\n"})


def example_for(template: ScenarioTemplate, param: str | None) -> dict[str, str]:
    """The Examples row whose pytest id is ``param``, escaped or not; ``{}`` for no row (the
    scenario is then named as its Outline writes it)."""
    if param is None:
        return {}
    for escaped in (True, False):
        for row_id, row in rows_by_id(template, escaped=escaped):
            if row_id == param:
                return row
    return {}


def rows_by_id(template: ScenarioTemplate, *, escaped: bool = True) -> list[tuple[str, dict[str, str]]]:
    """Every Examples row of ``template`` with its pytest id (escaped unless the run turned
    pytest's escaping off), in the order pytest parametrizes them; ``[]`` for a plain Scenario."""
    rows = [dict(context) for examples in template.examples for context in examples.as_contexts()]
    joined = ["-".join(row.values()) for row in rows]
    ids = row_ids([_escaped(text) for text in joined] if escaped else joined)
    return list(zip(ids, rows, strict=True))


def row_ids(ids: list[str]) -> list[str]:
    """``ids`` made unique as pytest makes a parametrization's ids unique."""
    counts = Counter(ids)
    unique = list(ids)
    taken = set(ids)
    next_counter: dict[str, int] = {}
    for index, text in enumerate(ids):
        if counts[text] < 2:
            continue
        suffix = "_" if text and text[-1].isdigit() else ""
        counter = next_counter.get(text, 0)
        while f"{text}{suffix}{counter}" in taken:
            counter += 1
        unique[index] = f"{text}{suffix}{counter}"
        taken.add(unique[index])
        next_counter[text] = counter + 1
    return unique


def _escaped(text: str) -> str:
    return text.encode("unicode_escape").decode("ascii").translate(_NOT_PRINTABLE)
