"""What every test process needs before any test runs."""

from __future__ import annotations

# pytester's in-process runs (the authoring and eras tests run whole scenario suites that way)
# forget every module first imported during the run. httpx imports httpcore only when its first
# client is built, and keeps the exception classes of the httpcore it met then. When that first
# client was built inside such a run, the process's later httpcore is another module: its errors
# escape httpx's mapping as raw httpcore errors, and registry tests running after it in the same
# worker fail with "Connection refused" where they expect ``httpx.TransportError``. Importing
# httpcore here, before any run, keeps one httpcore for the whole process.
import httpcore  # noqa: F401
