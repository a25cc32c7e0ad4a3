"""What one page says of the firm behind it, value by value (see :class:`PageFacts`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from prospect import normalize as n

__all__ = ["PER_PAGE", "PageFacts", "add_value", "page_email", "social_profile"]

_SOCIAL = {"facebook.com", "linkedin.com", "instagram.com", "twitter.com", "x.com", "youtube.com",
           "xing.com", "tiktok.com", "pinterest.com", "weibo.com", "vk.com", "wa.me", "t.me",
           "github.com", "threads.net", "bsky.app"}
_SHARE = re.compile(r"/shar(?:e|er)|/intent/|sharearticle|/dialog/", re.I)


@dataclass
class PageFacts:
    """What one page says about the business, with the page's URL."""

    url: str
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    fax: list[str] = field(default_factory=list)
    address: dict[str, str] = field(default_factory=dict)
    name: str = ""
    vat: str = ""
    register: str = ""  # the company register's number (Companies House, KvK, HRB + court)
    uscc: str = ""  # China's unified social credit code
    country: str = ""  # the country the firm's own VAT or register number is of
    socials: list[str] = field(default_factory=list)
    contact_links: list[str] = field(default_factory=list)
    position: tuple[str, str] | tuple[()] = ()  # (latitude, longitude) from schema.org geo
    street_only: str = ""  # schema.org's streetAddress alone: the address if nothing says more
    refresh: str = ""  # where the page sends the visitor on at once (<meta http-equiv=refresh>)

    def as_dict(self) -> dict[str, Any]:
        """The facts for the observation's raw ``pages`` (empty ones left out)."""
        out = {"url": self.url, "emails": self.emails, "phones": self.phones, "fax": self.fax,
               "address": self.address, "name": self.name, "vat": self.vat,
               "register": self.register, "uscc": self.uscc,
               "socials": self.socials, "position": list(self.position)}
        return {k: v for k, v in out.items() if v}


# A contact page lists a mailbox or number per department (a shop's sales, bulk, government,
# support ...); past this many a page is a directory of others, not one firm's contacts.
PER_PAGE = 16


def add_value(items: list[str], value: str | None, limit: int = PER_PAGE) -> None:
    """Keep ``value`` in ``items`` if it is one, new, and there is room for it."""
    if value and value not in items and len(items) < limit:
        items.append(value)


def page_email(raw: str) -> str | None:
    """An e-mail address as a page wrote it (a mailto link's too), normalised, or ``None``."""
    value = n.normalize_email(unquote(raw).split("?", 1)[0].strip().strip(".,;:"))
    if not value:
        return None
    domain = value.rsplit("@", 1)[1]
    if n.registered_domain(domain) is None or domain.endswith((".png", ".jpg", ".gif", ".webp")):
        return None  # image names like logo@2x.png look like addresses
    return value


def social_profile(url: str) -> str | None:
    """The profile page a link points to on a social site, or ``None`` (a share button too)."""
    parts = urlsplit(url if "://" in url else "https://" + url)
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    base = n.registered_domain(host) or host
    if (host in _SOCIAL or base in _SOCIAL) and parts.path.strip("/") and not _SHARE.search(url):
        return f"https://{parts.netloc.lower()}{parts.path.rstrip('/')}"
    return None
