"""alplint: the linter for the Markdown forms of the UNDP Accelerator Labs."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "lint_paths", "lint_text"]

# As typing.TYPE_CHECKING, without importing typing: ``alplint --version`` imports this module only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from alplint.engine import lint_paths, lint_text


def __getattr__(name: str) -> object:
    # The public API is importable from the package without paying for the engine at import.
    if name in ("lint_text", "lint_paths"):
        from alplint import engine

        return getattr(engine, name)
    raise AttributeError(name)
