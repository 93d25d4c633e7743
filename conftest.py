"""Root conftest: only loads the harness's pytest plugins (fixtures, steps, report)."""

pytest_plugins: list[str] = []
