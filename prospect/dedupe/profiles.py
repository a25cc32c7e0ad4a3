"""What the clusterer knows of a lead: the distinct values its records carried, pooled."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, NamedTuple

from prospect.keys import Signature

__all__ = ["AnyProfile", "OneProfile", "Profile", "Values", "grow"]


class Values(NamedTuple):
    """A lead's profile: every distinct value its observations' signatures carried.

    Declared once, here. Each field pools the :class:`Signature` field of its name (the
    street address pools the house number and street as pairs); :class:`Profile` and
    :class:`OneProfile` are made from this list, and a signature field that no field here
    pools is an error when the module loads. A new field is a line in each class.
    """

    core: tuple[str, ...] = ()
    family: tuple[str, ...] = ()
    domain: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    phone: tuple[str, ...] = ()
    address: tuple[tuple[str, str], ...] = ()
    postcode: tuple[str, ...] = ()
    city: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()
    source: tuple[str, ...] = ()


# How a profile pools each field of a signature: one value (_ONE), each of several (_MANY),
# or the street address (_PAIR). The signature's position is kept apart: see Profile.
_ONE, _MANY, _PAIR = range(3)
_UNPOOLED = frozenset({"number", "street", "position"})
# A million leads share a few thousand towns and countries: one string each, not one a lead.
_INTERNED = frozenset({"city", "country", "source"})
# Values kept of a field: a lead seen a hundred times under one name keeps its variety, not
# every spelling.
_CAP = 40


def _pooling(fields: tuple[str, ...], defaults: Mapping[str, Any], pooled: tuple[str, ...]
             ) -> tuple[tuple[int, int, int], ...]:
    """Where each of the ``pooled`` fields (:class:`Values`) is found among a signature's
    ``fields``, and how: (kind, place, the street's place for the address)."""
    at = {name: i for i, name in enumerate(fields)}
    plan = []
    for name in pooled:
        if name == "address":
            plan.append((_PAIR, at["number"], at["street"]))
        elif name in at:
            many = isinstance(defaults.get(name), tuple)
            plan.append((_MANY if many else _ONE, at[name], -1))
        else:
            raise TypeError(f"profile field {name!r} pools no signature field")
    missed = set(fields) - set(pooled) - _UNPOOLED
    if missed:
        raise TypeError(f"signature fields {sorted(missed)} are in no profile field")
    return tuple(plan)


_PLAN = _pooling(Signature._fields, Signature._field_defaults, Values._fields)
_INTERNED_AT = frozenset(Values._fields.index(name) for name in _INTERNED)


_VALUES = Values._make


def _pooled(sig: Signature) -> Values:
    """A signature's values, field by field, as a profile of it alone holds them."""
    out: list[tuple[Any, ...]] = []
    for kind, i, j in _PLAN:
        v = sig[i]
        if kind == _ONE:
            out.append((v,) if v else ())
        elif kind == _MANY:
            out.append(tuple(dict.fromkeys(v)) if v else ())
        else:
            out.append(((v or "", sig[j]),) if v or sig[j] else ())
    return _VALUES(out)


class Profile:
    """Every distinct value a lead's observations carried, for comparing a newcomer with it."""

    __slots__ = ("_values", "positions")

    def __init__(self) -> None:
        self._values = Values()
        self.positions: tuple[tuple[float, float], ...] = ()

    def add(self, sig: Signature) -> None:
        """Fold one more observation's signature into the profile."""
        if sig.position and sig.position not in self.positions and len(self.positions) < 10:
            self.positions = (*self.positions, sig.position)
        values = self._values
        pools: list[tuple[Any, ...]] | None = None
        for at, (kind, i, j) in enumerate(_PLAN):
            v: Any = sig[i]
            if kind == _PAIR:
                items: tuple[Any, ...] = ((v or "", sig[j]),) if v or sig[j] else ()
            else:
                items = () if not v else (v,) if kind == _ONE else v
            for item in items:
                kept = values[at] if pools is None else pools[at]
                if item not in kept and len(kept) < _CAP:
                    if pools is None:
                        pools = list(values)
                    pools[at] = (*kept, sys.intern(item) if at in _INTERNED_AT else item)
        if pools is not None:
            self._values = _VALUES(pools)

    def values(self) -> Values:
        """Every field at once: :func:`~prospect.dedupe.evidence.score` reads most of them."""
        return self._values


class OneProfile:
    """The profile of a lead seen once: its signature, read as a :class:`Profile`.

    Most leads of a large import are seen once; a profile of one-value tuples costs some
    600 bytes more than the signature it repeats. The tuples are made when read instead.
    """

    __slots__ = ("sig",)

    def __init__(self, sig: Signature) -> None:
        self.sig = sig

    @property
    def positions(self) -> tuple[tuple[float, float], ...]:
        """As :attr:`Profile.positions`."""
        return (self.sig.position,) if self.sig.position else ()

    def values(self) -> Values:
        """As :meth:`Profile.values`, made when asked."""
        return _pooled(self.sig)


AnyProfile = Profile | OneProfile


def grow(profiles: dict[int, AnyProfile], lead_id: int, sig: Signature) -> None:
    """Fold ``sig`` into the profile of ``lead_id`` in ``profiles``, starting one if need be."""
    prof = profiles.get(lead_id)
    if prof is None:
        profiles[lead_id] = OneProfile(sig)
        return
    if isinstance(prof, OneProfile):
        full = Profile()
        full.add(prof.sig)
        profiles[lead_id] = prof = full
    prof.add(sig)
