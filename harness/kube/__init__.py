"""Kubernetes value types and helpers shared by every layer; no I/O here.

- ``resources``: :class:`Resource`, the identity of a served kind (group, version, plural, kind, scope).
- ``errors``: the API error hierarchy and its conversion to and from ``Status`` objects.
- ``client``: the :class:`KubeClient` protocol controllers and steps are written against.
- ``objects``: small accessors for raw object dictionaries.
"""

from __future__ import annotations
