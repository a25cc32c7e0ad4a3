"""The Source interface: a place leads come from, and what a search asks of it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from prospect.config import SERVICES, Config
from prospect.errors import ProspectError
from prospect.http import FetchError, Http
from prospect.models import Observation

__all__ = ["Query", "Source", "SourceError", "SourceSkipped"]


@dataclass(frozen=True)
class Query:
    """What the user asked for: the product or trade, where, and how many leads per source."""

    text: str
    place: str | None = None
    country: str | None = None  # ISO 3166 alpha-2
    limit: int = 50


class SourceError(ProspectError):
    """A source failed; ``reason`` is the short form shown in the summary (``blocked``)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class SourceSkipped(SourceError):
    """A source cannot run for this search (no key, no forum configured, no place given)."""


class Source(ABC):
    """A place leads come from: a map, a search engine, a forum, a directory."""

    name: ClassVar[str]  # on the command line: --source NAME
    kind: ClassVar[str]  # maps, search, forums, directories: --kind KIND
    service: ClassVar[str]  # the config.SERVICES entry whose endpoint it calls
    needs_key: ClassVar[bool] = False

    def __init__(self, *, http: Http, config: Config) -> None:
        self.http = http
        self.config = config

    @property
    def interval(self) -> float:
        """Minimum seconds between two requests to this source's host."""
        return SERVICES[self.service].interval

    def require_key(self) -> str:
        """The user's key for this source's service; without one the source is skipped."""
        key = self.config.key(self.service)
        if not key:
            raise SourceSkipped(self.name, f"no key ({SERVICES[self.service].key_env})")
        return key

    @property
    def endpoint(self) -> str:
        """The configured base URL (``PROSPECT_<SERVICE>_URL`` or the config file)."""
        return self.config.endpoint(self.service)

    def get_json(self, url: str, *, params: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None, interval: float | None = None,
                 service: str = "") -> Any:
        """GET ``url`` politely and decode its JSON; a failure becomes a SourceError.

        ``service`` prefixes the reason when the source calls a helper service (Nominatim).
        """
        prefix = f"{service} " if service else ""
        try:
            return self.http.get_json(url, params=params, headers=headers,
                                      interval=self.interval if interval is None else interval)
        except FetchError as ex:
            raise SourceError(self.name, prefix + ex.reason) from ex

    def observation(self, reference: str, fields: dict[str, str],
                    raw: dict[str, object]) -> Observation:
        """Wrap what this source found as an observation under its name."""
        return Observation(source=self.name, reference=reference,
                           fields={k: v for k, v in fields.items() if v}, raw=raw)

    @abstractmethod
    def search(self, query: Query) -> Iterator[Observation]:
        """Yield observations for ``query``; raise SourceError (or SourceSkipped) on failure."""
