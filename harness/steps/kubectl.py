"""Running the real kubectl against the scenario's cluster (simulated or real).

Where a claim is about what ``kubectl`` prints, the step runs the real binary, so column names,
alignment and jsonpath come from kubectl itself rather than from our idea of it. Each run uses the
cluster's kubeconfig and the scenario's own ``--cache-dir``: kubectl caches discovery, and a cache
shared between clusters would describe another cluster's API.

The ``kubectl`` on PATH here is often Google's dispatcher, which first probes ``/version`` and
then runs a versioned binary from its own folder; when that folder has ``kubectl.1.32`` (the
version the fake API server reports) it is run directly, which saves the probe on every call.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from harness.steps.errors import ScenarioError

__all__ = [
    "ERROR_LINES",
    "GO_DEFAULTS",
    "KUBECTL_TIMEOUT",
    "Kubectl",
    "KubectlFailed",
    "KubectlMissing",
    "KubectlResult",
    "find_kubectl",
    "positional_words",
    "subcommand",
]

GO_DEFAULTS = {"GOGC": "400"}
"""kubectl is a Go program that lives ~0.1 s; a lazier garbage collector saves a fifth of its CPU
(0.107 → 0.085 s for `kubectl get mr`, measured) and changes nothing it prints. The environment's
own ``GOGC`` wins."""

KUBECTL_TIMEOUT = 30.0
"""Seconds a single kubectl call may take before it is killed (it normally takes ~0.2 s)."""


ERROR_LINES = 6
"""At most this many lines of kubectl's error text go into a step's failure message."""


_FLAGS_WITH_VALUE = frozenset(
    {"-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-s", "--server"}
    | {"-o", "--output", "-l", "--selector", "--sort-by", "-L"}
)
"""kubectl's flags (global ones, and those of ``get`` that scenarios use) that take the next word
as their value when it is not joined with ``=``."""

_NOT_A_COMMAND = "flags cannot be placed before plugin name"
"""What kubectl says of an unknown subcommand when flags come first (this module always puts
``--kubeconfig`` first): it takes the word for a plugin's name."""


class KubectlMissing(RuntimeError):
    """No kubectl binary; the scenario is skipped with this message."""


class KubectlFailed(RuntimeError):
    """A kubectl command the scenario runs to change the cluster failed: the step did not happen.

    Not an assertion: nothing was compared yet, and every later step would check a cluster the
    scenario did not mean (an approval that never happened), so the report shows the scenario as
    "could not check", with kubectl's own error, at the step that ran the command.
    """


@dataclass(frozen=True)
class KubectlResult:
    """What one kubectl call did; ``command`` is as the scenario wrote it (no kubeconfig path)."""

    command: str
    stdout: str
    stderr: str
    returncode: int

    @property
    def output(self) -> str:
        return self.stdout if self.returncode == 0 else self.stdout + self.stderr

    @property
    def error_text(self) -> str:
        """kubectl's error: from its last ``error:`` line on (a hint may follow), else its last lines.

        The last line alone is not enough: for an unknown command it is one of the suggestions
        below ``Error: unknown command "ls" for "kubectl"``. Lines after the first are indented,
        to read as the continuation of a failure message.
        """
        if _NOT_A_COMMAND in self.stderr:
            return (
                f'unknown command "{subcommand(self.command)}" for "kubectl": the step runs kubectl, '
                "so write a kubectl command, e.g. `kubectl get mr`"
            )
        lines = [line.strip() for line in self.stderr.splitlines() if line.strip()]
        starts = [index for index, line in enumerate(lines) if line.lower().startswith("error")]
        shown = lines[starts[-1] :] if starts else lines[-3:]
        return "\n  ".join(shown[:ERROR_LINES]) or "(no error text)"

    def failure(self) -> str:
        """One sentence for a failure message: the command, its exit code and its error."""
        return f"`{self.command}` failed (exit {self.returncode}): {self.error_text}"


def split_command(command: str) -> list[str]:
    """The words of a kubectl command as a shell splits them; a quote left open is the scenario's
    mistake, said as such (``shlex``'s bare "No closing quotation" named neither the command nor
    the fix)."""
    try:
        return shlex.split(command)
    except ValueError as exc:
        raise ScenarioError(
            f"the command `{command}` cannot be split into words as a shell would ({exc}): close every "
            "quote it opens, e.g. `kubectl get mr -o jsonpath='{.items[*].metadata.name}'`"
        ) from None


def positional_words(command: str) -> list[str]:
    """The words of ``command`` that are neither flags nor a flag's value, ``kubectl`` left out:
    the subcommand first, then its arguments (``get``, ``mr``, ``name``)."""
    words = split_command(command)
    found: list[str] = []
    skip_value = False
    for word in words[1:] if words[:1] == ["kubectl"] else words:
        if skip_value:
            skip_value = False
        elif word in _FLAGS_WITH_VALUE:
            skip_value = True
        elif not word.startswith("-"):
            found.append(word)
    return found


def subcommand(command: str) -> str:
    """kubectl's subcommand in ``command``: its first positional word ("" when it has none)."""
    words = positional_words(command)
    return words[0] if words else ""


def find_kubectl() -> str:
    """The kubectl binary to run; raises :class:`KubectlMissing` with how to install one."""
    found = shutil.which("kubectl")
    if found is None:
        raise KubectlMissing(
            "kubectl not found on PATH: install kubectl 1.27+ (apt-get install kubectl) to run this scenario"
        )
    pinned = Path(os.path.realpath(found)).parent / "kubectl.1.32"
    return str(pinned) if pinned.is_file() and os.access(pinned, os.X_OK) else found


@dataclass
class Kubectl:
    """kubectl bound to one cluster: its kubeconfig and a private discovery cache."""

    binary: str
    kubeconfig: Path
    cache_dir: Path
    context: str | None = None
    """The kubeconfig context to use (``--context``); ``None`` uses the file's current context."""

    def run(self, command: str) -> KubectlResult:
        """Run ``command`` (``"kubectl get mr"`` or ``"get mr"``) and capture its output."""
        args = split_command(command)
        if args and args[0] == "kubectl":
            args = args[1:]
        if not args:
            raise ValueError("empty kubectl command: write e.g. `kubectl get mr`")
        argv = [self.binary, f"--kubeconfig={self.kubeconfig}", f"--cache-dir={self.cache_dir}"]
        if self.context:
            argv.append(f"--context={self.context}")
        argv += args
        env = {**GO_DEFAULTS, **os.environ, "KUBECONFIG": str(self.kubeconfig), "HOME": str(self.cache_dir)}
        shown = command.strip() if command.strip().startswith("kubectl") else f"kubectl {command.strip()}"
        try:
            done = subprocess.run(  # no stdin: `exec -ti` must not take over the terminal pytest runs in
                argv,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=KUBECTL_TIMEOUT,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise KubectlFailed(_endless(shown)) from None
        return KubectlResult(shown, done.stdout, done.stderr, done.returncode)


def _endless(command: str) -> str:
    """What a kubectl call that did not end says: the usual cause is a command made to go on."""
    words = shlex.split(command)
    streams = [
        w
        for w in words
        if w in ("-w", "--watch", "--watch-only", "-f", "--follow") or w.startswith("--watch=")
    ]
    why = (
        f"{' '.join(streams)} makes kubectl go on until it is stopped: drop it, and to wait for a state "
        'use `kubectl wait --for=...` or a step such as `Then the Module "NAME" is in phase "Ready"`'
        if streams
        else "it waited for something that did not come (a `wait` condition, a pod that never runs)"
    )
    return f"`{command}` did not end within {KUBECTL_TIMEOUT:.0f} s and was stopped: {why}"
