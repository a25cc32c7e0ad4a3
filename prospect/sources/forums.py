"""forums / discourse and forums / reddit: posts where someone asks for suppliers or wants to buy.

Formats as recorded in tests/recorded/{discourse,reddit}/: Discourse ``/search.json`` gives
``posts[]`` (``username``, ``name``, ``blurb``, ``topic_id``, ``post_number``) joined to
``topics[]`` by id; Reddit search gives a ``Listing`` of ``t3`` children (``author``,
``title``, ``selftext``, ``permalink``), paged with ``after``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from prospect.models import Observation
from prospect.sources.base import Query, Source, SourceError, SourceSkipped

__all__ = ["DiscourseSource", "RedditSource", "wants_to_buy"]

# A post is a lead when its author asks for suppliers or offers to buy (English and Chinese).
_BUYING = re.compile(
    r"looking for|seeking|need(?:ed)? (?:a |an )?(?:supplier|manufacturer|vendor|source)|"
    r"\bsuppliers?\b|\bsourcing\b|\bwholesale|\bimport(?:er|ing)?\b|\bdistributor|"
    r"\bbuy(?:ing|er)?\b|\bpurchas|\bwtb\b|\brfq\b|request for quot|where (?:can|do) i (?:get|buy)|"
    r"求购|采购|收购|找供应商|寻找供应商|进口|批发|询价|需要.{0,6}(?:货|供应)",
    re.IGNORECASE)


def wants_to_buy(text: str) -> bool:
    """Say whether a post reads as someone looking for a supplier or wanting to buy."""
    return bool(_BUYING.search(text))


class DiscourseSource(Source):
    """Posts on the Discourse forums the user configured (``PROSPECT_DISCOURSE_URL``)."""

    name = "discourse"
    kind = "forums"
    service = "discourse"

    def search(self, query: Query) -> Iterator[Observation]:
        """Yield buyer posts matching the query on every configured forum."""
        forums = self.config.endpoints_of("discourse")
        if not forums:
            raise SourceSkipped(self.name, "no forum configured (PROSPECT_DISCOURSE_URL)")
        count = 0
        failures: list[str] = []
        for base in forums:
            try:
                for obs in self._forum(base.rstrip("/"), query):
                    yield obs
                    count += 1
                    if count >= query.limit:
                        return
            except SourceError as ex:
                failures.append(f"{urlsplit(base).netloc}: {ex.reason}")
        if failures:
            raise SourceError(self.name, "; ".join(failures))

    def _forum(self, base: str, query: Query) -> Iterator[Observation]:
        for page in range(1, 6):
            data = self.get_json(f"{base}/search.json", params={"q": query.text, "page": page},
                                 headers={"Accept": "application/json"})
            if not isinstance(data, dict) or "posts" not in data:
                raise SourceError(self.name, "not a Discourse search reply")
            topics = {t.get("id"): t for t in data.get("topics") or []}
            for post in data["posts"]:
                topic = topics.get(post.get("topic_id"), {})
                title = str(topic.get("title") or post.get("topic_title_headline") or "")
                blurb = str(post.get("blurb") or "")
                if not wants_to_buy(f"{title} {blurb}"):
                    continue
                user = str(post.get("username") or "")
                slug = topic.get("slug") or "topic"
                ref = f"{base}/t/{slug}/{post.get('topic_id')}/{post.get('post_number', 1)}"
                who = str(post.get("name") or "") or user
                yield self.observation(ref, {
                    "name": who, "contact_name": who,
                    "description": f"{title}: {blurb}"[:1000],
                    "category": "forum post",
                    "profiles": f"{base}/u/{user}" if user else "",
                }, {"post": post, "topic": topic})
            more = data.get("grouped_search_result") or {}
            if not (more.get("more_full_page_results") or more.get("more_posts")):
                return


class RedditSource(Source):
    """Reddit posts (site-wide search) where someone looks for a supplier or wants to buy."""

    name = "reddit"
    kind = "forums"
    service = "reddit"

    def search(self, query: Query) -> Iterator[Observation]:
        """Yield buyer posts matching the query, newest listing pages first."""
        base = self.endpoint.rstrip("/")
        after: str | None = None
        count = 0
        for _ in range(5):
            params: dict[str, Any] = {"q": query.text, "limit": min(100, max(25, query.limit)),
                                      "sort": "relevance", "t": "all", "raw_json": 1, "type": "link"}
            if after:
                params["after"] = after
            data = self.get_json(f"{base}/search.json", params=params)
            if not isinstance(data, dict) or data.get("kind") != "Listing":
                raise SourceError(self.name, "not a Reddit listing")
            for child in data["data"].get("children") or []:
                post = child.get("data") or {}
                title, text = str(post.get("title") or ""), str(post.get("selftext") or "")
                author = str(post.get("author") or "")
                if child.get("kind") != "t3" or not wants_to_buy(f"{title} {text}"):
                    continue
                permalink = str(post.get("permalink") or "").split("?")[0]
                ref = f"https://www.reddit.com{permalink}" if permalink else str(post.get("url"))
                yield self.observation(ref, {
                    "name": f"u/{author}" if author else "", "contact_name": author,
                    "description": f"{title}: {text}"[:1000],
                    "category": f"reddit r/{post.get('subreddit', '')}",
                    "profiles": f"https://www.reddit.com/user/{author}" if author else "",
                }, {k: post.get(k) for k in ("id", "title", "selftext", "author", "subreddit",
                                             "permalink", "url", "created_utc")})
                count += 1
                if count >= query.limit:
                    return
            after = data["data"].get("after")
            if not after:
                return
