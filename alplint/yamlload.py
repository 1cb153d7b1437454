"""Reading the YAML of configuration and schema files: plain data, and no aliases.

An alias (``*name``) repeats the value its anchor (``&name``) names, so a
few lines of aliases of aliases stand for billions of values: a 400-byte
``.alplint.yaml`` expanded to gigabytes in memory, and into every message
that quoted it.  alplint's files are short and written by hand, so they do
not need aliases: a file that uses one is refused, with its place, before
any value is built.  Anchors alone are harmless and allowed.  Nor do they
need lists of lists a hundred deep, which would exhaust Python's stack while
the values are built: those are refused too.
"""

from __future__ import annotations

from typing import Any, cast

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Tables and lists nested deeper than this are refused.
MAX_DEPTH = 100


class AliasError(yaml.MarkedYAMLError):
    """A YAML alias (``*name``), refused: ``problem`` says so, ``problem_mark`` says where."""


class TooDeep(yaml.MarkedYAMLError):
    """Tables or lists nested deeper than ``MAX_DEPTH``."""


def load_yaml(text: str) -> Any:
    """The data of one YAML document, read safely (plain data, never objects).

    Raises ``AliasError`` for an alias, ``TooDeep`` for nesting deeper than
    ``MAX_DEPTH`` and ``yaml.YAMLError`` for any other mistake.  Both are
    looked for in the stream of parse events first, so a refused file costs a
    pass over its text, never the values it stands for.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise TooDeep(
                    problem=f"tables and lists are nested more than {MAX_DEPTH} deep here",
                    problem_mark=cast(yaml.Mark, event.start_mark),
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            raise AliasError(
                problem=f'the alias "*{event.anchor}" repeats another value; alplint does not read '
                "aliases (a few of them can stand for gigabytes): write the value out in full",
                problem_mark=cast(yaml.Mark, event.start_mark),
            )
    return yaml.load(text, Loader=_LOADER)  # a safe loader: plain data, never objects


__all__ = ["MAX_DEPTH", "AliasError", "TooDeep", "load_yaml"]
