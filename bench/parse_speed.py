"""How long does reading one search results page take?

Parses each recorded DuckDuckGo results page (tests/recorded/duckduckgo/, and any under
../shared/fixtures) many times with prospect's parser and prints the median time per page,
next to BeautifulSoup with html.parser and CSS selectors, the way the parser read pages before.

    python bench/parse_speed.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bs4 import BeautifulSoup  # noqa: E402

from prospect.sources.search import parse_results  # noqa: E402


def soup_select(html: str) -> int:
    """The old way: html.parser and CSS selectors over every result block."""
    soup = BeautifulSoup(html, "html.parser")
    found = 0
    for block in soup.select("div.result"):
        if block.select_one("a.result__a") is not None:
            found += 1
        block.select_one(".result__snippet")
    soup.select_one("div.nav-link form")
    return found


def median_ms(fn: object, html: str, repeat: int) -> float:
    """Median milliseconds of ``fn(html)`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(html)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    """Print one line per recorded page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    pages = sorted((ROOT / "tests" / "recorded" / "duckduckgo").glob("*.html"))
    shared = ROOT.parent / "shared" / "fixtures"
    if shared.is_dir():
        pages += sorted(p for p in shared.rglob("*.html") if "duck" in str(p).lower())
    print(f"{'page':<45} {'kB':>5} {'results':>7} {'prospect ms':>11} {'bs4 ms':>7}")
    for page in pages:
        html = page.read_text(encoding="utf-8", errors="replace")
        results, _ = parse_results(html)
        ours = median_ms(parse_results, html, args.repeat)
        old = median_ms(soup_select, html, max(5, args.repeat // 10))
        print(f"{page.name[:45]:<45} {len(html) / 1024:>5.0f} {len(results):>7} {ours:>11.2f} "
              f"{old:>7.2f}")


if __name__ == "__main__":
    main()
