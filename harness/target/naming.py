"""Per-scenario names on a shared cluster: the scenario says ``module-one``, the cluster sees more.

Everything DKP keeps is cluster-wide (ModuleSource, Module, ModuleConfig, ModuleRelease, ...),
so two scenarios, two runs or a run and the cluster's own modules would meet on a shared cluster
if they used the names the feature files use. On such a target every name a scenario introduces
gets the scenario's token appended: ``module-one`` becomes ``module-one-<token>``, the
repository ``deckhouse/modules`` becomes ``dkp-harness/<token>/deckhouse/modules``. A release name
(``<module>-v<version>``) is not given a token of its own but maps through its module's name.
The token is ``<run id><3 characters>`` (lowercase letters and digits, starting with a letter), so all of
one run's leftovers can be found by the run id.

DKP derives names from names (a release of ``module-one`` is ``module-one-v0.7.24``), so the
translation is textual: :meth:`Naming.out` replaces every known name, as a whole word, in any
text the scenario wrote (a YAML docstring, an expected message, a kubectl command). Longer names
are replaced first, so ``module-one-v0.7.24`` maps through ``module-one``. The identity
:class:`Naming` (``token=None``) is what the simulator uses: a scenario owns its whole cluster.
"""

from __future__ import annotations

import re
import secrets
import string

__all__ = ["KEEP", "REPO_ROOT", "Naming", "new_run_id", "new_token"]

REPO_ROOT = "dkp-harness"
KEEP = frozenset({"deckhouse", "default", "d8-system", "kube-system"})
"""Names that are the cluster's own and never renamed (the deckhouse ModuleConfig, namespaces)."""

_ALPHABET = string.ascii_lowercase + string.digits


def _camel(name: str) -> str:
    head, *rest = name.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


_RELEASE = re.compile(r"^.+-v\d+\.\d+\.\d+.*$")


def new_run_id() -> str:
    """Five characters, a letter first: names stay valid Kubernetes names and DKP module names."""
    return secrets.choice(string.ascii_lowercase) + "".join(secrets.choice(_ALPHABET) for _ in range(4))


def new_token(run_id: str) -> str:
    """The run id and three more characters: unique per scenario, grouped per run."""
    return run_id + "".join(secrets.choice(_ALPHABET) for _ in range(3))


class Naming:
    """Maps the names a scenario writes to the names the cluster sees (identity without a token)."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token
        self._names: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None

    @property
    def active(self) -> bool:
        return self.token is not None

    def name(self, name: str) -> str:
        """The cluster name of an object the scenario names (registering it when it is new)."""
        if self.token is None or not name or name in KEEP:
            return name
        if name in self._names:
            return self._names[name]
        if _RELEASE.match(name) and self.out(name) != name:
            return self.out(name)  # a release: DKP names it after its module, which carries the token
        return self._add(name, f"{name}-{self.token}")

    def repo(self, repo: str) -> str:
        """The registry repository (path below the registry address) of a scenario's repository."""
        repo = repo.strip("/")
        if self.token is None:
            return repo
        return self._names.get(repo) or self._add(repo, f"{REPO_ROOT}/{self.token}/{repo}")

    def out(self, text: str) -> str:
        """``text`` with every known scenario name replaced by its cluster name."""
        if self.token is None or self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._names[m.group(0)], text)

    def owns(self, cluster_name: str) -> bool:
        """Whether a cluster object's name carries this scenario's token."""
        return self.token is not None and re.search(rf"-{self.token}(?![a-z0-9])", cluster_name) is not None

    @property
    def mapping(self) -> dict[str, str]:
        return dict(self._names)

    def _add(self, name: str, mapped: str) -> str:
        self._names[name] = mapped
        if "-" in name and "/" not in name:
            # DKP keys a module's values by the camelCase of its name (module-one → moduleOne).
            self._names[_camel(name)] = _camel(mapped)
        words = sorted(self._names, key=len, reverse=True)
        alternatives = "|".join(re.escape(w) for w in words)
        self._pattern = re.compile(rf"(?<![A-Za-z0-9_.-])(?:{alternatives})(?![A-Za-z0-9_])")
        return mapped
