"""A self-signed loopback certificate, so kubectl sends the bearer token.

client-go only attaches credentials to TLS connections: over plain ``http://`` kubectl sends no
``Authorization`` header at all (kubernetes/kubectl#744), so a token-protected server must speak
TLS to be usable from kubectl. The certificate (EC P-256, ``IP:127.0.0.1``) is made once per
process with the ``openssl`` command and reused by every server.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import ssl
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LoopbackCert", "loopback_cert"]


@dataclass(frozen=True)
class LoopbackCert:
    cert_file: Path
    key_file: Path

    @property
    def cert_pem(self) -> bytes:
        return self.cert_file.read_bytes()

    def server_context(self) -> ssl.SSLContext:
        """One context per certificate for every server of the process (loading it cost ~3 ms each)."""
        return _server_context(self.cert_file, self.key_file)


@functools.cache
def _server_context(cert_file: Path, key_file: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


_lock = threading.Lock()
_cert: LoopbackCert | None = None


def loopback_cert() -> LoopbackCert:
    """The process-wide certificate; raises ``RuntimeError`` naming the fix when openssl is missing."""
    global _cert
    with _lock:
        if _cert is None:
            openssl = shutil.which("openssl")
            if openssl is None:
                raise RuntimeError("serving TLS needs the openssl command: apt-get install openssl")
            folder = Path(tempfile.mkdtemp(prefix="dkp-harness-tls-"))
            atexit.register(shutil.rmtree, folder, True)
            cert, key = folder / "tls.crt", folder / "tls.key"
            args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            args += ["-days", "3650", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
            args += ["-keyout", str(key), "-out", str(cert)]
            subprocess.run([openssl, *args], check=True, capture_output=True, timeout=30)
            _cert = LoopbackCert(cert, key)
        return _cert
