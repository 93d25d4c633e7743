"""sigs.k8s.io/yaml's text for a number or boolean in a Go string field (FormatFloat 'g', -1, 32)."""

from __future__ import annotations

import pytest

from harness.kube.go_yaml import string_field_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.70, "1.7"),  # DKP's golden from-to-sequential: `to: 1.70` is "1.7"
        (1.67, "1.67"),
        (100.0, "100"),
        (123456.0, "123456"),
        (1e6, "1e+06"),
        (1e21, "1e+21"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (0.1, "0.1"),
        (-2.5, "-2.5"),
        (3.14159, "3.14159"),
        (16777217.0, "1.6777216e+07"),  # no float32 holds 16777217
        (0.0, "0"),
        (float("inf"), "+Inf"),
        (16, "16"),
        (-3, "-3"),
        (True, "true"),
        (False, "false"),
    ],
)
def test_a_scalar_reads_as_go_formats_it(value, text):
    assert string_field_text(value) == text
