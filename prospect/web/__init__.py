"""``prospect serve``: the lead book in a browser, built on Datasette and its cluster-map plugin.

Datasette already reads the book as it is: tables, facets, full-text search, JSON and CSV.
What this package adds is the book's own reading of it: a ``lead_list`` view with facets and
a map (``storage.migrations``), saved views as canned queries, the filters of ``prospect
leads`` (``_near``, ``_within``, ``_not_touched``, ``_source``), a page per lead with where
each value came from and the evidence behind its grade, and, with ``--write``, marking and
notes through the same code as ``prospect mark`` / ``note``.

The web dependencies are an extra (``pip install 'prospect-leads[web]'``); :mod:`.lead` works
without them, :mod:`.site` and :mod:`.plugin` need them.
"""

from __future__ import annotations

__all__ = ["EXTRA_MESSAGE", "is_local"]

EXTRA_MESSAGE = ("prospect serve needs the web extra; install it with: "
                 "pip install 'prospect-leads[web]'")


def is_local(host: str) -> bool:
    """True when ``host`` only listens on this machine (loopback)."""
    import ipaddress

    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
