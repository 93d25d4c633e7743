"""The options that choose a target, for ``dkp-harness run`` and for pytest.

``dkp-harness run --kubeconfig PATH ...`` forwards its target options to pytest as
``--dkp-kubeconfig PATH ...``, so CI that calls pytest directly uses the same options. Registry
credentials never travel on a command line (it shows in ``ps`` and in CI logs): ``--registry-auth``
names where to read ``USER:PASSWORD`` from, ``env:VARIABLE`` or ``file:PATH``.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.registry.credentials import Credentials

__all__ = [
    "TargetOptions",
    "TargetOptionsError",
    "add_target_arguments",
    "forward_target_arguments",
    "read_auth",
]

# (CLI flag, pytest flag, attribute, help)
_OPTIONS = (
    ("--kubeconfig", "--dkp-kubeconfig", "kubeconfig", "run against the cluster this kubeconfig reaches"),
    ("--context", "--dkp-context", "context", "kubeconfig context to use (default: its current context)"),
    ("--registry", "--dkp-registry", "registry", "HOST[:PORT][/PATH] the harness pushes modules to"),
    (
        "--registry-auth",
        "--dkp-registry-auth",
        "registry_auth",
        "where to read the registry's USER:PASSWORD: env:VARIABLE or file:PATH (never the value itself)",
    ),
    ("--registry-scheme", "--dkp-registry-scheme", "registry_scheme", "http or https (default https)"),
    (
        "--cluster-registry",
        "--dkp-cluster-registry",
        "cluster_registry",
        "HOST[:PORT][/PATH] the cluster pulls from, when it differs from --registry",
    ),
    ("--run-id", "--dkp-run-id", "run_id", "five-character id in every name the run makes (default: random)"),
)


class TargetOptionsError(ValueError):
    """The target options do not fit together; the message says what to change."""


@dataclass(frozen=True)
class TargetOptions:
    kubeconfig: Path | None = None
    context: str | None = None
    registry: str | None = None
    registry_auth: str | None = None
    registry_scheme: str | None = None
    cluster_registry: str | None = None
    run_id: str | None = None

    @classmethod
    def from_namespace(cls, values: Any, pytest_names: bool = False) -> TargetOptions:
        def get(attr: str) -> Any:
            return getattr(values, f"dkp_{attr}" if pytest_names else attr, None)

        kubeconfig = get("kubeconfig")
        return cls(
            kubeconfig=Path(kubeconfig).expanduser() if kubeconfig else None,
            context=get("context"),
            registry=get("registry"),
            registry_auth=get("registry_auth"),
            registry_scheme=get("registry_scheme"),
            cluster_registry=get("cluster_registry"),
            run_id=get("run_id"),
        )

    def validate(self) -> None:
        others = [flag for flag, _, attr, _ in _OPTIONS[1:] if getattr(self, attr)]
        if self.kubeconfig is None:
            # --run-id included: it names what a run makes on a real cluster, and the simulator
            # ignored a malformed one silently while refusing --registry.
            if others:
                listed = others[0] if len(others) == 1 else f"{', '.join(others[:-1])} and {others[-1]}"
                verb = "applies" if len(others) == 1 else "apply"
                raise TargetOptionsError(
                    f"{listed} {verb} only to a real cluster: add --kubeconfig PATH, or leave "
                    f"{'it' if len(others) == 1 else 'them'} out to run on the simulator"
                )
            return
        if not self.registry:
            raise TargetOptionsError(
                "--kubeconfig needs --registry HOST[:PORT][/PATH]: the registry the harness pushes the "
                "scenarios' modules to, which the cluster can pull from"
            )
        for flag, value in (("--registry", self.registry), ("--cluster-registry", self.cluster_registry)):
            _check_registry_reference(flag, value)
        if self.registry_scheme not in (None, "http", "https"):
            raise TargetOptionsError(f"--registry-scheme must be http or https, not {self.registry_scheme!r}")
        if self.run_id is not None and not (
            len(self.run_id) == 5
            and self.run_id.isalnum()
            and self.run_id.islower()
            and self.run_id[0].isalpha()
        ):
            raise TargetOptionsError(
                "--run-id must be five lowercase letters or digits, starting with a letter"
            )
        if self.registry_auth:
            read_auth(self.registry_auth)


def _check_registry_reference(flag: str, value: str | None) -> None:
    """``HOST[:PORT][/PATH]``: a URL's scheme or user would be pasted into every reference.

    ``--registry http://127.0.0.1:5000`` was taken as written, and each scenario then failed at
    its first push with ``Post "https://http:/v2/127.0.0.1:5000/…": lookup http: no such host``.
    """
    if not value or "://" not in value:
        if value and "@" in value.split("/", 1)[0]:
            raise TargetOptionsError(
                f"{flag} carries a user (USER@HOST): give HOST[:PORT][/PATH] and the credentials "
                "with --registry-auth env:VARIABLE or file:PATH"
            )
        return
    scheme, _, rest = value.partition("://")
    rest = rest.rsplit("@", 1)[-1].rstrip("/")
    fix = f"{flag} {rest}" + (" --registry-scheme http" if scheme.lower() == "http" else "")
    raise TargetOptionsError(
        f"{flag} takes HOST[:PORT][/PATH] without a scheme ({scheme}://), and the scheme apart "
        f"with --registry-scheme (default https): write {fix}"
    )


def read_auth(source: str) -> Credentials:
    """``env:VARIABLE`` or ``file:PATH`` holding ``USER:PASSWORD``; a bare value is refused."""
    kind, sep, where = source.partition(":")
    if kind == "env" and sep:
        value = os.environ.get(where)
        if value is None:
            raise TargetOptionsError(f"--registry-auth env:{where}: the environment variable is not set")
    elif kind == "file" and sep:
        path = Path(where).expanduser()
        if not path.is_file():
            raise TargetOptionsError(f"--registry-auth file:{where}: no such file")
        value = path.read_text().strip()
    else:
        raise TargetOptionsError(
            "--registry-auth takes env:VARIABLE or file:PATH holding USER:PASSWORD; the credentials "
            "themselves never go on the command line (it shows in ps and CI logs)"
        )
    try:
        return Credentials.parse(value.strip())
    except ValueError:
        raise TargetOptionsError(f"--registry-auth {kind}:{where} does not hold USER:PASSWORD") from None


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """The target options of ``dkp-harness run`` (``--kubeconfig`` and its companions)."""
    group = parser.add_argument_group("real cluster (default: the simulator, one cluster per scenario)")
    for flag, _, attr, text in _OPTIONS:
        kwargs: dict[str, Any] = {"dest": attr, "help": text, "default": None}
        if attr == "kubeconfig":
            kwargs["type"] = Path
        if attr == "registry_scheme":
            kwargs["choices"] = ("http", "https")
        group.add_argument(flag, **kwargs)


def forward_target_arguments(args: argparse.Namespace) -> list[str]:
    """The pytest options for what ``add_target_arguments`` parsed (raises on a bad combination)."""
    options = TargetOptions.from_namespace(args)
    options.validate()
    forwarded: list[str] = []
    for _, pytest_flag, attr, _ in _OPTIONS:
        value = getattr(options, attr)
        if value:
            forwarded.append(f"{pytest_flag}={value}")
    return forwarded


def add_pytest_options(parser: Any) -> None:
    """The same options for pytest (``--dkp-kubeconfig`` ...), for CI that calls pytest directly."""
    group = parser.getgroup("dkp-target", "DKP conformance: run against a real cluster")
    for _, pytest_flag, attr, text in _OPTIONS:
        group.addoption(pytest_flag, dest=f"dkp_{attr}", default=None, help=text)
