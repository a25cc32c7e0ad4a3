"""Company names: legal forms read apart in every language, words written out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from prospect import normalize as n
from prospect.normalize import names as name_rules


def test_a_chinese_name_writes_its_division_apart_in_one_form() -> None:
    """The registry's division leads a Chinese firm's name in full or short, or follows the
    trade name in brackets; it is a word of its own, "深圳市" and "深圳" alike."""
    cases = {
        "深圳市华为技术有限公司": "深圳 华为技术",
        "华为技术（深圳）有限公司": "华为技术 深圳",
        "广东省深圳市腾讯科技有限公司": "广东 深圳 腾讯科技",
        "广西壮族自治区荣耀凯投资咨询有限公司": "广西 荣耀凯投资咨询",
        "内蒙古伊利实业集团股份有限公司": "内蒙古 伊利实业集团",
        "深圳市南山区蓝天贸易有限公司": "深圳 南山区 蓝天贸易",
        "义乌市平川房地产营销策划有限公司": "义乌市 平川房地产营销策划",
        # Two characters of name at least: "上海滩" is a name, not Shanghai's "滩".
        "上海滩": "上海滩",
        "中国联合网络通信有限公司": "中国联合网络通信",
        "Shenzhen Huawei Ltd": "shenzhen huawei",
    }
    for raw, core in cases.items():
        assert n.normalize_name(raw).core == core, raw
    assert n.cn_division("深圳") and n.cn_division("南山区")
    assert not n.cn_division("深圳市") and not n.cn_division("华为技术")


def test_legal_forms_are_split_off_across_languages() -> None:
    cases = {
        "KONINKLIJKE PHILIPS ELECTRONICS N.V.": ("koninklijke philips electronics", "nv"),
        "N.V. PHILIPS' GLOEILAMPENFABRIEKEN": ("philips gloeilampenfabrieken", "nv"),
        "Müller GmbH & Co. KG": ("muller", "gmbh co kg"),
        "Kowalski Sp. z o.o.": ("kowalski", "sp z oo"),
        "Acme Co., Ltd.": ("acme", "co ltd"),
        "深圳市华为技术有限公司": ("深圳 华为技术", "有限公司"),
        "株式会社ソニー": ("ソニー", "株式会社"),
        "Rossi S.r.l.": ("rossi", "srl"),
        # "S.p.A." as Italian registers write it; "Spa" as English writes a word.
        "FIAT S.p.A.": ("fiat", "spa"),
        "ENI SPA": ("eni", "spa"),
        "Sun Spa": ("sun spa", None),
        "Aveda Day Spa": ("aveda day spa", None),
        "Dupont S.A.R.L.": ("dupont", "sarl"),
        # French forms stand before the name as often as after it; "SAS" is a brand's too.
        "SARL Boulangerie Dupont": ("boulangerie dupont", "sarl"),
        "EURL Martin Plomberie": ("martin plomberie", "eurl"),
        "SAS Institute": ("sas institute", None),
        "Smith & Sons L.T.D.": ("smith sons", "ltd"),
        "KONINKLIJKE PHILIPS ELECTRONICS N.V., EINDHOVEN, NL": ("koninklijke philips electronics", "nv"),
        # The seat after the form and a comma, however many words it takes, is not the name.
        "SCHLUMBERGER TECHNOLOGY B.V., DEN HAAG/'S-GRAVENHAGE, NL": ("schlumberger technology", "bv"),
        "Cargill BV, Bergen op Zoom, NL": ("cargill", "bv"),
        # A form inside a name that ends in its own is the parent's, not the end of it.
        "Hitachi Global Storage Technologies, Inc. Netherlands B.V.": (
            "hitachi global storage technologies netherlands", "inc bv"),
        "Philips Electronics N.V. Eindhoven": ("philips electronics", "nv"),
        "Maasland N.V. a Dutch Limited Co": ("maasland", "nv limited co"),
        "Hitachi Global Storage Technologies Inc, Netherlands B.V.": (
            "hitachi global storage technologies netherlands", "inc bv"),
        # A dotted form glued to the last word is a form all the same.
        "KONINKLIJKE PHILIPS ELECTRONICSN.V.": ("koninklijke philips electronics", "nv"),
        "HUNTERDOUGLASINDUSTRIESB.V.": ("hunterdouglasindustries", "bv"),
        "JOHNSON J.R.": ("johnson jr", None),
        # And after a name the form leads.
        "N.V. NUTRICIA, ZOETERMEER, NL": ("nutricia", "nv"),
        "PT Astra International, Jakarta": ("astra international", "pt"),
        # A form written in two parts, and a comma inside the name, are not a seat.
        "Smith & Co., Ltd.": ("smith", "co ltd"),
        "Smith, Jones & Co": ("smith jones", "co"),
    }
    for raw, (core, form) in cases.items():
        got = n.normalize_name(raw)
        assert (got.core, got.legal_form) == (core, form), raw


def test_a_names_shortened_and_british_words_read_as_written_out() -> None:
    assert n.normalize_name("St. Mary Medical Ctr").core == "saint mary medical center"
    assert n.normalize_name("Saint Mary Medical Centre").core == "saint mary medical center"
    assert n.normalize_name("Primanti Bros.").core == n.normalize_name("Primanti Brothers").core
    assert n.normalize_name("ABC Intl Trading Co").core == "abc international trading"
    for short, long in (("Gebr. Müller GmbH", "Gebrüder Müller GmbH"),
                        ("Gebr. Jansen B.V.", "Gebroeders Jansen B.V."),
                        ("Hnos. García S.L.", "Hermanos García S.L."),
                        ("F.lli Rossi S.r.l.", "Fratelli Rossi S.r.l.")):
        assert n.normalize_name(short).core == n.normalize_name(long).core


def test_legal_forms_of_the_markets_exporters_sell_to() -> None:
    """Korean, Japanese, Russian, Brazilian, Mexican, Vietnamese, Thai, Arabic, Gulf, South
    African, Danish and Polish forms, before or after the name, as the ISO 20275 list and
    national usage write them."""
    cases = {
        "삼성전자 주식회사": ("삼성전자", "kr"), "(주)삼성전자": ("삼성전자", "kr"),
        "㈜카카오": ("카카오", "kr"), "주방나라": ("주방나라", None),
        'ООО "Ромашка"': ("ромашка", "ru"), "АО «Газпром»": ("газпром", "ru"),
        "PAO Sberbank": ("sberbank", "ru"),
        "Natura Cosméticos S/A": ("natura cosmeticos", "br"),
        "Padaria Pão Quente Ltda - ME": ("padaria pao quente", "br"),
        # "Pão" is bread and "ao" a preposition, not the Russian forms PAO and AO.
        "Padaria Pão Quente Ltda": ("padaria pao quente", "es"),
        "Restaurante Bom Pão": ("restaurante bom pao", None),
        "Grupo Bimbo S.A.B. de C.V.": ("grupo bimbo", "es"),
        "Công ty TNHH MTV Minh Phát": ("minh phat", "vn"),
        "Công ty Cổ phần Vinamilk": ("vinamilk", "vn"), "CTCP Vinamilk": ("vinamilk", "vn"),
        "บริษัท ปูนซิเมนต์ไทย จำกัด (มหาชน)": ("ปูนซิเมนต์ไทย", "th"),
        "Siam Cement Public Company Limited": ("siam cement", "th"),
        "شركة المراعي": ("المراعي", "ar"), "المراعي ش.م.ع": ("المراعي", "ar"),
        "شركة المراعي المحدودة": ("المراعي", "ar"), "مؤسسة النور للتجارة": ("النور للتجارة", "ar"),
        "Novo Nordisk A/S": ("novo nordisk", "nordic"), "Bosch Sp.j.": ("bosch", "pl"),
        "CTY Kitchen": ("cty kitchen", None),  # a restaurant in Pittsburgh, not "Công ty"
        "(株)トヨタ自動車": ("トヨタ自動車", "jp"), "トヨタ自動車(株)": ("トヨタ自動車", "jp"),
        "(有)山田商店": ("山田商店", "jp"),
        "Al Rashid Trading Co. W.L.L.": ("al rashid trading", "gulf"),
        "Gulf Steel FZ-LLC": ("gulf steel", "gulf"), "Omantel SAOG": ("omantel", "gulf"),
        "Eskom Holdings SOC Ltd": ("eskom holdings", "za"),
        "Nampak Proprietary Limited": ("nampak", "za"),
        # Written out, as registers and GLEIF's legal names write them.
        "Общество с ограниченной ответственностью «Ромашка»": ("ромашка", "ru"),
        "PUBLICHNOE AKTSIONERNOE OBSHCHESTVO SBERBANK ROSSII": ("sberbank rossii", "ru"),
        "Товариство з обмеженою відповідальністю «Ромашка»": ("ромашка", "ru"),
        "Public Joint Stock Company Sberbank": ("sberbank", None),
        "Natura Cosméticos Sociedade Anônima": ("natura cosmeticos", "br"),
        "Company Store": ("company store", None),
    }
    for raw, (core, family) in cases.items():
        got = n.normalize_name(raw)
        assert (got.core, got.family) == (core, family), raw


@given(st.text())
def test_name_core_is_folded_and_never_longer(text: str) -> None:
    name = n.normalize_name(text)
    assert name.core == n.fold(name.core) or not name.core
    # Longer than the name only by its shortened words written out ("st" as "saint"), and
    # by the spaces that set a Chinese name's division apart ("深圳华为": "深圳 华为").
    written_out = "".join(name_rules._NAME_WORDS.get(t, t) for t in n.fold(text).split())
    assert len(name.core.replace(" ", "")) <= len(written_out)
