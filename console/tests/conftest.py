"""The browser tests' fixtures live in ``browsing`` (type-checked there; a second module named conftest would
clash with shared/tests' for mypy)."""

from browsing import browser, console_system, desktop

__all__ = ["browser", "console_system", "desktop"]
