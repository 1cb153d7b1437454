"""Reading the YAML of configuration and schema files: plain data, of a bounded size.

An alias (``*name``) repeats the value its anchor (``&name``) names, so a
few lines of aliases of aliases stand for billions of values: a 400-byte
``.alplint.yaml`` expanded to gigabytes in memory, and into every message
that quoted it.  Schema files use aliases for what template versions share
(a question asked the same way in two versions), so aliases are allowed, but
the values a file stands for once every alias is expanded are counted in the
stream of parse events, before any value is built, and a file that stands
for more than ``MAX_VALUES`` is refused with the place of the alias that
crossed the line.  Nor do alplint's files need lists of lists a hundred
deep, which would exhaust Python's stack while the values are built: those
are refused too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Tables and lists nested deeper than this are refused.
MAX_DEPTH = 100
# The values (scalars, tables and lists) a file may stand for, aliases expanded: the largest
# schema shipped with alplint stands for a few thousand.
MAX_VALUES = 200_000


class AliasError(yaml.MarkedYAMLError):
    """Aliases that expand beyond ``MAX_VALUES``: ``problem`` says so, ``problem_mark`` says where."""


class TooDeep(yaml.MarkedYAMLError):
    """Tables or lists nested deeper than ``MAX_DEPTH``."""


def load_yaml(text: str) -> Any:
    """The data of one YAML document, read safely (plain data, never objects).

    Raises ``AliasError`` when aliases make the file stand for more than
    ``MAX_VALUES`` values, ``TooDeep`` for nesting deeper than ``MAX_DEPTH``
    and ``yaml.YAMLError`` for any other mistake.  Both are looked for in the
    stream of parse events first, so a refused file costs a pass over its
    text, never the values it stands for.
    """
    # Each open table or list: its anchor and how many values it stands for so far.
    open_collections: list[tuple[str | None, int]] = [(None, 0)]
    anchored: dict[str, int] = {}
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            if len(open_collections) > MAX_DEPTH:
                raise TooDeep(
                    problem=f"tables and lists are nested more than {MAX_DEPTH} deep here",
                    problem_mark=cast(yaml.Mark, event.start_mark),
                )
            open_collections.append((event.anchor, 1))
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, values = open_collections.pop()
        elif isinstance(event, yaml.ScalarEvent):
            anchor, values = event.anchor, 1
        elif isinstance(event, yaml.AliasEvent):
            anchor, values = None, anchored.get(event.anchor or "", 1)
        else:
            continue
        if anchor is not None:
            anchored[anchor] = values
        parent_anchor, parent_values = open_collections[-1]
        open_collections[-1] = (parent_anchor, parent_values + values)
        if parent_values + values > MAX_VALUES:
            raise AliasError(
                problem=f"with its aliases (*name) expanded, this file stands for more than {MAX_VALUES:,} "
                "values (a few aliases of aliases can stand for gigabytes): write the values out instead",
                problem_mark=cast(yaml.Mark, event.start_mark),
            )
    return yaml.load(text, Loader=_LOADER)  # a safe loader: plain data, never objects


def line_of(text: str, path: Sequence[Any]) -> int | None:
    """The line where the value at ``path`` (keys and list indexes) sits in a document that
    ``load_yaml`` read, found by walking its node tree; None when there is no such value."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None
        if node is None:
            return None
    return node.start_mark.line + 1 if node is not None else None


__all__ = ["MAX_DEPTH", "AliasError", "TooDeep", "line_of", "load_yaml"]
