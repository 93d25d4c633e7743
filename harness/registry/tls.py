"""The TLS contexts of the registry clients: one per trust store, shared, and one that checks nothing.

Building a context is not free: loading the system trust store costs ~17 ms, and even the bare
context httpx makes for ``verify=False`` ~0.2 ms, while the source controller builds a client on
every scan and the simulator a publisher per scenario. Nothing changes a context once it is built,
so every client shares the one for its trust store.
"""

from __future__ import annotations

import functools
import ssl

from harness.registry.errors import RegistryError

__all__ = ["trusted", "unverified"]


@functools.lru_cache(maxsize=32)
def trusted(ca: str = "") -> ssl.SSLContext:
    """System trust plus the ModuleSource's ``ca`` PEM (DKP appends it to the system pool).

    One context per distinct ``ca``; a bad PEM raises every time (exceptions are not cached).
    """
    context = ssl.create_default_context()
    if ca.strip():
        try:
            context.load_verify_locations(cadata=ca)
        except ssl.SSLError as exc:
            raise RegistryError(f"the registry ca is not a valid PEM certificate: {exc.reason}") from None
    return context


@functools.cache
def unverified() -> ssl.SSLContext:
    """The context httpx builds for ``verify=False``: no certificate or host name check.

    A plain-HTTP client never shakes hands with it; a client told not to verify HTTPS accepts any
    certificate, as ``verify=False`` would.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
