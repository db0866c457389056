"""The publications parameters and models cite: one registry, key -> reference.

A parameter's source is then a key plus where in the paper the value is (a table, an
equation, a page): ``cite("hodgkin1952", "Table 3 (g_Na)")`` gives
``"Hodgkin & Huxley 1952, J Physiol 117:500, Table 3 (g_Na)"``, and the full reference is
written out once, here. The keys match ``docs/references.bib`` where the documentation
cites the same paper.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Reference", "REFERENCES", "cite", "reference"]


@dataclass(frozen=True)
class Reference:
    """One publication."""

    #: Authors and year with the journal, volume and first page, as sources quote it.
    short: str
    #: The full reference.
    full: str


REFERENCES: Mapping[str, Reference] = types.MappingProxyType({
    "hodgkin1952": Reference(
        "Hodgkin & Huxley 1952, J Physiol 117:500",
        "Hodgkin AL, Huxley AF (1952) A quantitative description of membrane current and its application to "
        "conduction and excitation in nerve. J Physiol 117:500-544"),
    "hodgkin1964": Reference(
        "Hodgkin 1964, The Conduction of the Nervous Impulse",
        "Hodgkin AL (1964) The Conduction of the Nervous Impulse. Liverpool University Press"),
    "adrian1973": Reference(
        "Adrian & Peachey 1973 J Physiol 235:103",
        "Adrian RH, Peachey LD (1973) Reconstruction of the action potential of frog sartorius muscle. "
        "J Physiol 235:103-131"),
})


def reference(key: str) -> Reference:
    """The :class:`Reference` registered under ``key``."""
    try:
        return REFERENCES[key]
    except KeyError:
        raise KeyError(f"no reference {key!r}; registered: {', '.join(sorted(REFERENCES))}") from None


def cite(key: str, where: str | None = None) -> str:
    """The short citation of ``key``, followed by ``where`` in it (a table, an equation).

    >>> cite("hodgkin1952", "Table 3 (g_Na)")
    'Hodgkin & Huxley 1952, J Physiol 117:500, Table 3 (g_Na)'
    """
    short = reference(key).short
    return f"{short}, {where}" if where else short
