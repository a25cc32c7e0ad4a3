"""Look-alike domains: is a sender's domain one of a real domain's typosquats?

The permutations are dnstwist's (its homoglyphs, keyboard slips, omissions, insertions,
transpositions, bit flips, hyphens and vowel swaps), generated for the real domain and
remembered, so the rules are a maintained engine's and not a list of our own. Generating them
all for every well-known firm would take seconds, so a sender is first compared cheaply: only
a real name its folded label comes near is permuted and looked up.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

import dnstwist
from rapidfuzz.distance import Levenshtein

from prospect import normalize as n

__all__ = ["fold_label", "imitates", "permutations"]

# Beyond two edits of the folded label no dnstwist permutation is left (its homoglyphs, which
# can change more characters, are undone by fold_label first).
_NEAR = 2


@cache
def _unglyph() -> dict[str, str]:
    """Each Unicode homoglyph dnstwist knows, mapped back to the Latin letters it imitates."""
    back: dict[str, str] = {}
    tables = [dnstwist.Fuzzer.glyphs_unicode, *dnstwist.Fuzzer.glyphs_idn_by_tld.values()]
    cyrillic = {c: latin for latin, c in dnstwist.Fuzzer.latin_to_cyrillic.items()}
    for table in tables:
        for latin, glyphs in table.items():
            for glyph in glyphs:
                if not glyph.isascii():
                    back.setdefault(glyph, latin)
    back.update({c: latin for c, latin in cyrillic.items()})
    return back


def fold_label(label: str) -> str:
    """A domain label as the eye reads it: punycode decoded, homoglyphs and accents to Latin."""
    if label.startswith("xn--"):
        try:
            label = label.encode("ascii").decode("idna")
        except UnicodeError:
            return label
    if label.isascii():
        return label
    back = _unglyph()
    out = []
    for c in label:
        if c in back:
            out.append(back[c])
        else:
            plain = unicodedata.normalize("NFKD", c)
            out.append("".join(x for x in plain if not unicodedata.combining(x)))
    return "".join(out).lower()


def _label(domain: str) -> tuple[str, str]:
    """(label, public suffix) of a registered domain: ("maersk", "com")."""
    label, _, suffix = domain.partition(".")
    return label, suffix


@lru_cache(maxsize=512)
def permutations(domain: str) -> frozenset[str]:
    """The labels dnstwist makes of ``domain``'s (its typosquats), folded as the eye reads them."""
    fuzzer = dnstwist.Fuzzer(domain)
    fuzzer.generate()
    suffix = "." + _label(domain)[1]
    out = set()
    for item in fuzzer.permutations():
        name = str(item["domain"])
        if item["fuzzer"] != "*original" and name.endswith(suffix):
            out.add(fold_label(name[: -len(suffix)]))
    return frozenset(out)


def imitates(sender: str, real_domains: Iterable[str]) -> str | None:
    """Return the real domain among ``real_domains`` whose look-alike ``sender`` is, or None.

    A look-alike is one of the real domain's permutations under any public suffix ("paypa1.com",
    "xn--pypal-4ve.com", "maesrk.cn"), or the real name written with homoglyphs. The real domain
    itself, and its own subdomains, are not look-alikes.
    """
    reg = n.registered_domain(sender.lower()) or sender.lower()
    label = _label(reg)[0]
    seen = fold_label(label)
    for real in real_domains:
        if not real or reg == real:
            continue
        name = _label(real)[0]
        if len(name) < 4:
            continue  # "msc", "dhl": every three-letter label is near one of them
        if seen == name and label != name:
            return real  # homoglyphs only: "pаypal" with a Cyrillic a
        if seen == name or Levenshtein.distance(seen, name, score_cutoff=_NEAR) > _NEAR:
            continue
        if seen in permutations(real):
            return real
    return None
