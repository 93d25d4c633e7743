"""Before a real-cluster run: does the registry given with ``--registry`` speak the scheme asked?

A registry that speaks plain HTTP, given without ``--registry-scheme http``, made every scenario
fail one by one at its first push (with the hint, but after the whole run). One request before
the run finds it: an HTTPS request answered in plain HTTP is Go's ``http: server gave HTTP
response to HTTPS client``, and the run stops there with the option that fixes it. Anything else
(a registry that wants credentials, a CA this machine does not trust, a registry down) is left to
the run, which words it per scenario as it always did: the probe only answers its one question.
"""

from __future__ import annotations

import httpx

from harness.registry.errors import RegistryError
from harness.registry.transport import PLAIN_HTTP_ANSWER, send

__all__ = ["plain_http_problem"]

_PROBE_SECONDS = 5.0


def plain_http_problem(registry: str, scheme: str) -> str | None:
    """What to say when ``registry`` (``host[:port][/path]``), asked for over HTTPS, speaks plain
    HTTP; None when the scheme is ``http`` or the registry answers in TLS (or not at all)."""
    if scheme != "https":
        return None
    host = registry.split("/", 1)[0]
    # Verification off: the question is whether TLS is spoken at all, not whom this machine trusts.
    with httpx.Client(verify=False, trust_env=False, timeout=_PROBE_SECONDS) as client:
        try:
            send(client, "GET", f"https://{host}/v2/", ok=(200, 401, 403, 404))
        except RegistryError as exc:
            if PLAIN_HTTP_ANSWER in str(exc):
                return (
                    f"the registry {host} speaks plain HTTP ({PLAIN_HTTP_ANSWER}): add --registry-scheme http"
                )
    return None
