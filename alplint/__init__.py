"""alplint: the linter for the Markdown forms of the UNDP Accelerator Labs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "lint_paths", "lint_text"]

if TYPE_CHECKING:
    from alplint.engine import lint_paths, lint_text


def __getattr__(name: str) -> Any:
    # The public API is importable from the package without paying for the engine at import.
    if name in ("lint_text", "lint_paths"):
        from alplint import engine

        return getattr(engine, name)
    raise AttributeError(name)
