#!/usr/bin/env python3
"""Traditional Chinese characters and their simplified forms -> prospect/data/
zh_traditional.tsv (folding writes a Chinese name one way: "廣州藍海電子" as "广州蓝海电子").

The source is OpenCC's TSCharacters.txt (Apache License 2.0, github.com/BYVoid/OpenCC), as
the opencc-python-reimplemented package on PyPI ships it (``pip download --no-deps
opencc-python-reimplemented==0.1.7``; its ``opencc/dictionary/TSCharacters.txt``). Each line
is a traditional character and its simplified form (the first OpenCC gives, where it gives
several); characters outside the Basic Multilingual Plane are left out.

usage: python bench/make_zh_traditional.py TSCharacters.txt > prospect/data/zh_traditional.tsv
"""

from __future__ import annotations

import sys

HEADER = """\
# Traditional Chinese characters, a tab, the simplified form folding writes for each. From
# OpenCC's TSCharacters.txt (Apache License 2.0, https://github.com/BYVoid/OpenCC); made by
# bench/make_zh_traditional.py.
"""


def main() -> None:
    out = [HEADER]
    with open(sys.argv[1], encoding="utf-8") as fh:
        for line in fh:
            traditional, _, simplified = line.rstrip("\n").partition("\t")
            first = simplified.split(" ")[0]
            if (len(traditional) == 1 and len(first) == 1 and traditional != first
                    and ord(traditional) < 0x10000 and ord(first) < 0x10000):
                out.append(f"{traditional}\t{first}\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
