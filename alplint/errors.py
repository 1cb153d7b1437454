"""Errors that stop a run with exit 2: the user's to fix, never a traceback."""

from __future__ import annotations

from alplint.i18n import _, clip

# A schema error quotes the value it is about (jsonschema writes it whole): at most this much of it.
MAX_REASON = 300


class UsageError(Exception):
    """A mistake the user can fix: on the command line (``--new`` with no template of that name),
    or in one of the files below."""


class ConfigError(UsageError):
    """A mistake in the settings of a run: a configuration file, or the command-line options that
    settle the same things (``--select``, ``--ignore``, options that contradict each other)."""


class BaselineError(UsageError):
    """A baseline file that cannot be read or written, or that is not an alplint baseline."""


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
