"""Command-line values checked before any work, each failure saying what is wrong and how to fix it.

Every function raises :class:`UsageError` with a message naming the option, the value given and
an example of a good one; commands print it as ``dkp-harness <cmd>: <message>`` and exit
:data:`USAGE_ERROR` (4), the code of every refused command line (argparse's own refusals
included, see :class:`harness.cli._parser.Parser`).
Credentials never come from argv, where every user on the machine can read them with ``ps``:
:func:`credentials` takes them from an environment variable or a file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from harness.registry.credentials import Credentials

__all__ = [
    "AUTH_ENV",
    "USAGE_ERROR",
    "UsageError",
    "channel",
    "credentials",
    "forward_duration",
    "given_path",
    "module_name",
    "registry_address",
    "semver",
    "usable_directory",
]

AUTH_ENV = "DKP_HARNESS_REGISTRY_AUTH"
USAGE_ERROR = 4
"""The exit code of a refused command line in every command, as the README's table says (pytest's
own code for bad arguments, which ``dkp-harness run`` passes on)."""
_MODULE = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_SEMVER = re.compile(r"v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?")
_HOST = re.compile(r"(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?)")
_CHANNEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


class UsageError(ValueError):
    """A bad command-line value; the message says what is wrong and how to fix it."""


def registry_address(text: str, option: str = "--registry") -> str:
    """``HOST:PORT`` (or a bare host), without a scheme or a path."""
    value = text.strip()
    example = f"e.g. {option} 127.0.0.1:5000"
    if not value:
        raise UsageError(f"{option} is empty: give the registry's HOST:PORT, {example}")
    if "://" in value:
        scheme = value.split("://", 1)[0]
        raise UsageError(
            f"{option} {text!r} has a scheme ({scheme}://): give HOST:PORT only, {example}"
            " (use --scheme https for TLS)"
        )
    if "/" in value or "@" in value:
        raise UsageError(f"{option} {text!r} must be HOST:PORT without a path or user, {example}")
    host, colon, port = value.rpartition(":") if not value.endswith("]") else (value, "", "")
    if not colon:
        host, port = value, ""
    if not _HOST.fullmatch(host):
        raise UsageError(f"{option} {text!r}: {host!r} is not a host name or IP address, {example}")
    # ASCII digits only: str.isdigit() also accepts "²" and "٣", which int() refuses or misreads.
    if colon and not (re.fullmatch(r"[0-9]{1,5}", port) and 0 < int(port) < 65536):
        raise UsageError(f"{option} {text!r}: the port must be a number from 1 to 65535, {example}")
    return value


def module_name(text: str, option: str = "--module") -> str:
    """A DKP module name: lowercase letters, digits and ``-`` (it becomes a ModuleConfig name)."""
    if not _MODULE.fullmatch(text) or len(text) > 63:
        suggestion = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "module-one"
        raise UsageError(
            f"{option} {text!r} is not a valid module name: use lowercase letters, digits and '-',"
            f" starting and ending with a letter or digit, at most 63 characters (e.g. {suggestion!r})"
        )
    return text


def repository(text: str, option: str = "--repo") -> str:
    """A repository path the registry takes as written (``UPPER/../x`` was pushed to ``x`` and
    printed as ``UPPER/../x``)."""
    from harness.registry.layout import check_repository

    try:
        check_repository(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
    return text


def semver(text: str, option: str = "--version") -> str:
    if not _SEMVER.fullmatch(text):
        raise UsageError(f"{option} {text!r} is not a version: use vMAJOR.MINOR.PATCH (semver), e.g. v1.2.3")
    return text


def channel(text: str, option: str = "--channel") -> str:
    if not _CHANNEL.fullmatch(text):
        raise UsageError(
            f"{option} {text!r} is not a release channel tag: use lowercase, e.g. alpha, beta,"
            " early-access, stable, rock-solid"
        )
    return text


def forward_duration(text: str, now: datetime | None = None) -> timedelta:
    """A non-negative Go-style duration that keeps the clock inside the calendar (year 9999)."""
    from datetime import UTC, datetime

    from harness.clock import parse_duration

    value = text.strip()
    if value.startswith("-"):
        raise UsageError(
            f"cannot advance by {text!r}: virtual time only moves forward; give a positive duration, e.g. 5m"
        )
    try:
        delta = parse_duration(value)
        (now or datetime.now(UTC)) + delta
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except OverflowError:
        raise UsageError(
            f"cannot advance by {text!r}: that is past the year 9999; give a shorter duration, e.g. 365d"
        ) from None
    return delta


def credentials(auth_file: Path | None, *, env: str = AUTH_ENV) -> Credentials | None:
    """``USER:PASSWORD`` from ``auth_file`` (first line) or the ``env`` variable; ``None`` when neither."""
    from harness.registry.credentials import Credentials

    if auth_file is not None:
        try:
            text = auth_file.read_text().splitlines()[0] if auth_file.read_text().strip() else ""
        except OSError as exc:
            raise UsageError(f"--auth-file {auth_file}: cannot read it ({exc.strerror})") from None
        source = f"--auth-file {auth_file}"
    elif os.environ.get(env):
        text, source = os.environ[env], f"${env}"
    else:
        return None
    try:
        return Credentials.parse(text.strip())
    except ValueError:
        raise UsageError(f"{source} must hold USER:PASSWORD (e.g. alice:s3cret)") from None


def refuse_argv_secret(given: str | None) -> None:
    """``--auth USER:PASS`` is refused: argv is readable by every user through ``ps``."""
    if given is not None:
        raise UsageError(
            "--auth takes no password on the command line (every user can read it with `ps`): "
            f"put USER:PASSWORD in the {AUTH_ENV} environment variable or in a file given with --auth-file"
        )


_RELEASE_CHANNELS = ("Alpha", "Beta", "EarlyAccess", "Stable", "RockSolid")
_KUBE_VERSION = re.compile(r"v?\d+\.\d+(\.\d+)?")


def release_channel(text: str, option: str = "--release-channel") -> str:
    """One of the channel names ModuleConfig ``deckhouse`` accepts in ``settings.releaseChannel``."""
    if text not in _RELEASE_CHANNELS:
        raise UsageError(
            f"{option} {text!r} is not a release channel: use one of {', '.join(_RELEASE_CHANNELS)}"
        )
    return text


def kubernetes_version(text: str, option: str = "--kubernetes-version") -> str:
    if not _KUBE_VERSION.fullmatch(text):
        raise UsageError(
            f"{option} {text!r} is not a Kubernetes version: use MAJOR.MINOR[.PATCH], e.g. 1.30.0"
        )
    return text


def given_path(text: str) -> Path:
    """A path option's value, refused when empty: ``Path("")`` is ``.``, so ``--report-dir
    "$REPORTS"`` with the variable unset wrote the four reports into the current directory, over
    any files of those names there, and said nothing."""
    if not text.strip():
        import argparse

        raise argparse.ArgumentTypeError(
            "the path is empty (an unset shell variable?): give a file or directory, e.g. reports"
        )
    return Path(text)


def usable_directory(directory: Path) -> str | None:
    """Why files cannot be written into ``directory``, or None once they can (created when missing).

    The reason reads after the directory's name: ``is not a directory``, ``lies under F, which is
    not a directory``, ``cannot be created (…)``, ``is not writable``. Commands check an output
    directory before any work, so a mistyped path costs a one-line error, not the work and a
    traceback at the end.
    """
    try:
        existing = next(p for p in (directory, *directory.parents) if p.exists() or p.is_symlink())
        if not existing.is_dir():
            return (
                "is not a directory"
                if existing == directory
                else f"lies under {existing}, which is not a directory"
            )
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot be created ({exc.strerror})"
    if not os.access(directory, os.W_OK | os.X_OK):
        return "is not writable"
    return None
