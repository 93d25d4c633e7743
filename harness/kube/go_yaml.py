"""The text a YAML number or boolean becomes in a Go string field, as ``sigs.k8s.io/yaml`` makes it.

Kubernetes' Go code (DKP's controller tests among it) reads YAML with ``sigs.k8s.io/yaml``, which
converts YAML to JSON with the target struct in view: a scalar written where the struct has a
``string`` field is turned into text from its decoded value, not from how it was written
(``yamlToJSONTarget`` in ``yaml.go``): integers in base ten, booleans as ``true``/``false``, and
floats by ``strconv.FormatFloat(v, 'g', -1, 32)``, the shortest text of the float32 nearest to
it. So ``to: 1.70`` becomes ``"1.7"`` and ``from: 1.67`` ``"1.67"`` (DKP's golden file
``from-to-sequential`` shows ``to: "1.7"``), ``1e6`` becomes ``"1e+06"``, ``0x10`` ``"16"``.
"""

from __future__ import annotations

import math
import struct

__all__ = ["string_field_text"]

_EXPONENT_FROM = 6
"""``FormatFloat``'s ``'g'`` with the shortest precision writes an exponent from 1e6 up."""


def string_field_text(value: bool | int | float) -> str:
    """What ``sigs.k8s.io/yaml`` stores in a Go ``string`` field for the YAML scalar ``value``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _float32_g(value)


def _float32_g(value: float) -> str:
    """``strconv.FormatFloat(value, 'g', -1, 32)``."""
    if math.isnan(value):
        return "NaN"
    single = _to_float32(value)
    if math.isinf(single):
        return "+Inf" if single > 0 else "-Inf"
    if single == 0:
        return "-0" if math.copysign(1.0, single) < 0 else "0"
    digits, exponent = _shortest(single)
    sign = "-" if single < 0 else ""
    if exponent < -4 or exponent >= _EXPONENT_FROM:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{digits}"
    whole = digits[: exponent + 1].ljust(exponent + 1, "0")
    rest = digits[exponent + 1 :]
    return f"{sign}{whole}.{rest}" if rest else f"{sign}{whole}"


def _shortest(single: float) -> tuple[str, int]:
    """The fewest significant digits that read back as the same float32, and the decimal exponent
    of the first one (``1.7`` → ``("17", 0)``)."""
    for precision in range(1, 10):
        text = f"{abs(single):.{precision - 1}e}"
        if _to_float32(float(text)) == abs(single):
            mantissa, exponent = text.split("e")
            return mantissa.replace(".", "").rstrip("0") or "0", int(exponent)
    raise AssertionError(f"no float32 reads back {single!r}")  # nine digits always do


def _to_float32(value: float) -> float:
    try:
        return float(struct.unpack("f", struct.pack("f", value))[0])
    except OverflowError:
        return math.copysign(math.inf, value)
