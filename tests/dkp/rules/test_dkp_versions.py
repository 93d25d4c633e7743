from __future__ import annotations

import pytest

from harness.dkp.rules.versions import (
    InvalidConstraintError,
    InvalidVersionError,
    Version,
    is_patch_of,
    parse_constraints,
    parse_version,
)


@pytest.mark.parametrize(
    ("text", "parts", "normalised"),
    [
        pytest.param("v1.2.3", (1, 2, 3, "", ""), "1.2.3", id="leading-v-is-accepted"),
        pytest.param("1.2.3", (1, 2, 3, "", ""), "1.2.3", id="plain-version"),
        pytest.param("1.67", (1, 67, 0, "", ""), "1.67.0", id="two-parts-mean-patch-zero"),
        pytest.param("2", (2, 0, 0, "", ""), "2.0.0", id="one-part-means-minor-and-patch-zero"),
        pytest.param(
            "v1.2.3-rc.1+build.5", (1, 2, 3, "rc.1", "build.5"), "1.2.3-rc.1+build.5", id="pre-and-build"
        ),
    ],
)
def test_versions_parse_leniently_and_keep_the_original_text(text, parts, normalised):
    version = parse_version(text)
    assert (version.major, version.minor, version.patch, version.prerelease, version.metadata) == parts
    assert str(version) == normalised
    assert version.original == text


@pytest.mark.parametrize("text", ["", "v", "1.2.3.4", "latest", "1.x", " 1.2.3"])
def test_non_versions_are_refused_with_a_hint(text):
    with pytest.raises(InvalidVersionError, match=r"MAJOR\.MINOR\.PATCH"):
        parse_version(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("1.2.3-alpha", True, id="dash-suffix-is-a-prerelease"),
        pytest.param("1.2.3+build", False, id="build-metadata-is-not"),
        pytest.param("v1.2.3", False, id="release"),
    ],
)
def test_prerelease_detection(text, expected):
    assert parse_version(text).is_prerelease is expected


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        pytest.param("1.9.0", "1.10.0", id="minor-compares-numerically"),
        pytest.param("1.2.3-rc.1", "1.2.3", id="prerelease-sorts-below-release"),
        pytest.param("1.2.3-alpha", "1.2.3-beta", id="prerelease-identifiers-compare-lexically"),
        pytest.param("1.2.3-2", "1.2.3-10", id="numeric-prerelease-identifiers-compare-numerically"),
        pytest.param("1.2.3-1", "1.2.3-alpha", id="numeric-identifier-below-alphanumeric"),
        pytest.param("1.2.3-rc", "1.2.3-rc.1", id="longer-prerelease-is-higher"),
        pytest.param("0.9.9", "1.0.0", id="major-dominates"),
    ],
)
def test_version_ordering(lower, higher):
    assert parse_version(lower) < parse_version(higher)
    assert parse_version(higher) > parse_version(lower)


def test_equality_ignores_the_leading_v_and_build_metadata():
    assert parse_version("v1.2.3") == parse_version("1.2.3+meta")
    assert len({parse_version("v1.2.3"), parse_version("1.2.3")}) == 1


@pytest.mark.parametrize(
    ("base", "candidate", "expected"),
    [
        pytest.param("1.2.3", "1.2.4", True, id="higher-patch-same-minor-is-a-patch"),
        pytest.param("1.2.3", "1.2.3", False, id="same-version-is-not"),
        pytest.param("1.2.3", "1.3.0", False, id="higher-minor-is-not"),
        pytest.param("1.2.3", "2.2.4", False, id="other-major-is-not"),
        pytest.param("1.2.3", "1.2.1", False, id="lower-patch-is-not"),
    ],
)
def test_is_patch_of(base, candidate, expected):
    assert is_patch_of(parse_version(base), parse_version(candidate)) is expected


@pytest.mark.parametrize(
    ("constraint", "version", "errors"),
    [
        # dkp-behaviour §5.6: the golden text comes from "> v1.63.0" against 1.0.0.
        pytest.param(
            "> v1.63.0",
            "1.0.0",
            ["1.0.0 is less than or equal to v1.63.0"],
            id="gt-keeps-the-v-of-the-constraint",
        ),
        pytest.param(
            ">1.28.0",
            "v1.28.0",
            ["1.28.0 is less than or equal to 1.28.0"],
            id="gt-normalises-the-checked-version",
        ),
        pytest.param(
            "< 1.30",
            "1.30.0",
            ["1.30.0 is greater than or equal to 1.30"],
            id="lt-prints-the-constraint-as-typed",
        ),
        pytest.param(">= 1.61", "1.60.9", ["1.60.9 is less than 1.61"], id="gte-fails-below"),
        pytest.param("<= 1.2.3", "1.2.4", ["1.2.4 is greater than 1.2.3"], id="lte-fails-above"),
        pytest.param("= 1.2.3", "1.2.4", ["1.2.4 is not equal to 1.2.3"], id="eq-fails-on-difference"),
        pytest.param("1.2.3", "1.2.4", ["1.2.4 is not equal to 1.2.3"], id="bare-version-means-equal"),
        pytest.param("!= 1.2.3", "1.2.3", ["1.2.3 is equal to 1.2.3"], id="ne-fails-on-equal"),
        pytest.param(
            ">=1.25 <1.30",
            "1.31.0",
            ["1.31.0 is greater than or equal to 1.30"],
            id="and-reports-the-failing-part",
        ),
        pytest.param(">=1.25, <1.30", "1.20.0", ["1.20.0 is less than 1.25"], id="comma-separates-and-parts"),
        pytest.param(
            ">=1.25 <1.24",
            "1.30.0",
            ["1.30.0 is greater than or equal to 1.24"],
            id="and-reports-only-failing-parts",
        ),
        pytest.param(
            "<1.0 || >2.0",
            "1.5.0",
            ["1.5.0 is greater than or equal to 1.0", "1.5.0 is less than or equal to 2.0"],
            id="or-collects-every-alternative",
        ),
        pytest.param(
            "~1.2.3",
            "1.3.0",
            ["1.3.0 does not have same major and minor version as 1.2.3"],
            id="tilde-pins-minor",
        ),
        pytest.param("~1.2.3", "1.2.1", ["1.2.1 is less than 1.2.3"], id="tilde-has-a-floor"),
        pytest.param(
            "^1.2", "2.0.0", ["2.0.0 does not have same major version as 1.2"], id="caret-pins-major"
        ),
        pytest.param(
            "^0.2.3",
            "0.3.0",
            [
                "0.3.0 does not have same minor version as 0.2.3. Expected minor versions to "
                "match when constraint major version is 0"
            ],
            id="caret-on-zero-major-pins-minor",
        ),
        pytest.param(
            "1.2.x",
            "1.3.0",
            ["1.3.0 does not have same major and minor version as 1.2.x"],
            id="wildcard-patch",
        ),
        pytest.param(
            "> 1.x", "1.9.0", ["1.9.0 is less than or equal to 1.x"], id="gt-major-wildcard-needs-next-major"
        ),
        pytest.param("1.2 - 1.4", "1.5.0", ["1.5.0 is greater than 1.4"], id="hyphen-range-is-inclusive"),
        pytest.param(
            ">= 1.0",
            "1.2.0-rc.1",
            ["1.2.0-rc.1 is a prerelease version and the constraint is only looking for release versions"],
            id="prerelease-needs-a-prerelease-constraint",
        ),
    ],
)
def test_constraint_failures_use_the_library_wording(constraint, version, errors):
    assert parse_constraints(constraint).validate(parse_version(version)) == errors
    assert parse_constraints(constraint).check(parse_version(version)) is False


@pytest.mark.parametrize(
    ("constraint", "version"),
    [
        pytest.param("> v1.63.0", "1.64.0", id="gt"),
        pytest.param(">=1.25 <1.30", "1.29.9", id="and-range"),
        pytest.param("<1.0 || >2.0", "2.1.0", id="second-alternative"),
        pytest.param("~1.2.3", "1.2.9", id="tilde"),
        pytest.param("^1.2", "1.9.0", id="caret"),
        pytest.param("1.2.x", "1.2.7", id="wildcard"),
        pytest.param("*", "0.0.1", id="star-accepts-anything"),
        pytest.param("!= 1.2.x", "1.3.0", id="ne-wildcard-other-minor"),
        pytest.param(">= 1.2.0-0", "1.2.0-rc.1", id="prerelease-constraint-admits-prereleases"),
        pytest.param("<= 1.2", "1.2.9", id="lte-partial-admits-patches"),
    ],
)
def test_satisfied_constraints_report_nothing(constraint, version):
    assert parse_constraints(constraint).validate(parse_version(version)) == []
    assert parse_constraints(constraint).check(parse_version(version)) is True


@pytest.mark.parametrize("text", ["", ">= foo", "1.2.3 !", "=> =>1"])
def test_improper_constraints_are_refused_in_the_library_words(text):
    with pytest.raises(InvalidConstraintError, match=r"^improper constraint: "):
        parse_constraints(text)


def test_constraints_print_back_as_written():
    assert str(parse_constraints(">= 1.25, <1.30 || ~v2.1")) == ">=1.25 <1.30 || ~v2.1"


def test_version_is_immutable():
    version = parse_version("1.2.3")
    with pytest.raises(AttributeError):
        version.major = 2  # type: ignore[misc]
    assert isinstance(version, Version)
