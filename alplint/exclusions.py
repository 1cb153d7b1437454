"""The folders never walked into by default, importable alone: ``alplint --help`` lists them without
importing the rest of alplint (``alplint.source`` uses them to walk folders)."""

# Folders never walked into (as ruff's defaults): tools' caches, dependencies and build output.
# Folders named on the command line are walked all the same; with --force-exclude they are not.
DEFAULT_EXCLUDE = (
    ".alplint_cache",
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)
