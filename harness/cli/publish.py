"""``dkp-harness publish``: push a module version (or a whole spec) in DKP's registry layout.

Every argument is checked before anything is pushed (:mod:`harness.cli._checks`); registry
credentials come from ``$DKP_HARNESS_REGISTRY_AUTH`` or ``--auth-file``, never from argv.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from harness.cli._checks import given_path

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="publish module images in DKP's registry layout",
        description="Push one module version (or a whole --spec) in the layout a ModuleSource reads: "
        "R:<module>, R/<module>:<version>, R/<module>/release:<version> and "
        "R/<module>/release:<channel>. Prints each pushed reference with its digest. "
        "The layout and the spec format: docs/registry.md.",
    )
    parser.add_argument(
        "--registry",
        required=True,
        metavar="HOST:PORT",
        help="registry address (the sandbox's is $REGISTRY in DIR/env)",
    )
    parser.add_argument("--repo", default=None, help="repository R (default deckhouse/modules)")
    parser.add_argument("--module", metavar="NAME", help="module name (a tag of R)")
    parser.add_argument("--version", metavar="vX.Y.Z", help="module version")
    parser.add_argument(
        "--channel",
        action="append",
        default=[],
        metavar="C",
        help="release channel to point at it (repeatable)",
    )
    parser.add_argument("--weight", type=int, help="module weight in module.yaml")
    parser.add_argument("--requires-deckhouse", metavar="C", help="requirements.deckhouse constraint")
    parser.add_argument("--requires-kubernetes", metavar="C", help="requirements.kubernetes constraint")
    parser.add_argument("--hook-error", metavar="MSG", help="add hooks/failing-hook.py failing with MSG")
    parser.add_argument(
        "--accessibility",
        metavar="YAML",
        help="module.yaml accessibility.editions as a YAML mapping, "
        "e.g. '{ee: {available: true, enabledInBundles: [Default]}}' (Deckhouse v1.75+)",
    )
    parser.add_argument(
        "--auth-file",
        type=given_path,
        metavar="FILE",
        help="a file holding USER:PASSWORD (or set $DKP_HARNESS_REGISTRY_AUTH)",
    )
    parser.add_argument("--auth", help=argparse.SUPPRESS)  # refused: argv is visible in `ps`
    parser.add_argument(
        "--scheme", choices=("http", "https"), default="http", help="how to reach the registry (default http)"
    )
    parser.add_argument("--docker-media-types", action="store_true", help="push Docker v2 instead of OCI")
    parser.add_argument("--spec", metavar="FILE", help="publish a declarative YAML spec instead")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from harness.cli._checks import USAGE_ERROR, UsageError, credentials
    from harness.registry.errors import RegistryError
    from harness.registry.mediatypes import Flavor
    from harness.registry.publisher import Publisher
    from harness.registry.spec import SpecError, repo_of

    try:
        _check(args)
        auth = credentials(args.auth_file)
    except UsageError as exc:
        print(f"dkp-harness publish: {exc}", file=sys.stderr)
        return USAGE_ERROR
    try:
        repo = args.repo or (repo_of(args.spec) if args.spec else None) or "deckhouse/modules"
        flavor = Flavor.DOCKER if args.docker_media_types else Flavor.OCI
        with Publisher(args.registry, repo, auth=auth, scheme=args.scheme, flavor=flavor) as publisher:
            digests = publisher.apply_spec(args.spec) if args.spec else _publish_one(publisher, args)
    except (ValueError, SpecError, RegistryError) as exc:
        print(f"dkp-harness publish: {exc}{_hint(str(exc), args.registry)}", file=sys.stderr)
        return 1
    for reference, digest in digests.items():
        print(f"{args.registry}/{repo}{'' if reference.startswith(':') else '/'}{reference} {digest}")
    return 0


def _hint(error: str, registry: str) -> str:
    """The registry's own error stays first; a refused connection also says what to start."""
    if "connection refused" not in error.lower():
        return ""
    return (
        f"\n  nothing listens at {registry}: start a registry (`dkp-harness serve --state-dir DIR` "
        "or `dkp-harness registry`) and pass the address it prints (REGISTRY in DIR/env)"
    )


def _check(args: argparse.Namespace) -> None:
    """Every argument, before any work; raises ``UsageError`` saying what is wrong and how to fix it."""
    from harness.cli import _checks

    _checks.refuse_argv_secret(args.auth)
    args.registry = _checks.registry_address(args.registry)
    if args.spec and (args.module or args.version):
        raise _checks.UsageError("give either --spec FILE or --module NAME --version vX.Y.Z, not both")
    if not args.spec and not (args.module and args.version):
        raise _checks.UsageError("missing --module NAME and --version vX.Y.Z (or use --spec FILE)")
    if args.spec and Path(args.spec).is_dir():
        raise _checks.UsageError(f"--spec {args.spec} is a directory; give the path of a publish spec YAML")
    if args.spec and not Path(args.spec).is_file():
        raise _checks.UsageError(f"--spec {args.spec}: no such file; give the path of a publish spec YAML")
    if args.module:
        _checks.module_name(args.module)
        _checks.semver(args.version)
    for name in args.channel:
        _checks.channel(name)
    if args.weight is not None and not 0 <= args.weight <= 9999:
        raise _checks.UsageError(f"--weight {args.weight} is out of range: use 0..9999, e.g. --weight 900")
    if args.repo is not None and not args.repo.strip("/"):
        raise _checks.UsageError("--repo is empty: give a repository path, e.g. --repo deckhouse/modules")
    if args.repo is not None:
        _checks.repository(args.repo)


def _publish_one(publisher: Any, args: argparse.Namespace) -> dict[str, str]:
    requirements = {
        key: value
        for key, value in (("deckhouse", args.requires_deckhouse), ("kubernetes", args.requires_kubernetes))
        if value
    }
    result: dict[str, str] = publisher.publish(
        args.module,
        args.version,
        channels=args.channel,
        weight=args.weight,
        requirements=requirements or None,
        hook_error=args.hook_error,
        accessibility=_accessibility(args.accessibility),
    )
    return result


def _accessibility(text: str | None) -> Any:
    """The ``--accessibility`` mapping; bad YAML is a ValueError naming the option."""
    if text is None:
        return None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"--accessibility is not valid YAML: {exc}") from None
