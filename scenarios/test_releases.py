"""Binds every scenario of features/releases/ (the step library comes from the root conftest)."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("releases")
