"""pytest options and Gherkin tags for the Deckhouse version the scenarios' clusters run.

- ``--dkp-deckhouse-version VERSION`` (``vMAJOR.MINOR[.PATCH]`` or ``latest``), ``--dkp-edition``
  and ``--dkp-bundle`` set what every scenario's cluster runs unless the scenario says otherwise
  (``Given the cluster runs Deckhouse v1.75.0``). The default is the documentation page's era.
- ``@deckhouse-since:v1.75.0`` marks a scenario that checks behaviour introduced in that release,
  ``@deckhouse-before:v1.75.0`` one that checks behaviour the release removed. A scenario whose
  tag excludes the run's version is skipped, and the skip reason names both versions, so a run
  never reports a behaviour of one era as checked against another. A tag whose version does not
  parse marks nothing: the report plugin makes that scenario (only) error at setup with the
  feature file and line of the tag (``harness.report.tags.tag_mistake``), and the runs of other
  feature files go on.

``dkp-harness run --deckhouse-version …`` passes the options on; ``docs/dkp-eras.md`` lists what
changes from which version.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import pytest

from harness import eras
from harness.report.model import DEFAULT_TARGET
from harness.report.run_target import RUN_TARGET_KEY
from harness.report.tags import SINCE_TAG, UNTIL_TAG
from harness.steps.world import ClusterOptions

__all__ = ["SINCE_TAG", "UNTIL_TAG", "cluster_options", "era_skip_reason", "run_version"]

_MARKERS = {SINCE_TAG: "deckhouse_since", UNTIL_TAG: "deckhouse_before"}


def _checked(parse: Callable[[str], Any]) -> Callable[[str], str]:
    def convert(text: str) -> str:
        try:
            return str(parse(text))
        except eras.VersionError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dkp-harness cluster")
    group.addoption(
        "--dkp-deckhouse-version",
        type=_checked(eras.chosen_version),
        default=None,
        metavar="VERSION",
        help=f"Deckhouse version the clusters run: vMAJOR.MINOR[.PATCH] or 'latest' ({eras.LATEST}); "
        f"default {eras.DEFAULT_VERSION}, the documentation page's era",
    )
    group.addoption(
        "--dkp-edition",
        type=_checked(eras.parse_edition),
        default=None,
        help=f"Deckhouse edition of the clusters: {', '.join(eras.EDITIONS)} (default ee)",
    )
    group.addoption(
        "--dkp-bundle",
        type=_checked(eras.parse_bundle),
        default=None,
        help=f"module bundle of the clusters: {', '.join(eras.BUNDLES)} (default {eras.DEFAULT_BUNDLE})",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "deckhouse_since(version): runs only against Deckhouse at or after version"
    )
    config.addinivalue_line(
        "markers", "deckhouse_before(version): runs only against Deckhouse before version"
    )
    _name_the_version_in_the_report(config)


def _name_the_version_in_the_report(config: pytest.Config) -> None:
    """The report's header says which Deckhouse version (and edition) the run checked, and judges
    claims with a ``since``/``before`` range against it (``harness.report.run_target``)."""
    target: dict[str, str] = dict(DEFAULT_TARGET)
    found: dict[str, str] | None = config.stash.get(RUN_TARGET_KEY, None)
    target.update(found or {})
    if target.get("kind", "simulator") != "simulator":
        return  # a real cluster reports its own versions
    target.setdefault("deckhouse_version", str(run_version(config)))
    target.setdefault("edition", config.getoption("--dkp-edition") or "ee")
    config.stash[RUN_TARGET_KEY] = target


def pytest_report_header(config: pytest.Config) -> str:
    version = run_version(config)
    era = "the documentation page's era" if version == eras.DEFAULT_VERSION else "today's controllers"
    edition = config.getoption("--dkp-edition") or "ee"
    bundle = config.getoption("--dkp-bundle") or eras.DEFAULT_BUNDLE
    return f"dkp-harness: clusters run Deckhouse {version} ({era}), edition {edition}, bundle {bundle}"


def pytest_bdd_apply_tag(tag: str, function: Callable[..., object]) -> bool | None:
    """``@deckhouse-since:vX`` / ``@deckhouse-before:vX`` → their markers; a bad version → none.

    Every feature file is collected in every run: failing the collection for one bad tag stopped
    the runs of all the others. The report plugin errors that scenario at setup instead.
    """
    for prefix, marker in _MARKERS.items():
        if tag.startswith(prefix):
            try:
                version = eras.parse_version(tag.removeprefix(prefix))
            except eras.VersionError:
                return True
            getattr(pytest.mark, marker)(str(version))(function)
            return True
    return None


_HOW_TO_CHOOSE = " (dkp-harness run --deckhouse-version, pytest --dkp-deckhouse-version)"
"""Where the run's version is chosen: users of ``dkp-harness run`` never see the pytest option."""


def run_version(config: pytest.Config) -> eras.DeckhouseVersion:
    """The Deckhouse version this run's clusters run unless a scenario sets its own.

    On a real cluster (``--dkp-kubeconfig``) that is the version the cluster runs, read from its
    ``deckhouse`` container's image, unless the run names one: the era tags of the scenarios are
    judged against it, so a v1.78 cluster runs the ``@deckhouse-since:v1.75.0`` scenarios and
    skips the ``@deckhouse-before:v1.76.0`` ones (judged against the page's era they were the
    other way round).
    """
    chosen = config.getoption("--dkp-deckhouse-version")
    target: dict[str, str] = config.stash.get(RUN_TARGET_KEY, {})
    if chosen is None and target.get("kind", "simulator") != "simulator":
        try:
            return eras.parse_version(target.get("deckhouse_version", ""))
        except eras.VersionError:
            pass  # a cluster whose version could not be read: the page's era, as on the simulator
    return eras.resolve_version(chosen)


def era_skip_reason(item: pytest.Item, version: eras.DeckhouseVersion) -> str | None:
    """Why ``item`` does not apply to ``version`` (None when it does)."""
    for marker in item.iter_markers("deckhouse_since"):
        since = eras.parse_version(str(marker.args[0]))
        if version < since:
            return f"checks Deckhouse {since} and later; this run checks {version}{_HOW_TO_CHOOSE}"
    for marker in item.iter_markers("deckhouse_before"):
        before = eras.parse_version(str(marker.args[0]))
        if version >= before:
            return f"checks Deckhouse before {before}; this run checks {version}{_HOW_TO_CHOOSE}"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    version = run_version(config)
    for item in items:
        reason = era_skip_reason(item, version)
        if reason is not None:
            item.add_marker(pytest.mark.skip(reason=reason))


def cluster_options(request: pytest.FixtureRequest) -> ClusterOptions:
    """A scenario's cluster options, starting from the run's version, edition and bundle."""
    config = request.config
    return ClusterOptions(
        deckhouse_version=config.getoption("--dkp-deckhouse-version"),
        edition=config.getoption("--dkp-edition"),
        bundle=config.getoption("--dkp-bundle"),
    )
