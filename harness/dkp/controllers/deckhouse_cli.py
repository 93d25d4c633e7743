"""``deckhouse-controller`` as run in the Deckhouse container (``kubectl exec``): its module commands.

DKP's page offers ``kubectl -ti -n d8-system exec svc/deckhouse-leader -c deckhouse --
deckhouse-controller module enable <MODULE_NAME>`` as a way to enable a module. Upstream
(``deckhouse-controller/pkg/debug/module_enable.go`` and ``SetModuleConfigEnabledFlag`` in
``go_lib/deckhouse-config/kube_helpers.go``) reads ``ModuleConfig/<name>``; when it exists it sets
``spec.enabled`` and updates it, otherwise it creates one with only ``spec.enabled``. Nothing
checks that a module of that name exists. It prints ``Module <name> enabled`` (``disabled``);
a failure is ``<action> module failed: <step>: <API error>`` (the steps ``get ModuleConfig/<name>``,
``update …``, ``create …``) and exit code 1. The wording of a failure and of a usage error is
the kingpin command line of the page's era (``deckhouse-controller: error: …``).

Only ``module enable|disable NAME`` is simulated; anything else says so (exit code 1), as does a
program other than ``deckhouse-controller`` (:class:`NotSimulated`, which the cluster turns into
the error kubelet reports for a command that cannot start).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from harness.dkp.controllers.enable import ModuleSwitchFailed, set_module_enabled
from harness.kube.client import KubeClient

__all__ = ["PROGRAM", "CommandOutput", "NotSimulated", "run_deckhouse_controller"]

PROGRAM = "deckhouse-controller"
_SIMULATED = f"only `{PROGRAM} module enable NAME` and `{PROGRAM} module disable NAME` are simulated"


class NotSimulated(Exception):
    """The command names a program the simulated container does not run."""


@dataclass(frozen=True)
class CommandOutput:
    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0


def run_deckhouse_controller(client: KubeClient, argv: Sequence[str]) -> CommandOutput:
    """Run ``argv`` (``["deckhouse-controller", "module", "enable", "module-one"]``)."""
    if not argv or posixpath.basename(argv[0]) != PROGRAM:
        program = argv[0] if argv else ""
        raise NotSimulated(
            f"the simulated Deckhouse container runs no {program!r}: {_SIMULATED} (dkp-harness)"
        )
    args = list(argv[1:])
    if args[:1] != ["module"] or args[1:2] not in (["enable"], ["disable"]):
        shown = " ".join([PROGRAM, *args])
        return CommandOutput(stderr=f"{PROGRAM}: error: `{shown}`: {_SIMULATED} (dkp-harness)\n", exit_code=1)
    action = args[1]
    if len(args) < 3:
        return _usage_error("required argument 'module_name' not provided")
    if len(args) > 3:
        return _usage_error(f"unexpected {args[3]}")
    name = args[2]
    try:
        set_module_enabled(client, name, action == "enable", check_name=False)
    except ModuleSwitchFailed as exc:
        return CommandOutput(stderr=f"{PROGRAM}: error: {action} module failed: {exc}\n", exit_code=1)
    return CommandOutput(stdout=f"Module {name} {action}d\n")


def _usage_error(message: str) -> CommandOutput:
    return CommandOutput(stderr=f"{PROGRAM}: error: {message}, try --help\n", exit_code=1)
