"""The ``--deckhouse-version``, ``--edition`` and ``--bundle`` options shared by ``serve`` and ``run``.

A value the harness cannot read fails at parse time with argparse's usage line and the accepted
forms (``latest`` included), before anything starts.
"""

from __future__ import annotations

import argparse
import sys

from harness import eras

__all__ = ["add_platform_arguments", "bundle", "deckhouse_version", "edition"]


def deckhouse_version(text: str) -> str:
    """``v1.67.0``, ``1.75`` or ``latest`` → the canonical ``vMAJOR.MINOR.PATCH`` it means.

    A version newer than any whose behaviour the simulator knows runs as the newest it knows, an
    older one as the page's era; the report says so, and so does the terminal at once (``v9.9``
    or ``v1.1.0`` is more likely a typo than a plan).
    """
    try:
        version = eras.chosen_version(text)
    except eras.VersionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if version > eras.LATEST:
        print(
            f"warning: --deckhouse-version {version} is newer than any version whose behaviour the"
            f" simulator knows; the simulated Deckhouse behaves as {eras.LATEST} (docs/dkp-eras.md)",
            file=sys.stderr,
        )
    elif version < eras.DEFAULT_VERSION:
        print(
            f"warning: --deckhouse-version {version} is older than the documentation page's era"
            f" ({eras.DEFAULT_VERSION}), the oldest whose behaviour the simulator knows; the simulated"
            f" Deckhouse behaves as {eras.DEFAULT_VERSION} (docs/dkp-eras.md)",
            file=sys.stderr,
        )
    return str(version)


def edition(text: str) -> str:
    try:
        return eras.parse_edition(text)
    except eras.VersionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def bundle(text: str) -> str:
    try:
        return eras.parse_bundle(text)
    except eras.VersionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_platform_arguments(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    """Add the three options; with ``defaults`` False they stay None ("whatever the suite uses")."""
    parser.add_argument(
        "--deckhouse-version",
        type=deckhouse_version,
        default=str(eras.DEFAULT_VERSION) if defaults else None,
        metavar="VERSION",
        help=(
            f"Deckhouse version the cluster runs: vMAJOR.MINOR[.PATCH] or 'latest' ({eras.LATEST}); "
            f"behaviour follows it (default {eras.DEFAULT_VERSION}, the documentation page's era)"
        ),
    )
    parser.add_argument(
        "--edition",
        type=edition,
        default="ee" if defaults else None,
        help=f"Deckhouse edition for module accessibility: {', '.join(eras.EDITIONS)} (default ee)",
    )
    parser.add_argument(
        "--bundle",
        type=bundle,
        default=eras.DEFAULT_BUNDLE if defaults else None,
        help=f"module bundle for enabledInBundles: {', '.join(eras.BUNDLES)} (default {eras.DEFAULT_BUNDLE})",
    )
