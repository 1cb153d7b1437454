"""Errors that stop a run with exit 2: the user's to fix, never a traceback."""

from __future__ import annotations

from alplint.i18n import _, clip

# A schema error quotes the value it is about (jsonschema writes it whole): at most this much of it.
MAX_REASON = 300


class UsageError(Exception):
    """A mistake on the command line, in a configuration or in a schema file."""


class ConfigError(UsageError):
    """A mistake in the configuration or on the command line."""


class SchemaError(UsageError):
    """A schema file that cannot be used."""

    def __init__(self, path: str, place: str, reason: str) -> None:
        reason = clip(reason, MAX_REASON)
        super().__init__(
            _("{path}: {place}: {reason}", path=path, place=place, reason=reason)
            if place
            else _("{path}: {reason}", path=path, reason=reason)
        )
        self.path = path
        self.place = place
        self.reason = reason
