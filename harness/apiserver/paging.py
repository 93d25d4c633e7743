"""``continue`` tokens of paged lists, and the answer to one whose snapshot is gone.

A token names the resourceVersion of the list's first page and where the next page starts. When
commits after that version are no longer kept, kube-apiserver's etcd3 store does not simply refuse:
it answers ``410 Expired`` with the message below and a new token whose resourceVersion is -1,
"continue at the latest", in the Status's ``metadata.continue``, so a client may finish the list
inconsistently instead of starting over (``handleCompactedErrorForPaging`` and ``interpretListError``
in ``k8s.io/apiserver/pkg/storage/etcd3/errors.go``; ``ValidateListOptions`` in
``k8s.io/apiserver/pkg/storage`` reads -1 as "no snapshot").
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from harness.apiserver.watch import Expired

__all__ = ["LATEST", "ExpiredContinue", "decode_continue", "encode_continue", "expired_continue"]

LATEST = -1
"""A token's resourceVersion that continues at the latest state, not at a snapshot."""

INCONSISTENT_CONTINUE = (
    "The provided continue parameter is too old to display a consistent list result. You can start a "
    "new list without the continue parameter, or use the continue token in this response to retrieve "
    "the remainder of the results. Continuing with the provided token results in an inconsistent list "
    "- objects that were created, modified, or deleted between the time the first chunk was returned "
    "and now may show up in the list."
)


@dataclass
class ExpiredContinue(Expired):
    """410 for a continuation whose snapshot left the history, carrying the token to go on with."""

    token: str = ""

    def to_status(self) -> dict[str, Any]:
        status = super().to_status()
        status["metadata"] = {"continue": self.token}
        return status


def encode_continue(rv: int, start: tuple[str, str]) -> str:
    """The token of a page that ended at ``start`` (namespace, name) of the list at ``rv``."""
    raw = json.dumps({"rv": rv, "start": list(start)}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_continue(token: str) -> tuple[int, tuple[str, str]]:
    """``(rv, start)`` of a token; ``ValueError`` (or ``KeyError``/``IndexError``/``TypeError``)
    when it is not one of ours."""
    data = json.loads(base64.urlsafe_b64decode(token.encode()))
    return int(data["rv"]), (str(data["start"][0]), str(data["start"][1]))


def expired_continue(start: tuple[str, str]) -> ExpiredContinue:
    """The 410 for a token whose snapshot is gone: the same start, at the latest state."""
    return ExpiredContinue(INCONSISTENT_CONTINUE, token=encode_continue(LATEST, start))
