"""Where each service lives and which keys the user gave: environment first, then the config file.

Every service has one endpoint variable named after it (``PROSPECT_NOMINATIM_URL`` ...) and,
when it needs one, one key variable (``PROSPECT_BRAVE_KEY``). The config file is TOML at
``$PROSPECT_CONFIG`` or the platform's user config directory (``prospect/config.toml``)::

    [endpoints]
    overpass = "http://localhost:12345/api/interpreter"
    discourse = ["https://forum.example.org", "https://meta.discourse.org"]

    [keys]
    brave = "..."

    [rank]
    home = "53.55,9.99"        # for the distance criterion of 'prospect rank'

    [listen]
    own_domains = ["acme.de"]  # mail from a look-alike of these is named (also $PROSPECT_OWN_DOMAINS)

    [export.presets.mycrm]     # an export layout of your own (see 'prospect export --preset')
    columns = {"Account" = "name", "E-mail" = "email"}

Keys are read here and handed to the one source that needs them; they are never printed,
logged or written to the book.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prospect.errors import ProspectError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["SERVICES", "Config", "Service", "config_path", "load_config"]


@dataclass(frozen=True)
class Service:
    """A remote service: its default endpoint, its politeness interval and its terms."""

    name: str
    default: str
    interval: float  # minimum seconds between two requests to its host (published policy)
    terms: str
    key: bool = False

    @property
    def env(self) -> str:
        """The environment variable that overrides the endpoint."""
        return f"PROSPECT_{self.name.upper().replace('-', '_')}_URL"

    @property
    def key_env(self) -> str:
        """The environment variable that holds the key."""
        return f"PROSPECT_{self.name.upper().replace('-', '_')}_KEY"


SERVICES: dict[str, Service] = {s.name: s for s in (
    Service("nominatim", "https://nominatim.openstreetmap.org", 1.0,
            "OSMF Nominatim policy: at most 1 request/s, identifying User-Agent, cache results; "
            "data ODbL, © OpenStreetMap contributors"),
    Service("overpass", "https://overpass-api.de/api/interpreter", 1.0,
            "Overpass fair use: under ~10,000 requests and 1 GB a day; data ODbL, "
            "© OpenStreetMap contributors"),
    Service("duckduckgo", "https://html.duckduckgo.com/html/", 2.0,
            "no official API for web results; used gently (one page every 2 s), stops on a "
            "bot challenge"),
    Service("discourse", "", 1.0,
            "each forum's own terms; public search.json, anonymous"),
    Service("reddit", "https://www.reddit.com", 2.0,
            "Reddit API terms; unauthenticated search, descriptive User-Agent"),
    Service("gleif", "https://api.gleif.org/api/v1", 1.0,
            "GLEIF open data (CC0); about 60 requests a minute"),
    Service("wikidata", "https://query.wikidata.org/sparql", 1.0,
            "Wikidata CC0; Wikimedia User-Agent policy"),
    Service("searxng", "", 1.0,
            "your SearXNG instance's own terms; its settings.yml must allow the json format"),
    Service("brave", "https://api.search.brave.com/res/v1/web/search", 1.0,
            "Brave Search API: subscription key; free plan about 1 request/s", key=True),
    Service("google_places", "https://places.googleapis.com/v1/places:searchText", 0.2,
            "Google Places API (New): API key, billed per request; Maps Platform terms "
            "(results may not be stored beyond their caching rules)", key=True),
    Service("website", "", 1.0,
            "the lead's own site; robots.txt honoured, one request a second per host"),
    # Vetting services (prospect vet).
    Service("vies", "https://ec.europa.eu/taxation_customs/vies/rest-api", 1.0,
            "EU VIES: free, fair use, no bulk; a member state being down is not 'invalid'"),
    Service("rdap_bootstrap", "https://data.iana.org/rdap/dns.json", 1.0,
            "IANA RDAP bootstrap (cached); each registry's RDAP server has its own limits"),
    Service("companies_house", "https://api.company-information.service.gov.uk", 0.5,
            "UK Companies House: free key, 600 requests per 5 minutes", key=True),
    Service("opencorporates", "https://api.opencorporates.com/v0.4", 1.0,
            "OpenCorporates: API token required; open-data tier about 50 calls a day; ODbL, "
            "attribution", key=True),
    Service("edgar", "https://www.sec.gov", 0.2,
            "SEC EDGAR fair access: at most 10 requests/s, User-Agent with a contact"),
    # The map of 'prospect serve': the browser fetches the tiles, prospect never does.
    Service("tiles", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", 0.0,
            "OSMF tile usage policy: light interactive use only, attribution shown; "
            "run or rent a tile server for more"),
)}


def config_path() -> Path:
    """Return the config file's path: $PROSPECT_CONFIG, else the user config directory."""
    env = os.environ.get("PROSPECT_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("prospect")) / "config.toml"


@dataclass(frozen=True)
class Config:
    """Endpoints and keys as configured; environment variables win over the file."""

    endpoints: Mapping[str, Any] = field(default_factory=dict)
    keys: Mapping[str, str] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    # The rest of the file: [rank] home, [export.presets.NAME] ...
    sections: Mapping[str, Any] = field(default_factory=dict)

    def section(self, *path: str) -> Mapping[str, Any]:
        """A nested table of the config file (empty when absent)."""
        node: Any = self.sections
        for key in path:
            node = node.get(key, {}) if isinstance(node, Mapping) else {}
        return node if isinstance(node, Mapping) else {}

    def endpoint(self, name: str) -> str:
        """Return the base URL of service ``name`` (empty when it has none configured)."""
        urls = self.endpoints_of(name)
        return urls[0] if urls else ""

    def endpoints_of(self, name: str) -> list[str]:
        """Return every URL configured for ``name`` (several for forums), env first."""
        svc = SERVICES[name]
        raw: Any = self.env.get(svc.env) or self.endpoints.get(name) or svc.default
        values = raw if isinstance(raw, list) else str(raw).replace(",", " ").split()
        return [str(v).strip() for v in values if str(v).strip()]

    def key(self, name: str) -> str | None:
        """Return the key for ``name``, or None when the user gave none."""
        return self.env.get(SERVICES[name].key_env) or self.keys.get(name) or None


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read the config file (a missing file is an empty config; a broken one is an error)."""
    path = path or config_path()
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as ex:
            raise ProspectError(f"cannot read the config file {path}: {ex}") from ex
    endpoints = data.get("endpoints", {})
    keys = data.get("keys", {})
    if not isinstance(endpoints, dict) or not isinstance(keys, dict):
        raise ProspectError(f"{path}: [endpoints] and [keys] must be tables")
    return Config(endpoints=endpoints, keys={k: str(v) for k, v in keys.items()},
                  env=dict(os.environ if env is None else env),
                  sections={k: v for k, v in data.items() if k not in ("endpoints", "keys")})
