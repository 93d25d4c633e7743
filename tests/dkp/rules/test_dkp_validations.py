"""The release-validation SQL subset as a truth table (docs/dkp-eras.md, "release-validations").

The evaluator is era-free (the release controller runs it from Deckhouse v1.78 only); the rows run
against a platform in each era's default settings, so a version column is checked in both.
"""

from __future__ import annotations

import pytest

from harness import eras
from harness.dkp.rules.validations import Platform, first_failure, validation_files

EE_ONLY = (
    "ASSERT NOT EMPTY (SELECT deckhouseEdition FROM v_d8_platform "
    "WHERE deckhouseEdition IN ('ee', 'fe')) FAIL 'EDITION' 'the module requires EE';"
)


def platform(version: eras.DeckhouseVersion, edition: str = "ee", bundle: str = "Default") -> Platform:
    return Platform(str(version), edition, bundle, "1.30.0")


BOTH = pytest.mark.parametrize("version", [eras.DEFAULT_VERSION, eras.LATEST], ids=str)


@BOTH
@pytest.mark.parametrize(
    ("sql", "edition", "failure"),
    [
        (EE_ONLY, "ee", ""),
        (EE_ONLY, "fe", ""),
        (EE_ONLY, "ce", "d8sql: validation failed [EDITION]: the module requires EE"),
        (
            "ASSERT EMPTY (SELECT deckhouseEdition FROM v_d8_platform WHERE deckhouseEdition = 'ce') "
            "FAIL 'NO_CE' 'not on CE';",
            "ce",
            "d8sql: validation failed [NO_CE]: not on CE",
        ),
        (
            "ASSERT EMPTY (SELECT deckhouseEdition FROM v_d8_platform WHERE deckhouseEdition = 'ce') "
            "FAIL 'NO_CE' 'not on CE';",
            "ee",
            "",
        ),
        ("ASSERT NOT EMPTY (SELECT deckhouseBundle FROM v_d8_platform) FAIL 'B' 'x';", "ce", ""),
        (
            "ASSERT EMPTY (SELECT deckhouseBundle FROM v_d8_platform) FAIL 'B' 'never empty';",
            "ce",
            "d8sql: validation failed [B]: never empty",
        ),
        (
            "assert not empty (select deckhouseEdition from v_d8_platform where deckhouseEdition in ('ce'))"
            " fail 'E' 'it''s lower case';",
            "ee",
            "d8sql: validation failed [E]: it's lower case",
        ),
        ("", "ce", ""),
        ("-- only a comment\n", "ce", ""),
    ],
    ids=[
        "ee-in",
        "fe-in",
        "ce-out",
        "eq-hit",
        "eq-miss",
        "no-where-not-empty",
        "no-where-empty",
        "case-and-quote",
        "empty-file",
        "comment-only",
    ],
)
def test_statements(version, sql, edition, failure):
    assert first_failure([("10_gate.sql", sql)], platform(version, edition)) == (
        f"10_gate.sql: {failure}" if failure else ""
    )


@BOTH
def test_the_version_column_is_the_clusters_version(version):
    sql = (
        "ASSERT NOT EMPTY (SELECT deckhouseVersion FROM v_d8_platform "
        f"WHERE deckhouseVersion = '{eras.LATEST}') FAIL 'OLD' 'needs today''s Deckhouse';"
    )
    failure = "v.sql: d8sql: validation failed [OLD]: needs today's Deckhouse"
    expected = "" if version == eras.LATEST else failure
    assert first_failure([("v.sql", sql)], platform(version)) == expected


def test_the_first_failing_file_in_lexical_order_wins():
    bundle = b"ASSERT EMPTY (SELECT deckhouseBundle FROM v_d8_platform) FAIL 'B' 'b';"
    edition = b"ASSERT EMPTY (SELECT deckhouseEdition FROM v_d8_platform) FAIL 'A' 'a';"
    files = {
        "release/validations/20_b.sql": bundle,
        "release/validations/10_a.sql": edition,
        "release/validations/notes.txt": b"DROP TABLE x;",
        "release/migrations/001_x.up.sql": b"DROP TABLE x;",
        "openapi/values.yaml": b"",
    }
    ordered = validation_files(files)
    assert [name for name, _ in ordered] == ["10_a.sql", "20_b.sql"]
    assert first_failure(ordered, platform(eras.LATEST)) == "10_a.sql: d8sql: validation failed [A]: a"


@pytest.mark.parametrize(
    ("sql", "said"),
    [
        ("DROP TABLE modules;", "unsupported statement 'DROP TABLE modules'"),
        (
            "ASSERT EMPTY (SELECT clusterName FROM v_d8_platform) FAIL 'X' 'y';",
            "unknown column 'clusterName'",
        ),
        ("ASSERT EMPTY (SELECT deckhouseEdition FROM other_table) FAIL 'X' 'y';", "unsupported statement"),
    ],
)
def test_what_the_simulator_cannot_evaluate_fails_naming_the_file(sql, said):
    failure = first_failure([("30_x.sql", sql)], platform(eras.LATEST))
    assert failure.startswith("30_x.sql: ")
    assert said in failure
