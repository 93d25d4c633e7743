"""The YAML loader for manifests, CRDs, release metadata and the claims catalogue.

PyYAML's pure-Python parser is slow: libyaml's (``yaml.CSafeLoader``, present when PyYAML was
built with it, as its wheels are) builds the same documents with the same safe constructors
about five times faster. Where libyaml is missing, the pure-Python ``SafeLoader`` is used.
Its error messages are worded differently, so code that shows a YAML error to a user may parse
again with ``yaml.safe_load`` to quote PyYAML's usual words.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["SAFE_LOADER"]

SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""Pass as ``Loader=`` to ``yaml.load``/``yaml.load_all``; ``Any`` because subclasses extend it."""
