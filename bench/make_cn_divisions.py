#!/usr/bin/env python3
"""China's administrative divisions -> prospect/data/cn_divisions.txt (the names dedupe reads
at the head of a Chinese firm's name).

The source is ``cpca/resources/adcodes.csv`` of the cpca package on PyPI (MIT licence,
Copyright (c) 2018 QinYuan Du; the adcodes of GB/T 2260 with their names): ``pip download
--no-deps cpca==0.5.5`` and unzip the wheel. Each line written is a division's name and the
form names are compared in: the short form, as firms write it ("深圳市" and "深圳" are both
"深圳"), for provinces and prefectures; the full name alone for counties, districts and
county-level cities ("南山区", "义乌市"), whose short forms are everyday words too often
("东方", "南山").

usage: python bench/make_cn_divisions.py ADCODES_CSV > prospect/data/cn_divisions.txt
"""

from __future__ import annotations

import csv
import re
import sys

HEADER = """\
# China's administrative divisions as a Chinese firm's name may begin with them: the name,
# then the form dedupe compares ("深圳市 深圳": the city's full and short names are one).
# Made by bench/make_cn_divisions.py from cpca's resources/adcodes.csv (GB/T 2260 adcodes),
# which carries this notice:
#
# The MIT License (MIT)
#
# Copyright (c) 2018 QinYuan Du
#
# Permission is hereby granted, free of charge, to any person obtaining a copy of
# this software and associated documentation files (the "Software"), to deal in
# the Software without restriction, including without limitation the rights to
# use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
# the Software, and to permit persons to whom the Software is furnished to do so,
# subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in all
# copies or substantial portions of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
# FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
# COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
# IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
# CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""

# The peoples an autonomous division is named after, written between its name and its kind
# ("延边朝鲜族自治州", "广西壮族自治区"): not part of the short form.
PEOPLES = re.compile(r"(?:藏族|羌族|土家族|苗族|彝族|朝鲜族|蒙古族|蒙古|布依族|傈僳族|回族|白族|"
                     r"壮族|侗族|傣族|景颇族|哈尼族|柯尔克孜|哈萨克|维吾尔)+$")
KINDS = re.compile(r"(?:特别行政区|自治区|自治州|地区|省|市|盟)$")
# Placeholders of the table, not names: "市辖区", "县", "省直辖县级行政区划".
NOT_NAMES = re.compile(r"^(?:市辖区|县)$|行政区划$")


def short(name: str) -> str:
    """A division's short form: its name without its kind and peoples ("延边朝鲜族自治州": "延边";
    not "内蒙古自治区": "内蒙古")."""
    name = KINDS.sub("", name)
    brief = PEOPLES.sub("", name)
    return brief if len(brief) >= 2 else name


def main() -> None:
    forms: dict[str, str] = {}
    with open(sys.argv[1], encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code, name = row["adcode"], row["name"].strip()
            if NOT_NAMES.search(name) or len(name) < 3:
                continue
            if code[4:6] != "00":  # a county, a district, a county-level city
                forms.setdefault(name, name)
                continue
            brief = short(name)
            if len(brief) >= 2:
                forms.setdefault(name, brief)
                forms.setdefault(brief, brief)
    sys.stdout.write(HEADER)
    for name in sorted(forms, key=lambda k: (forms[k], len(k), k)):
        sys.stdout.write(f"{name} {forms[name]}\n")


if __name__ == "__main__":
    main()
