"""``dkp-harness module enable|disable NAME --state-dir DIR``.

The sandbox's ``deckhouse-controller module enable|disable <name>``: sets
``spec.enabled`` of ``ModuleConfig/<name>``, creating it when missing and keeping its other
fields, then settles the cluster. A name no Module object carries fails (rc 1) and changes nothing,
with the ``<action> module failed: ...`` wording of ``deckhouse-controller``
(``deckhouse-controller/pkg/debug/module_enable.go``).
"""

from __future__ import annotations

import argparse
import sys

from harness.cli._checks import given_path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "module",
        help="enable or disable a module (deckhouse-controller module enable|disable)",
        description="Set spec.enabled of the module's ModuleConfig in a running sandbox.",
    )
    parser.add_argument("action", choices=("enable", "disable"))
    parser.add_argument("name", help="module name, e.g. module-one")
    parser.add_argument("--state-dir", required=True, type=given_path, help="the state dir given to `serve`")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from harness.cli._checks import USAGE_ERROR, UsageError, module_name
    from harness.cli._control import ControlError, call

    try:
        module_name(args.name, "module name")
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    enabled = args.action == "enable"
    try:
        call(args.state_dir.resolve(), "POST", "/module", {"name": args.name, "enabled": enabled})
    except ControlError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Module {args.name} {'enabled' if enabled else 'disabled'}")
    return 0
