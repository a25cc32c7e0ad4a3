"""Website enrichment: pages read for e-mails, phones, addresses, VAT numbers, JSON-LD, socials."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from prospect.http import FetchError, Http
from prospect.ingest.engine import ingest
from prospect.models import Observation
from prospect.sources.websites import enrich, fetch_site, read_page
from prospect.storage import LeadBook

Serve = Callable[[Callable[[httpx.Request], httpx.Response]], Http]

HOME = """<!doctype html><html><head><title>Kaffeerösterei Elbbohne – Hamburg</title>
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Elbbohne", "url": "https://www.elbbohne.de/"},
  {"@type": ["Organization", "LocalBusiness"], "name": "Elbbohne Kaffeerösterei GmbH",
   "telephone": "+49 40 32 00 55 0",
   "address": {"@type": "PostalAddress", "streetAddress": "Am Sandtorkai 5",
               "postalCode": "20457", "addressLocality": "Hamburg", "addressCountry": "DE"},
   "sameAs": ["https://www.instagram.com/elbbohne", "https://de.linkedin.com/company/elbbohne"]}
]}
</script>
<script type="application/ld+json">{ this block is broken </script>
</head><body>
<nav><a href="/">Start</a> <a href="/shop">Shop</a> <a href="/impressum">Impressum</a>
<a href="/ueber-uns">Über uns</a> <a href="/kontakt#form">Kontakt</a>
<a href="https://www.facebook.com/sharer/sharer.php?u=x">teilen</a>
<a href="https://www.facebook.com/elbbohne/">Facebook</a></nav>
<p>Frisch geröstet in der Speicherstadt. <img src="/img/logo@2x.png" alt=""></p>
<footer><a href="mailto:shop@elbbohne.de?subject=Bestellung">shop@elbbohne.de</a></footer>
</body></html>"""

IMPRESSUM = """<html><body><h1>Impressum</h1>
<p>Elbbohne Kaffeerösterei GmbH<br>Am Sandtorkai 5<br>20457 Hamburg</p>
<p>Telefon: 040 3200550<br>Fax: 040 3200551</p>
<p>E-Mail: info [at] elbbohne [dot] de</p>
<p>Geschäftsführer: Jan Petersen<br>Registergericht: Amtsgericht Hamburg, HRB 123456</p>
<p>USt-IdNr.: DE 136 695 976</p>
<p>Presse: <a href="/cdn-cgi/l/email-protection#d2a2a0b7a1a1b792b7beb0b0bdbabcb7fcb6b7">
[email&#160;protected]</a></p>
</body></html>"""

KONTAKT = """<html><body><address>Elbbohne Kaffeerösterei<br>Am Sandtorkai 5<br>20457 Hamburg</address>
<a href="tel:+49-40-3200550">Anrufen</a></body></html>"""

ROBOTS = "User-agent: *\nDisallow: /intern/\n"


def site(request: httpx.Request) -> httpx.Response:
    pages = {"/": HOME, "/impressum": IMPRESSUM, "/kontakt": KONTAKT, "/robots.txt": ROBOTS}
    body = pages.get(request.url.path)
    if body is None:
        return httpx.Response(404, text="not found")
    kind = "text/plain" if request.url.path.endswith(".txt") else "text/html; charset=utf-8"
    return httpx.Response(200, text=body, headers={"content-type": kind})


def test_read_page_finds_jsonld_mailto_and_socials() -> None:
    facts = read_page(HOME, "https://www.elbbohne.de/", "DE")
    assert facts.name == "Elbbohne Kaffeerösterei GmbH"
    assert facts.emails == ["shop@elbbohne.de"]  # not logo@2x.png
    assert facts.phones == ["+49403200550"]
    assert facts.address == {"address": "Am Sandtorkai 5", "postcode": "20457", "city": "Hamburg",
                             "country": "DE"}
    assert facts.socials == ["https://www.instagram.com/elbbohne",
                             "https://de.linkedin.com/company/elbbohne",
                             "https://www.facebook.com/elbbohne"]  # the share link is not a profile
    assert facts.contact_links == ["https://www.elbbohne.de/impressum",
                                   "https://www.elbbohne.de/ueber-uns",
                                   "https://www.elbbohne.de/kontakt"]


def test_read_page_reads_an_impressum() -> None:
    facts = read_page(IMPRESSUM, "https://www.elbbohne.de/impressum", "DE")
    assert "info@elbbohne.de" in facts.emails  # "info [at] elbbohne [dot] de"
    assert "presse@elbbohne.de" in facts.emails  # Cloudflare's e-mail protection decoded
    assert facts.phones == ["+49403200550"] and facts.fax == ["+49403200551"]
    assert facts.vat == "DE136695976"  # validated by python-stdnum
    assert facts.address == {"address": "Am Sandtorkai 5", "postcode": "20457", "city": "Hamburg"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Mail: sales (at) acme-tools (dot) co (dot) uk", "sales@acme-tools.co.uk"),
    ("write to info{at}lumen.nl", "info@lumen.nl"),
    ("kontakt ＠ beispiel.de", "kontakt@beispiel.de"),
    ("请联系 export AT szled DOT cn 获取报价", "export@szled.cn"),
    ("Mail: contact [put the at sign here] audionerve.de", "contact@audionerve.de"),
])
def test_obfuscated_addresses(text: str, expected: str) -> None:
    assert expected in read_page(f"<p>{text}</p>", "https://x.example/", None).emails


def test_a_joomla_cloak_gives_its_addresses() -> None:
    page = """<p>Mail: <script type='text/javascript'>
     var prefix = 'ma' + 'il' + 'to';
     var addy50889 = '&#105;nf&#111;' + '&#64;';
     addy50889 = addy50889 + '&#97;x&#105;nd' + '&#46;' + '&#105;t';
     document.write(addy50889);
    </script>Questo indirizzo e-mail è protetto dallo spam bot.</p>"""
    assert read_page(page, "http://www.axind.it/contatti.html", "IT").emails == ["info@axind.it"]


def test_beside_the_firms_own_mailboxes_other_domains_are_someone_elses() -> None:
    page = ("<p>Reservations: stay@heathman.com</p><p>Press: Angie, angie@lanepr.com</p>"
            "<p>Trellis restaurant: dining@trellisrestaurant.net</p>")
    assert read_page(page, "https://www.heathman.com/contact", "US").emails == ["stay@heathman.com"]
    alone = "<p>Write to hello@wearev1.com</p>"  # a firm may write from another domain
    assert read_page(alone, "https://www.v1projectaccounting.com/", "GB").emails == [
        "hello@wearev1.com"]


def test_identifiers_in_columns_under_their_labels_are_read() -> None:
    # A registered-office block laid out as a table: a row of labels over a row of values.
    html = ("<html><body><table><tr><td>Registered address</td><td>Registered in England</td>"
            "<td>VAT Registration Number</td></tr><tr><td>643 Watford Way</td><td>6711925</td>"
            "<td>941348131</td></tr></table></body></html>")
    facts = read_page(html, "https://occupa.example.co.uk/contact", "GB")
    assert facts.register == "06711925"
    # A row of values under another row of values is no label row.
    html = ("<html><body><table><tr><td>Order 4711</td><td>Registered in England</td></tr>"
            "<tr><td>6711925</td><td>12 units</td></tr></table></body></html>")
    assert read_page(html, "https://shop.example.co.uk/", "GB").register == ""


def test_an_austrian_vat_number_with_its_u_is_read() -> None:
    page = "<p>Beispiel GmbH, Kärntner Straße 5/3/12, A-1010 Wien<br>UID-Nr.: ATU12345675</p>"
    assert read_page(page, "https://www.beispiel.at/impressum", "AT").vat == "ATU12345675"


def test_a_spanish_firms_bare_tax_number_is_its_vat_number() -> None:
    footer = "<p>Auge Marketing S.L.U. B19275155, C/ Exposición 7, 2C, 19001 Guadalajara</p>"
    assert read_page(footer, "http://www.augemt.com/", "ES").vat == "ESB19275155"
    assert read_page(footer.replace("B19275155", "B19275154"), "http://www.augemt.com/",
                     "ES").vat == ""  # the check character fails
    assert read_page(footer, "http://www.augemt.com/", "GB").vat == ""  # not a Spanish page


def test_hours_and_dates_are_not_phone_numbers_and_a_bracketed_code_is_a_country() -> None:
    page = ("<p>Maandag: 08.00-18.00<br>Zaterdag: 08.00-17.00</p><p>Tel: 0111 - 48 30 00</p>")
    assert read_page(page, "https://www.gijssel.nl/", "NL").phones == ["+31111483000"]
    page = ("<p>26-08-2009 A complete solution</p><p>Hong Kong: Tel ( 852 ) 2572- 1121</p>"
            "<p>Shenzhen: Tel ( 86 ) 755-8266- 2458</p><p>Qingdao: Tel ( 86 ) 0532-8097-1939</p>")
    assert read_page(page, "http://www.axline.com/contactus/", "HK").phones == [
        "+85225721121", "+8675582662458", "+8653280971939"]
    # In the US "(415)" is an area code, not a country's.
    assert read_page("<p>Call (415) 555-0134</p>", "https://a.com/", "US").phones == ["+14155550134"]
    # Ranges of ZIP codes are ten digits in two groups of five, which North America never
    # writes a number as; a number with its country code may be grouped as its writer likes.
    page = ("<table><tr><td>Norfolk</td><td>VA</td><td>23450 - 23479</td></tr></table>"
            "<p>Customer Care: 888.393.5000</p>")
    assert read_page(page, "https://a.com/", "US").phones == ["+18883935000"]
    assert read_page("<p>Tel. +1 415 5550 134</p>", "https://a.com/", "US").phones == [
        "+14155550134"]


@pytest.mark.parametrize(("country", "text", "phones"), [
    # A register or tax number after its label is not a phone, though its digits dial.
    ("RU", "ООО «Пример» ИНН 7714010007 ОГРН 1027700132195<br>Тел.: +7 (499) 222-00-00",
     ["+74992220000"]),
    ("KR", "(주)예시 | 사업자등록번호 : 822-81-00010 | 고객센터 : 1661-8514", ["+8216618514"]),
    ("VN", "Mã số thuế: 0317100003<br>Hotline: 024.5678.0343", ["+842456780343"]),
    # The label decides, not the check digit: a number the register would refuse is still
    # not the firm's phone.
    ("VN", "Mã số thuế: 0317100004<br>Hotline: 024.5678.0343", ["+842456780343"]),
])
def test_a_register_number_after_its_label_is_not_a_phone(country: str, text: str,
                                                          phones: list[str]) -> None:
    assert read_page(f"<p>{text}</p>", "https://firm.example/", country).phones == phones


def test_a_page_of_no_known_country_reads_its_phones_as_its_own_vat_numbers_country() -> None:
    # The firm's own VAT number says where it is, and so how its national numbers dial.
    page = ("<p>Exemple SAS<br>Tél : 01 86 39 01 40<br>5 rue Hans List<br>78290 Croissy sur "
            "Seine<br>Numéro TVA intracommunautaire : FR46 504815721</p>")
    facts = read_page(page, "https://exemple.fr/mentions", None)
    assert (facts.country, facts.phones) == ("FR", ["+33186390140"])
    # And its address in that country's format ("London SW1A 1AA" is no four-digit postcode).
    page = ("<p>Example Ltd<br>12 High Street<br>London SW1A 1AA<br>Tel: 020 7946 0958<br>"
            "VAT Reg No: GB 910 0000 18</p>")
    facts = read_page(page, "https://example.co.uk/contact", None)
    assert (facts.country, facts.phones, facts.address) == (
        "GB", ["+442079460958"], {"address": "12 High Street", "postcode": "SW1A 1AA",
                                  "city": "London"})


def test_numbers_in_other_parties_blocks_are_theirs() -> None:
    # The restaurant and shop next door, each with its own site and mailbox.
    page = ("<p>Secretariaat: telefoon 0111 - 48 30 00, golfclub@grevelingenhout.nl</p>"
            "<p><strong>Golfrestaurant</strong><br>telefoon: 0111 - 48 21 61<br>"
            "website: www.restaurantgrevelingenhout.nl</p>"
            "<p>Golfschool<br>Hans von Burg 06-53 29 98 92<br>hansvonburg@hotmail.com<br>"
            "website: www.golfexpert.nl</p>")
    assert read_page(page, "http://www.grevelingenhout.nl/contact", "NL").phones == [
        "+31111483000"]
    # A member directory: firms that are not the site's, each with its postcode and number.
    members = "".join(
        f"<tr><td>{name}</td></tr><tr><td>{street}<br>{code} {town}<br>Tel: {tel}</td></tr>"
        for name, street, code, town, tel in [
            ("1COMA DOS MIRANDA, S.L", "C/ Condado de Treviño,25", "09200", "Miranda", "630361124"),
            ("ÁBACO INFORMÁTICOS, S.L.", "Gardoquí, 3", "47003", "Valladolid", "983360312"),
            ("ACUAMEDIA 21 SERVICIOS, S.L.", "Paseo del Salón 31", "34002", "Palencia", "979711436"),
            # A neighbour in the owner's business park: its postcode, another street.
            ("Acotec Castilla S.L.U.", "Parque Tec. Boecillo, Ed. Centro Mod. 221", "47151",
             "Boecillo", "983131517")])
    page = (f"<html><head><title>AETICAL</title></head><body><table>{members}</table><p>Parque "
            "Tecnológico de Boecillo, Edificio CEEi of.2,<br>47151 Boecillo<br>Tel.: (+34) 983 "
            "305 022</p></body></html>")
    assert read_page(page, "http://www.aetical.com/", "ES").phones == ["+34983305022"]
    # Not a directory: a firm's own offices, each with its postcode and number, stay its own.
    offices = ("<p>Auxadi S.A.<br>Av. Aragón 330 ; 28022 MADRID<br>Tel: +34 91 562 51 52</p>"
               "<p>Auxadi France S.A.R.L<br>45, rue Villeneuve<br>94573 RUNGIS CEDEX<br>"
               "Tel : + 33 01 41 73 54 41</p>")
    assert read_page(offices, "http://www.auxadi.com/", "ES").phones == [
        "+34915625152", "+33141735441"]


LEGAL_NOTICES = {
    # The host's block under its own heading; a French notice's SIRET and RCS.
    "FR": ("https://www.exemple-sarl.fr/mentions-legales",
           "<h1>Mentions légales</h1><p>Le site est édité par Exemple SARL au capital de 10 000 "
           "€<br>Siège social : 12 rue de la Paix, 75002 Paris<br>RCS Paris B 732 829 320<br>"
           "SIRET : 732 829 320 00074<br>Tél. : 01 42 68 53 00 – Fax : 01 42 68 53 01</p>"
           "<h2>Hébergement</h2><p>OVH SAS, 2 rue Kellermann, 59100 Roubaix, France. "
           "Tél : 09 72 10 10 07</p>",
           {"address": "12 rue de la Paix", "postcode": "75002", "city": "Paris"},
           ["+33142685300"]),
    # An Italian VAT number reads as a landline to libphonenumber: its label says otherwise.
    "IT": ("https://www.esempio.it/note-legali",
           "<p>Esempio S.r.l. – Sede legale: Via Roma 10, 20121 Milano (MI)<br>P.IVA "
           "01234567890 – C.F. 01234567890<br>Tel. +39 02 1234567</p>",
           {"address": "Via Roma 10", "postcode": "20121", "city": "Milano"},
           ["+39021234567"]),
    # A footer's one long paragraph, read a sentence at a time; the registered office.
    "GB": ("https://www.example-ltd.co.uk/contact",
           "<footer><p>Example Trading Ltd, Registered office: Unit 4, Riverside Park, Station "
           "Road, Leeds LS11 5QR. Registered in England and Wales No. 04567890. VAT No. "
           "GB 123 4567 89. Tel: 0113 496 0123</p></footer>",
           {"address": "Unit 4, Riverside Park, Station Road", "postcode": "LS11 5QR",
            "city": "Leeds"}, ["+441134960123"]),
    # The address inside a sentence, after the words that introduce it.
    "ES": ("https://www.ejemplo.es/aviso-legal",
           "<h1>Aviso legal</h1><p>Titular: Ejemplo Soluciones S.L., con CIF B19275155 y "
           "domicilio en Calle Mayor 5, 2º B, 28013 Madrid.<br>Teléfono: 912 345 678.</p>",
           {"address": "Calle Mayor 5, 2º B", "postcode": "28013", "city": "Madrid"},
           ["+34912345678"]),
}


@pytest.mark.parametrize("country", sorted(LEGAL_NOTICES))
def test_a_legal_notice_gives_the_owners_address_and_numbers(country: str) -> None:
    url, html, address, phones = LEGAL_NOTICES[country]
    facts = read_page(f"<html><body>{html}</body></html>", url, country)
    assert (facts.address, facts.phones) == (address, phones)


def test_words_around_at_are_not_addresses() -> None:
    page = "<p>Meet us at Berlin. We are at home at 5 p.m. Visit www.acme.de today.</p>"
    assert read_page(page, "https://www.acme.de/", "DE").emails == []


def test_fetch_site_reads_home_and_contact_pages_and_keeps_each_page(serve: Serve) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return site(request)

    obs = fetch_site(serve(handler), "www.elbbohne.de", "DE")
    assert obs.source == "website" and obs.reference == "https://www.elbbohne.de/"
    assert obs.fields["email"] == "shop@elbbohne.de"
    assert obs.fields["vat"] == "DE136695976" and obs.fields["city"] == "Hamburg"
    assert obs.fields["company_number"] == "Hamburg HRB 123456"  # the imprint's register
    assert "https://www.instagram.com/elbbohne" in obs.fields["profiles"]
    # Impressum and Kontakt are preferred over "Über uns"; robots.txt is read once.
    assert seen[:2] == ["/robots.txt", "/"] and sorted(seen[2:]) == ["/impressum", "/kontakt"]
    pages = {p["url"]: p for p in obs.raw["pages"]}
    assert pages["https://www.elbbohne.de/impressum"]["vat"] == "DE136695976"
    assert "info@elbbohne.de" in pages["https://www.elbbohne.de/impressum"]["emails"]


@pytest.mark.parametrize(("url", "phones", "address"), [
    # With no VAT number on the page, a country-code domain says where the firm is.
    ("https://example.co.uk/contact", ["+442079460958"],
     {"address": "12 High Street", "postcode": "SW1A 1AA", "city": "London"}),
    # A generic domain, or one sold to anyone (.io), says nothing.
    ("https://example.com/contact", [], {}),
    ("https://example.io/contact", [], {}),
])
def test_a_page_of_no_known_country_reads_as_its_domains_country(
        url: str, phones: list[str], address: dict[str, str]) -> None:
    page = "<p>Example Ltd<br>12 High Street<br>London SW1A 1AA<br>Tel: 020 7946 0958</p>"
    facts = read_page(page, url, None)
    assert (facts.phones, facts.address, facts.country) == (phones, address, "")



def test_a_page_of_no_known_country_reads_as_the_country_its_address_ends_with() -> None:
    # A supplier's .com page: its address names its country last, and its numbers and
    # address are read in that country's formats (the lead's country is not set by it).
    facts = read_page("<p>Add: No. 1688 Changyang Road, Yangpu District, Shanghai 200090, "
                      "China</p><p>Tel: 0086-21-6543 2100</p>", "https://www.example.com/", None)
    assert facts.phones == ["+862165432100"]
    assert facts.address == {"address": "No. 1688 Changyang Road, Yangpu District",
                             "postcode": "200090", "city": "Shanghai"}
    assert facts.country == ""
    # A list of places is no address: no number before the country's name.
    assert read_page("<p>Offices in London, Paris, Germany</p><p>Tel: 0086-21-6543 2100</p>",
                     "https://www.example.com/", None).phones == []


def test_a_vat_number_without_its_prefix_reads_as_the_domains_country() -> None:
    # "VAT Registration No: 910000018" on a .co.uk site is a British number if Britain's check
    # passes, and then the page's own number says the firm is British.
    page = "<p>Example Ltd, 12 High Street, London SW1A 1AA. VAT Registration No: 910000018</p>"
    facts = read_page(page, "https://example.co.uk/", None)
    assert (facts.vat, facts.country) == ("GB910000018", "GB")
    assert read_page(page, "https://example.com/", None).vat == ""


@pytest.mark.parametrize(("page", "phones", "address"), [
    # A North American town, state and postcode on a generic domain: numbers dial there.
    ("<p>Example Inc.<br>12760 Earhart Avenue<br>Auburn, CA 95602<br>Phone: (530) 401-7099</p>",
     ["+15304017099"], {"address": "12760 Earhart Avenue", "postcode": "95602",
                        "city": "Auburn"}),
    ("<p>Example Ltd.<br>2002 Cavendish Drive<br>Burlington, ON L7P 1Y7<br>Tel: 905-616-5509</p>",
     ["+19056165509"], {"address": "2002 Cavendish Drive", "postcode": "L7P 1Y7",
                        "city": "Burlington"}),
    # Two capitals and five digits that are no state's: nothing to go by.
    ("<p>Exemple<br>5 rue de la Paix<br>Paris, FR 75008<br>Tél : 01 86 39 01 40</p>", [], {}),
    # A number written as North America writes it, with no address at all.
    ("<p>Example Productions<br>Call 800-330-8247, Mon-Fri</p>", ["+18003308247"], {}),
    ("<p>Example Studio<br>Phone (206) 588-2075</p>", ["+12065882075"], {}),
    # Three, three and four digits between spaces: an Italian mobile as often as not.
    ("<p>Esempio<br>Cell. 347 123 4567</p>", [], {}),
    # A Dutch postcode, four digits and two letters, then the town.
    ("<p>Voorbeeld B.V.<br>Valkenburgerstraat 103<br>1011 MH Amsterdam<br>Tel. 020 - 624 47 "
     "80</p>", ["+31206244780"], {"address": "Valkenburgerstraat 103", "postcode": "1011 MH",
                                  "city": "Amsterdam"}),
])
def test_a_page_of_no_known_country_on_a_generic_domain_is_placed_by_its_own_writing(
        page: str, phones: list[str], address: dict[str, str]) -> None:
    facts = read_page(page, "https://example.com/contact", None)
    assert (facts.phones, facts.address) == (phones, address)


def test_a_site_of_no_known_country_reads_every_page_as_its_notices_country(serve: Serve) -> None:
    # The home page has the phone; only the legal notice says where the firm is.
    pages = {"/": "<p>Appelez-nous : 01 86 39 01 40</p><a href='/mentions-legales'>Mentions "
                  "légales</a>",
             "/mentions-legales": "<p>Exemple SAS, 5 rue Hans List, 78290 Croissy sur Seine</p>"
                                  "<p>TVA intracommunautaire : FR46 504815721</p>"}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        body = pages.get(request.url.path)
        return httpx.Response(200, html=f"<html><body>{body}</body></html>") if body \
            else httpx.Response(404)

    obs = fetch_site(serve(handler), "https://www.exemple.fr/", None)
    assert (obs.fields["country"], obs.fields.get("phone")) == ("FR", "+33186390140")


@pytest.mark.parametrize(("encoding", "declared", "page", "country", "city"), [
    # Declared in the page only, as many Chinese, Japanese and older European sites do; a
    # "gb2312" page holds characters only GBK has, and browsers read it as GBK.
    ("gbk", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
     "<p>深圳市鎔鑫科技有限公司</p><p>地址：广东省深圳市南山区科技园路1号</p>", "CN", "深圳市"),
    ("shift_jis", '<meta charset="Shift_JIS">',
     "<p>株式会社テスト</p><p>〒100-0005 東京都千代田区丸の内1-1-1</p>", "JP", "千代田区"),
    ("cp1252", '<meta charset="iso-8859-1">',
     "<p>Müller Kältetechnik GmbH</p><p>Königstraße 5<br>70173 Stuttgart</p>", "DE", "Stuttgart"),
    # Declared nowhere: the bytes say which.
    ("utf-8", "", "<p>Müller Kältetechnik GmbH</p><p>Königstraße 5<br>70173 Stuttgart</p>", "DE",
     "Stuttgart"),
    ("cp1252", "", "<p>Wir liefern Kälteanlagen für Bäckereien, Großküchen und Märkte.</p>"
                   "<p>Müller Kältetechnik GmbH</p><p>Königstraße 5<br>70173 Stuttgart</p>", "DE",
     "Stuttgart"),
], ids=["gbk-declared-gb2312", "shift_jis-declared", "latin1-declared", "utf8-bare", "cp1252-bare"])
def test_a_page_is_read_in_the_encoding_it_declares_or_shows(
        serve: Serve, encoding: str, declared: str, page: str, country: str, city: str) -> None:
    html = f"<html><head>{declared}</head><body>{page}</body></html>".encode(encoding)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        # The server names no charset: only the page (or nothing) does.
        return httpx.Response(200, content=html, headers={"content-type": "text/html"})

    obs = fetch_site(serve(handler), "https://www.example.com/", country)
    assert obs.fields.get("city") == city, obs.fields
    assert "\ufffd" not in json.dumps(obs.raw, ensure_ascii=False)


def _home_elsewhere(home: httpx.Response) -> Callable[[httpx.Request], httpx.Response]:
    """A site whose home answers ``home`` and whose contact page is /de/kontakt.html."""
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/robots.txt":
            return httpx.Response(404)
        if path == "/":
            return home
        if path == "/de/":
            return httpx.Response(200, text='<a href="kontakt.html">Kontakt</a>',
                                  headers={"content-type": "text/html; charset=utf-8"})
        if path == "/de/kontakt.html":
            return httpx.Response(200, text="<p>Schreiben Sie an info@elbbohne.de</p>",
                                  headers={"content-type": "text/html; charset=utf-8"})
        return httpx.Response(404)
    return handler


@pytest.mark.parametrize("home", [
    # The home redirects; its links are relative to where it ended up.
    httpx.Response(301, headers={"location": "/de/"}),
    # Older sites send the visitor on with a refresh in the page, not a redirect.
    httpx.Response(200, text='<html><head><meta http-equiv="refresh" content="0; URL=/de/">'
                             '</head><body></body></html>',
                   headers={"content-type": "text/html"}),
    # A base address says what the page's relative links are relative to.
    httpx.Response(200, text='<html><head><base href="https://www.elbbohne.de/de/"></head>'
                             '<body><a href="kontakt.html">Kontakt</a></body></html>',
                   headers={"content-type": "text/html"}),
], ids=["redirect", "meta-refresh", "base-href"])
def test_a_home_that_sends_the_visitor_on_is_followed(serve: Serve, home: httpx.Response) -> None:
    obs = fetch_site(serve(_home_elsewhere(home)), "https://www.elbbohne.de/", "DE")
    assert obs.fields.get("email") == "info@elbbohne.de", obs.raw


@pytest.mark.parametrize(("href", "text"), [
    ("/fale-conosco", "Fale conosco"), ("/contato", "Contato"), ("/quem-somos", "Quem somos"),
    ("/empresa/quienes-somos", "Quiénes somos"), ("/nosotros", "Nosotros"),
    ("/a-propos", "À propos"), ("/societe", "Qui sommes-nous ?"), ("/dove-siamo", "Dove siamo"),
    ("/azienda", "Chi siamo"), ("/over", "Over ons"), ("/iletisim", "İletişim"),
    ("/hakkimizda", "Hakkımızda"), ("/bize-ulasin", "Bize Ulaşın"), ("/o-kompanii", "О компании"),
    ("/svyaz", "Связаться с нами"), ("/o-nas", "O nas"), ("/lien-he", "Liên hệ"),
    ("/hubungi-kami", "Hubungi Kami"), ("/tentang", "Tentang Kami"),
    ("/%E8%81%AF%E7%B5%A1%E6%88%91%E5%80%91", "聯絡我們"), ("/about", "關於我們"),
    ("/inquiry", "問い合わせ"), ("/company", "회사소개"), ("/contact-us", "연락처"),
    ("/ar/contact", "اتصل بنا"), ("/th/contact", "ติดต่อเรา"), ("/anfahrt", "Anfahrt"),
    ("/localizacion.php?id_menu=6", "Localización"),
])
def test_contact_and_about_pages_are_found_in_the_languages_of_our_markets(
        href: str, text: str) -> None:
    page = f'<html><body><a href="{href}">{text}</a></body></html>'
    assert read_page(page, "https://www.example.com/", None).contact_links == [
        "https://www.example.com" + href]


def test_a_careers_page_is_no_contact_page() -> None:
    page = '<a href="/curriculums.php">Trabaja con nosotros</a>'  # "work with us"
    assert read_page(page, "https://www.example.es/", "ES").contact_links == []


def test_a_contact_page_is_read_before_an_about_page(serve: Serve) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        links = ('<a href="/hakkimizda">Hakkımızda</a> <a href="/urunler">Ürünler</a> '
                 '<a href="/referanslar">Referanslar</a> <a href="/iletisim">İletişim</a>')
        return httpx.Response(200, text=f"<html><body>{links}</body></html>",
                              headers={"content-type": "text/html; charset=utf-8"})

    with contextlib.suppress(FetchError):
        fetch_site(serve(handler), "https://www.example.com.tr/", "TR")
    assert seen[2] == "/iletisim"


@pytest.mark.parametrize(("written", "email"), [
    ("contact [arobase] societe [point] fr", "contact@societe.fr"),  # French
    ("info arroba empresa punto es", "info@empresa.es"),  # Spanish
    ("info (chiocciola) azienda (punto) it", "info@azienda.it"),  # Italian
    ("contato arroba empresa ponto com ponto br", "contato@empresa.com.br"),  # Portuguese
    ("sales#company.com.cn", "sales@company.com.cn"),  # Chinese sites: "replace # with @"
    ("sales(#)company.com", "sales@company.com"),
    ("info @ firma . de", "info@firma.de"),
])
def test_an_address_written_to_fool_harvesters_in_our_markets_words_is_read(
        written: str, email: str) -> None:
    page = f"<html><body><p>Kontakt: {written}</p></body></html>"
    assert read_page(page, "https://www.example.com/", None).emails == [email]


def test_a_hash_in_a_link_or_a_hashtag_is_no_address() -> None:
    page = ('<p>See <a href="/faq#shipping">FAQ</a>, page.html#top.section and '
            "#madeinchina.</p>")
    assert read_page(page, "https://www.example.com/", None).emails == []


def test_robots_txt_is_honoured(serve: Serve) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /\n")
        raise AssertionError(f"fetched {request.url} against robots.txt")

    with pytest.raises(FetchError, match="robots"):
        fetch_site(serve(handler), "https://www.elbbohne.de/", "DE")


def test_marketplace_pages_are_not_fetched_as_a_site(serve: Serve) -> None:
    with pytest.raises(FetchError, match="not a company web site"):
        fetch_site(serve(site), "https://www.facebook.com/elbbohne", "DE")


def test_enrich_folds_the_site_into_the_lead(serve: Serve, book: LeadBook) -> None:
    ingest(book, [Observation("osm", "n1", {"name": "Elbbohne", "website": "https://www.elbbohne.de",
                                           "country": "DE"}),
                 Observation("osm", "n2", {"name": "Dead Link Coffee", "website": "dead.example.de",
                                           "country": "DE"})])
    ids = [lead["id"] for lead in book.leads()]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "dead.example.de":
            return httpx.Response(500, text="oops")
        return site(request)

    report = enrich(book, serve(handler), ids)
    assert (report.sites, report.read) == (2, 1)
    # A server that cannot give its robots.txt (HTTP 500) is not read at all (RFC 9309).
    assert report.failed == [(ids[1], "https://dead.example.de/: robots.txt unavailable "
                                      "(HTTP 500): not fetched, as RFC 9309 asks")]
    lead = book.lead(ids[0])
    assert lead["email"] == "shop@elbbohne.de" and lead["vat"] == "DE136695976"
    assert sorted(lead["sources"]) == ["osm", "website"]
    assert len(list(book.leads())) == 2  # folded into the lead, not a new one
    again = enrich(book, serve(handler), ids)
    assert again.read == 1 and len(list(book.observations(ids[0]))) == 2  # idempotent


def test_enrich_command_against_a_local_site(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             cli_no_waiting: None) -> None:
    from http.server import BaseHTTPRequestHandler

    from conftest import LOCAL_NAMES, serving
    from test_cli import run

    class Site(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            response = site(httpx.Request("GET", f"http://local{self.path}"))
            self.send_response(response.status_code)
            self.send_header("Content-Type", response.headers["content-type"])
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

    LOCAL_NAMES.add("www.elbbohne.de")  # the lead's site, served from this machine
    with serving(Site) as httpd:
        leads = tmp_path / "leads.csv"
        leads.write_text(f"name,website,country\nElbbohne,http://www.elbbohne.de:{httpd.server_address[1]}/,"
                         "DE\n")
        assert run(capsys, "--book", str(tmp_path / "guarded.db"), "import", str(leads))[0] == 0
        code, _, err = run(capsys, "--book", str(tmp_path / "guarded.db"), "enrich", "--all")
        assert "read 0 of 1" in err and "local or private address (127.0.0.1)" in err
        # A self-hosted site on this machine, allowed on purpose.
        monkeypatch.setenv("PROSPECT_ALLOW_NETWORKS", "127.0.0.0/8")
        leads.write_text(f"name,website,country\nElbbohne,http://www.elbbohne.de:{httpd.server_address[1]}/,"
                         "DE\nNo Site Yet,,DE\n")
        assert run(capsys, "import", str(leads))[0] == 0
        code, _, err = run(capsys, "enrich", "--all")
        assert code == 0 and "read 1 of 1 web sites" in err
        _, out, _ = run(capsys, "show", "1", "--json")
        shown = json.loads(out)
        assert shown["lead"]["email"] == "shop@elbbohne.de"
        assert shown["lead"]["vat"] == "DE136695976"
        assert {o["source"] for o in shown["observations"]} == {"import:leads.csv", "website"}
        # Each value says which page of the site it was read from.
        _, table, _ = run(capsys, "show", "1")
        rows = {line.split("\t")[0]: line.split("\t") for line in table.splitlines()}
        assert rows["vat"][2].endswith("/impressum)")
        assert rows["company_number"][1] == "HAMBURGHRB123456"  # the register's id, compact
        assert run(capsys, "enrich", "99")[0] == 4  # unknown lead


def test_pages_on_this_machine_or_behind_userinfo_are_refused() -> None:
    """Server-side request forgery: what a stranger's URL may make prospect fetch."""
    from http.server import BaseHTTPRequestHandler

    from conftest import serving

    from prospect.http import FetchError, make_http
    from prospect.normalize import registered_domain

    hits: list[str] = []

    class Internal(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            hits.append(self.path)
            if self.path.startswith("/hop"):
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.1:{port}/admin")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b"<p>admin@internal.example</p>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    http = make_http(cache=False)
    with serving(Internal) as httpd, contextlib.closing(http):
        port = httpd.server_address[1]
        sneaky = f"http://shop-example.com:80@127.0.0.1:{port}/admin"
        assert registered_domain(sneaky) is None  # the normaliser reads no domain into it
        with pytest.raises(FetchError, match="user name or password"):
            http.get(sneaky, interval=0.0, robots=True)
        with pytest.raises(FetchError, match="local or private"):
            http.get(f"http://127.0.0.1:{port}/admin", interval=0.0, robots=True)
        with pytest.raises(FetchError, match="local or private"):
            http.get("http://169.254.169.254/latest/meta-data/", interval=0.0, robots=True)
        with pytest.raises(FetchError, match="local or private"):
            http.get(f"http://[::ffff:127.0.0.1]:{port}/", interval=0.0, robots=True)
        assert hits == []
        # Allowed on purpose, a redirect to this machine is checked again: allowed here too.
        allowed = make_http(cache=False)
        allowed.allow = []
        guarded = make_http(cache=False)
        guarded.allow = [__import__("ipaddress").ip_network("127.0.0.1/32")]
        guarded.resolve = lambda host, p: [(0, 0, 0, "", ("203.0.113.9", p))]
        assert guarded.get(f"http://127.0.0.1:{port}/hop", interval=0.0, robots=True).text
        assert hits[-1] == "/admin"
        allowed.close()
        guarded.close()


def test_a_redirect_to_this_machine_and_keys_across_origins(serve: Serve) -> None:
    from prospect.http import FetchError

    seen: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.headers.get("x-subscription-token")))
        if request.url.host == "api.search.example":
            return httpx.Response(302, headers={"Location": "https://elsewhere.example/collect"})
        if request.url.host == "shop.example":
            return httpx.Response(302, headers={"Location": "http://127.0.0.1/admin"})
        return httpx.Response(200, text="ok")

    http = serve(handler)
    http.resolve = lambda host, port: [(0, 0, 0, "", ("203.0.113.7", port))]
    assert http.get("https://api.search.example/q", interval=0.0,
                    headers={"X-Subscription-Token": "secret"}).text == "ok"
    assert seen == [("api.search.example", "secret"), ("elsewhere.example", None)]
    with pytest.raises(FetchError, match="local or private"):
        http.get("https://shop.example/", interval=0.0, robots=True)


def test_fax_numbers_and_vat_numbers_in_the_wording_imprints_use() -> None:
    from prospect.sources.websites import read_page

    html = """<html><body><footer>
    <p>Elbbohne GmbH<br>Speicherstadt 1<br>20457 Hamburg</p>
    <p>Tel.: +49 40 3861 2741<br>Fax: +49 40 3861 2742</p>
    <p>Umsatzsteuer-Identifikationsnummer gemäß §27 a Umsatzsteuergesetz: DE 136 695 976</p>
    </footer></body></html>"""
    facts = read_page(html, "https://www.elbbohne.de/impressum", "DE")
    assert facts.phones == ["+494038612741"] and facts.fax == ["+494038612742"]
    assert facts.vat == "DE136695976"
    swiss = read_page("<p>Goodform AG, UID: CHE-116.281.710 MWST</p>", "https://goodform.ch/", "CH")
    assert swiss.vat == "CHE116281710"
    uk = read_page("<p>Registered in England. VAT Registration No: 927547983</p>",
                   "https://v1.co.uk/", "GB")
    assert uk.vat == "GB927547983"
    dutch = read_page("<p>KvK: 22045995 BTW: NL.8521.20.898.B01</p>", "https://gijssel.nl/", "NL")
    assert dutch.vat == "NL852120898B01"
    italian = read_page("<p>Partita I.V.A. e Codice Fiscale  04236760155</p>",
                        "https://www.esempio.it/", "IT")
    assert italian.vat == "IT04236760155"
    # Poland's NIP, Czechia's DIČ and Portugal's NIPC are their VAT numbers.
    for text, country, vat in [("NIP: 774-000-14-54", "PL", "PL7740001454"),
                               ("DIČ: CZ25578529", "CZ", "CZ25578529"),
                               ("NIPC: 502604549", "PT", "PT502604549"),
                               # Greece's ΑΦΜ and Romania's CUI too, Croatia's OIB; and the
                               # VAT numbers' own names in Hungary and Lithuania.
                               ("ΑΦΜ: 094014201, ΔΟΥ: ΦΑΕ Αθηνών", "GR", "EL094014201"),
                               ("Α.Φ.Μ. 094014201", "GR", "EL094014201"),
                               ("CUI: RO1590082, Nr. Reg. Com.: J40/1234/2005", "RO",
                                "RO1590082"),
                               ("Cod fiscal 1590082", "RO", "RO1590082"),
                               ("OIB: 33392005961", "HR", "HR33392005961"),
                               ("Közösségi adószám: HU12892312", "HU", "HU12892312"),
                               ("PVM kodas: LT100001919017", "LT", "LT100001919017")]:
        assert read_page(f"<p>{text}</p>", "https://firm.example/", country).vat == vat


def test_schema_org_geo_gives_the_lead_its_position() -> None:
    from prospect.sources.websites import _merge, read_page

    html = """<script type="application/ld+json">{"@context": "https://schema.org",
      "@type": "LocalBusiness", "name": "Elbbohne", "telephone": "+49 40 3200550",
      "geo": {"@type": "GeoCoordinates", "latitude": 53.5437641, "longitude": "9.9880"}}
    </script>"""
    facts = read_page(html, "https://www.elbbohne.de/", "DE")
    assert facts.position == ("53.543764", "9.988")
    fields = _merge([facts], "https://www.elbbohne.de/", "DE")
    assert (fields["latitude"], fields["longitude"]) == ("53.543764", "9.988")


def test_a_lead_of_no_known_country_takes_the_country_its_own_numbers_are_of() -> None:
    from prospect.sources.websites import _merge, read_page

    for text, country in (("CVR-nr.: 10123453", "DK"), ("USt-IdNr.: DE136695976", "DE"),
                          ("Registergericht: Amtsgericht München, HRB 12345", "DE"),
                          ("Goodform AG, UID: CHE-116.281.710 MWST", "CH"),
                          ("Company No. 08418945 (England and Wales)", "GB")):
        facts = read_page(f"<p>{text}</p>", "https://firm.example/", None)
        assert _merge([facts], "https://firm.example/", None)["country"] == country
    # The country the caller knows stands; a page with no number names none.
    facts = read_page("<p>CVR-nr.: 10123453</p>", "https://firm.example/", "SE")
    assert _merge([facts], "https://firm.example/", "SE")["country"] == "SE"
    facts = read_page("<p>Call us</p>", "https://firm.example/", None)
    assert "country" not in _merge([facts], "https://firm.example/", None)


@pytest.mark.parametrize(("country", "url", "whose"), [
    ("SK", "https://firm.example/", "SK"), ("CZ", "https://firm.example/", "CZ"),
    (None, "https://www.firm.sk/", "SK"), (None, "https://firm.example/", "")])
def test_a_register_two_countries_label_alike_is_the_pages_countrys(
        country: str | None, url: str, whose: str) -> None:
    # Czechia and Slovakia both write "IČO" before eight digits with the same check digit:
    # a Slovak firm's page is not a Czech firm's, and with nothing to tell, neither.
    facts = read_page("<p>Obchodná 2, 811 06 Bratislava</p><p>IČO: 35757442</p>", url, country)
    assert (facts.register, facts.country) == ("35757442", whose)


def test_a_contact_page_keeps_a_mailbox_for_each_department() -> None:
    from prospect.sources.websites import read_page

    departments = ["sales", "support", "billing", "bulksales", "bizsales", "govsales", "press",
                   "jobs", "returns", "web"]
    html = "".join(f'<p><a href="mailto:{d}@bluedog.example.com">{d}@bluedog.example.com</a></p>'
                   for d in departments)
    facts = read_page(html, "https://bluedog.example.com/contact", "US")
    assert facts.emails == [f"{d}@bluedog.example.com" for d in departments]


@pytest.mark.parametrize("html", [
    # The shapes of real contact pages (bench/sites): a label and its number in separate
    # elements, a lone letter before the number, an icon whose alternative text is the label.
    "<p>Tel: <strong>020 7433 3338</strong><br>Fax: <strong>020 7438 7778</strong></p>",
    "<p><strong>Office:</strong> 020 7433 3338 <strong>Fax:</strong> 020 7438 7778</p>",
    "<table><tr><td><b>Local:</b></td><td><b>020 7433 3338</b></td></tr>"
    "<tr><td><b>Fax:</b></td><td><b>020 7438 7778</b></td></tr></table>",
    "<p>T 020 7433 3338<br>F 020 7438 7778</p>",
    '<p><img src="tel.png" alt="Telefoon: "> 020 7433 3338 '
    '<img src="fax.png" alt="Fax: "> <span>020 7438 7778</span></p>',
])
def test_a_fax_labelled_beside_or_above_its_number_is_a_fax(html: str) -> None:
    facts = read_page(f"<html><body>{html}</body></html>", "https://firm.example/contact", "GB")
    assert facts.fax == ["+442074387778"]
    assert facts.phones == ["+442074333338"]


@pytest.mark.parametrize(("line", "country", "phone", "fax"), [
    # A hotline after the fax on one line: the nearest label before a number is its label.
    ("电话：+86-21-5080 1234　传真：+86-21-5080 1235　全国服务热线：400-820-1234", "CN",
     ["+862150801234", "+864008201234"], ["+862150801235"]),
    ("Télécopie : 01 42 68 53 01 — Tél. : 01 42 68 53 00", "FR", ["+33142685300"], ["+33142685301"]),
    ("Fax 91 555 12 35, Hotline 91 555 12 34", "ES", ["+34915551234"], ["+34915551235"]),
])
def test_every_label_of_a_line_says_what_the_number_after_it_is(
        line: str, country: str, phone: list[str], fax: list[str]) -> None:
    facts = read_page(f"<html><body><footer><p>{line}</p></footer></body></html>",
                      "https://firm.example/", country)
    assert facts.phones == phone and facts.fax == fax


def test_a_label_above_counts_only_when_it_stands_alone() -> None:
    html = ("<p>Send us a fax or call</p><p>020 7433 3338</p>"
            "<p>Fax:</p><p>Opening hours: Mon-Fri</p><p>020 7438 7778</p>")
    facts = read_page(html, "https://firm.example/contact", "GB")
    assert facts.fax == []  # a sentence mentioning fax, or a label two lines up, is no label
    assert sorted(facts.phones) == ["+442074333338", "+442074387778"]


@pytest.mark.parametrize(("lines", "country", "address"), [
    # Postcodes as each country writes them (Google's address data): the Dutch letters stay
    # with the postcode, not the town.
    (["Oudendijk 3", "4311 NA Bruinisse"], "NL",
     {"address": "Oudendijk 3", "postcode": "4311 NA", "city": "Bruinisse"}),
    (["Hauptstraße 5", "D-10115 Berlin"], "DE",
     {"address": "Hauptstraße 5", "postcode": "10115", "city": "Berlin"}),
    (["12760 Earhart Avenue", "Auburn, CA 95602"], "US",
     {"address": "12760 Earhart Avenue", "postcode": "95602", "city": "Auburn"}),
    (["20533 Biscayne Blvd", "Suite 4-1136", "Aventura, FL 33180"], "US",
     {"address": "20533 Biscayne Blvd, Suite 4-1136", "postcode": "33180", "city": "Aventura"}),
    (["250 Finchley Road", "London NW3 6DN"], "GB",
     {"address": "250 Finchley Road", "postcode": "NW3 6DN", "city": "London"}),
    (["Hafenstraße 12", "20457 Hamburg"], None,  # no country: digits, then the town
     {"address": "Hafenstraße 12", "postcode": "20457", "city": "Hamburg"}),
    # On one line, between commas (a page footer), a country's name after it.
    (["Golfbaan Grevelingenhout, Oudendijk 3, 4311 NA Bruinisse, Nederland"], "NL",
     {"address": "Oudendijk 3", "postcode": "4311 NA", "city": "Bruinisse"}),
    (["Mailing: 2701 California Ave SW #217, Seattle, WA 98116"], "US",
     {"address": "2701 California Ave SW #217", "postcode": "98116", "city": "Seattle"}),
])
def test_an_address_is_read_in_its_countrys_own_format(lines: list[str], country: str | None,
                                                       address: dict[str, str]) -> None:
    html = "<html><body><p>" + "<br>".join(lines) + "</p></body></html>"
    assert read_page(html, "https://firm.example/contact", country).address == address


@pytest.mark.parametrize(("html", "country"), [
    # A British phone's area code read as a ZIP, the label before it as the town.
    ("<p>PO BOX 377, Sittingbourne, Kent, ME9 7BZ</p><p>Phone<br>01634 123456</p>", "US"),
    ("<p>Unit 3, Example Park<br>Tel: 01625 856 500</p>", "US"),
    # A share price in a ticker beside the contact block.
    ("<p>Toll Free: 1 (800) 336-8606<br>TSX (^GSPTSE) $12677.18 -68.20</p>", "US"),
    # A state alone before the ZIP is no town.
    ("<p>5 Example Circle SE Leesburg<br>VA 20175</p>", "US"),
    # Five digits with no state before them: a reference, not a ZIP.
    ("<p>Civic Center Green Building<br>Brasada Residential Project - TTM 70583</p>", "US"),
    # A date's day and month before its year reads like a street over a postcode and town.
    ("<p>Posted on<br>May 30<br>2014 for our customers</p>", None),
    ("<p>Newsletter<br>February 1<br>2003 Issue</p>", None),
    # A sum and its currency read like a postcode and a town.
    ("<p>1000 zł<br>1500 zł</p>", None),
    ("<p>12 Hauptstraße<br>1500 Kč</p>", None),
    # A rate and its unit.
    ("<p>768 Kbit/s<br>1024 Kbit/s</p>", None),
])
def test_labels_prices_and_states_are_no_towns(html: str, country: str | None) -> None:
    assert read_page(html, "https://example.com/", country).address == {}


def test_a_suite_line_alone_is_no_address() -> None:
    html = "<p>Call us</p><p>Suite 12101</p><p>Farmington, NM 87401</p>"
    assert read_page(html, "https://firm.example/contact", "US").address == {}


@pytest.mark.parametrize(("html", "country", "address"), [
    # Inline elements run on in their line: a town, a state and a ZIP code in spans.
    ("<p>2730 Wilshire Blvd., Suite 320 <span>Santa Monica</span><span>,</span> "
     "<span>CA</span> <span>90403</span></p>", "US",
     {"address": "2730 Wilshire Blvd., Suite 320", "postcode": "90403", "city": "Santa Monica"}),
    # A footer's parts between pipes; the country after the ZIP code.
    ("<p>sales@firm.example | phone: 510-440-1800 | 4120 Clipper Court, Fremont CA 94538 USA"
     "</p>", "US", {"address": "4120 Clipper Court", "postcode": "94538", "city": "Fremont"}),
    # The state on the town's line, the ZIP code on a line of its own.
    ("<p>Longo Lab Design<br>100 Hilltop Road<br>Ramsey, NJ<br>07446</p>", "US",
     {"address": "100 Hilltop Road", "postcode": "07446", "city": "Ramsey"}),
    # A suite's number is not a ZIP code.
    ("<p>4801 N. Butler Ave<br>Suite 12101<br>Farmington, NM 87401</p>", "US",
     {"address": "4801 N. Butler Ave, Suite 12101", "postcode": "87401", "city": "Farmington"}),
    # British lines: a building's name above the street, a district between street and town,
    # the firm's name above them all left out.
    ("<p>Label Works Ltd<br>Wilbraham House<br>Unit 2 Alvaston Business Park<br>"
     "Middlewich Road<br>Nantwich<br>CW5 6PF</p>", "GB",
     {"address": "Wilbraham House, Unit 2 Alvaston Business Park, Middlewich Road",
      "postcode": "CW5 6PF", "city": "Nantwich"}),
    ("<p>International House<br>1-6 Yarmouth Place<br>Mayfair<br>London<br>W1J 7BU</p>", "GB",
     {"address": "International House, 1-6 Yarmouth Place, Mayfair", "postcode": "W1J 7BU",
      "city": "London"}),
    # The firm's name first on a one-line footer.
    ("<p>Skills Training, PO Box 306, Newcastle, NE6 5ZH, 0191 276 3261</p>", "GB",
     {"address": "PO Box 306", "postcode": "NE6 5ZH", "city": "Newcastle"}),
    # A Canadian unit-street number, the province after the postcode.
    ("<p>101-1305 Welch St<br>North Vancouver,<br>V7P 1B3, BC.</p>", "CA",
     {"address": "101-1305 Welch St", "postcode": "V7P 1B3", "city": "North Vancouver"}),
    # A Dutch postcode under the town, not before it.
    ("<p>Walsoordensestraat 86<br>Walsoorden<br>4588 KD</p>", "NL",
     {"address": "Walsoordensestraat 86", "postcode": "4588 KD", "city": "Walsoorden"}),
    # Spans on lines of their own in the source read as the browser shows them.
    ('<p class="adr"><span>24 rue Chaptal</span><br />\n<span>75009</span>\n'
     "<span>Paris</span><br />\n<span>France</span></p>", "FR",
     {"address": "24 rue Chaptal", "postcode": "75009", "city": "Paris"}),
    # A building part after the house number; the town bears its state's name.
    ("<p>Studio<br>Conventstraße 8-10 / Haus A<br>22089 Hamburg</p>", "DE",
     {"address": "Conventstraße 8-10 / Haus A", "postcode": "22089", "city": "Hamburg"}),
    # Business park and building above the street; a semicolon before the postcode; the town
    # is also its province's name.
    ("<p>Auxadi Contables &amp; Consultores S.A.<br>Parque Empresarial Las Mercedes<br>"
     "Edificio 5 – 3º Planta<br>Av. Aragón 330 ; 28022 MADRID<br>Tel: +34 91 562 51 52</p>",
     "ES", {"address": "Parque Empresarial Las Mercedes, Edificio 5 – 3º Planta, Av. Aragón 330",
            "postcode": "28022", "city": "MADRID"}),
    # No house number ("s/n"), the province in brackets; a copyright line above is no street.
    ("<p>Copyright © 2013 • Ayuntamiento</p><p>Excmo. Ayuntamiento • Avenida Juan Luis "
     "Peralta s/n,29639 Benalmádena (Málaga) • Tlf. 952579800</p>", "ES",
     {"address": "Avenida Juan Luis Peralta s/n", "postcode": "29639", "city": "Benalmádena"}),
    # One footer line: name, tax number, street, postcode, a copyright notice, town, phone.
    ("<footer><p>Auge Marketing S.L.U. B19275155, C/ Exposición 7, 2C, 19001 © 2013. "
     "Guadalajara Tfno: 949 881 551.</p></footer>", "ES",
     {"address": "C/ Exposición 7, 2C", "postcode": "19001", "city": "Guadalajara"}),
    # The firm's name, a dash, the address; a copyright notice before the building.
    ("<p>IHG Rewards Club</p><p>Holiday Inn Express - 200 Creekside Road, Canyonville, "
     "Oregon 97417</p>", "US",
     {"address": "200 Creekside Road", "postcode": "97417", "city": "Canyonville"}),
    ("<p>© 2014 zynk Design. 3rd Floor The Hospital Club, 24 Endell Street, London, "
     "WC2H 9HQ</p>", "GB", {"address": "3rd Floor The Hospital Club, 24 Endell Street",
                            "postcode": "WC2H 9HQ", "city": "London"}),
    # A one-line footer parted by dashes, the number before the street with a comma, "Tél.".
    ("<footer><p>Exemple SAS – 12, avenue des Champs-Élysées – 75008 Paris – Tél. 01 42 68 53 "
     "00</p></footer>", "FR", {"address": "12, avenue des Champs-Élysées", "postcode": "75008",
                               "city": "Paris"}),
    ("<div class='footer'>Siège social : 3 bis, rue du Rhône, 69002 Lyon Cedex 02</div>", "FR",
     {"address": "3 bis, rue du Rhône", "postcode": "69002", "city": "Lyon"}),
    ("<footer><p>Exemplo S.p.A. - Corso Buenos Aires 33 - 20124 Milano MI - Tel. +39 02 "
     "1234567</p></footer>", "IT", {"address": "Corso Buenos Aires 33", "postcode": "20124",
                                    "city": "Milano"}),
    # Spain's floor and door after the number; a Dutch number's letter or "bis".
    ("<footer><p>Exemplo S.L.<br>C/ Mayor, 5, 2º B<br>28013 Madrid<br>España</p></footer>", "ES",
     {"address": "C/ Mayor, 5, 2º B", "postcode": "28013", "city": "Madrid"}),
    ("<footer><p>Voorbeeld B.V.<br>Keizersgracht 123-A<br>1015 CJ Amsterdam</p></footer>", "NL",
     {"address": "Keizersgracht 123-A", "postcode": "1015 CJ", "city": "Amsterdam"}),
    ("<footer><p>Voorbeeld B.V. | Oude Gracht 12bis | 3511 AP Utrecht | T 030 123 4567</p>"
     "</footer>", "NL", {"address": "Oude Gracht 12bis", "postcode": "3511 AP",
                         "city": "Utrecht"}),
    # A Viennese door (house/stair/door); a street that starts like a unit word.
    ("<footer><p>Muster GmbH<br>Stephansplatz 1/3/12<br>1010 Wien<br>Österreich</p></footer>",
     "AT", {"address": "Stephansplatz 1/3/12", "postcode": "1010", "city": "Wien"}),
    ("<footer><p>Muster GmbH<br>Flughafenstraße 1<br>40474 Düsseldorf</p></footer>", "DE",
     {"address": "Flughafenstraße 1", "postcode": "40474", "city": "Düsseldorf"}),
    # A county between the town and the postcode; a unit on an estate, town and postcode below.
    ("<footer><p>Registered office: 1 High Street, Leeds, West Yorkshire, LS1 1AA</p></footer>",
     "GB", {"address": "1 High Street", "postcode": "LS1 1AA", "city": "Leeds"}),
    ("<footer><p>Example Ltd<br>Unit 3, Riverside Industrial Estate<br>Bristol<br>BS1 2AB</p>"
     "</footer>", "GB", {"address": "Unit 3, Riverside Industrial Estate", "postcode": "BS1 2AB",
                         "city": "Bristol"}),
    # The firm's name run into the street; a level before the street on one line.
    ("<footer><p>Example Ltd. 1000 Rue Sherbrooke O, Montréal, QC H3A 3G4</p></footer>", "CA",
     {"address": "1000 Rue Sherbrooke O", "postcode": "H3A 3G4", "city": "Montréal"}),
    ("<footer><p>Example Pty Ltd<br>Level 2, 50 Bridge Street<br>Sydney NSW 2000<br>Australia"
     "</p></footer>", "AU", {"address": "Level 2, 50 Bridge Street", "postcode": "2000",
                             "city": "Sydney"}),
    # The footer's next part after the town; an industrial zone above the street.
    ("<footer><p>Exemplo srl – Viale Monza 12 – 20127 Milano – P.IVA 00743110157</p></footer>",
     "IT", {"address": "Viale Monza 12", "postcode": "20127", "city": "Milano"}),
    ("<footer><p>Exemple SARL<br>ZI des Bruyères<br>45 allée des Artisans<br>78190 Trappes</p>"
     "</footer>", "FR", {"address": "ZI des Bruyères, 45 allée des Artisans", "postcode": "78190",
                         "city": "Trappes"}),
    # Ireland: a Dublin postal district before the Eircode; a numberless road and a county.
    ("<footer><p>Example Ltd, Unit 5, Sandyford Business Park, Dublin 18, D18 X5K7, Ireland</p>"
     "</footer>", "IE", {"address": "Unit 5, Sandyford Business Park", "postcode": "D18 X5K7",
                         "city": "Dublin"}),
    ("<footer><p>Example Dental, Kilcruttin House, Arden Road, Tullamore, Co. Offaly, Phone: "
     "057 935 1234</p></footer>", "IE", {"address": "Kilcruttin House, Arden Road",
                                         "city": "Tullamore"}),
    # Hong Kong has no postcodes: the address ends with the city, the district before it.
    ("<footer><p>Example Trading Ltd</p><p>Room 1201, 12/F, Wing On Centre, 111 Connaught Road "
     "Central, Sheung Wan, Hong Kong</p></footer>", "HK",
     {"address": "Room 1201, 12/F, Wing On Centre, 111 Connaught Road Central, Sheung Wan",
      "city": "Hong Kong"}),
    # The number after the street's comma under a label; a floor before the street.
    ("<p>Dirección: Calle de Alcalá, 48, 28014 Madrid, España</p>", "ES",
     {"address": "Calle de Alcalá, 48", "postcode": "28014", "city": "Madrid"}),
    ("<footer><p>Example Ltd, 2nd Floor, 1 Poultry, London EC2R 8EJ. Registered in England No. "
     "01234567</p></footer>", "GB", {"address": "2nd Floor, 1 Poultry", "postcode": "EC2R 8EJ",
                                     "city": "London"}),
    # A legal notice on one line: the town, then the register's or the tax number's label.
    ("<p>Société Exemple SAS. Siège social : 12 rue de la Paix, 75002 Paris. RCS Paris B 732 829 "
     "320.</p>", "FR", {"address": "12 rue de la Paix", "postcode": "75002", "city": "Paris"}),
    ("<p>Exemple SARL, 3 place Bellecour, 69002 Lyon - SIRET 732 829 320 00074</p>", "FR",
     {"address": "3 place Bellecour", "postcode": "69002", "city": "Lyon"}),
    ("<p>Esempio S.r.l., Via Roma 1, 20121 Milano. P.IVA 00743110157</p>", "IT",
     {"address": "Via Roma 1", "postcode": "20121", "city": "Milano"}),
    ("<p>Ejemplo S.L., Calle Mayor 5, 28013 Madrid. CIF B12345674</p>", "ES",
     {"address": "Calle Mayor 5", "postcode": "28013", "city": "Madrid"}),
    ("<p>Beispiel GmbH, Hauptstraße 1, 10115 Berlin. HRB 12345 B, USt-IdNr. DE136695976</p>",
     "DE", {"address": "Hauptstraße 1", "postcode": "10115", "city": "Berlin"}),
    # The postcode's own label before it ("CAP", "C.A.P.", "PLZ"), and "s/n" (no number)
    # standing after the street's comma.
    ("<p>Sede legale: Via Roma 1 - CAP 20121 Milano (MI)</p>", "IT",
     {"address": "Via Roma 1", "postcode": "20121", "city": "Milano"}),
    ("<p>Esempio srl<br>Via Roma 1<br>C.A.P. 20121 Milano (MI)</p>", "IT",
     {"address": "Via Roma 1", "postcode": "20121", "city": "Milano"}),
    ("<p>Beispiel AG<br>Bahnhofstrasse 10<br>PLZ: 8001 Zürich</p>", "CH",
     {"address": "Bahnhofstrasse 10", "postcode": "8001", "city": "Zürich"}),
    ("<p>Domicilio social: C/ Pintor Vicente Piernagorda, s/n, 14200 Peñarroya-Pueblonuevo "
     "(Córdoba)</p>", "ES", {"address": "C/ Pintor Vicente Piernagorda, s/n",
                             "postcode": "14200", "city": "Peñarroya-Pueblonuevo"}),
    # In a French notice's sentence: "siège social (est situé) au ... à 75008 Paris".
    ("<p><b>FLEX IN USE</b> société par actions simplifiée au capital de 1.800 €, immatriculée "
     "au RCS de Paris sous le numéro 893 340 125 et ayant son siège social au 25 rue de "
     "Ponthieu à 75008 Paris, est une agence immobilière</p>", "FR",
     {"address": "25 rue de Ponthieu", "postcode": "75008", "city": "Paris"}),
    ("<p>Exemple SARL, dont le siège social est situé au 12 avenue Foch à 69006 Lyon.</p>", "FR",
     {"address": "12 avenue Foch", "postcode": "69006", "city": "Lyon"}),
    ("<p>Ejemplo S.A. de C.V.<br>Av. Reforma 222, Col. Juárez, C.P. 06600, Ciudad de México"
     "</p>", "MX", {"address": "Av. Reforma 222, Col. Juárez", "postcode": "06600",
                    "city": "Ciudad de México"}),
    # India writes the number before the street, after the firm's name on one line.
    ("<p>Example Exports Pvt. Ltd., 12, MG Road, Bengaluru, Karnataka 560001</p>", "IN",
     {"address": "12, MG Road", "postcode": "560001", "city": "Bengaluru"}),
    # Turkey: "No:" is part of the street, the province after the district's slash.
    ("<p>Örnek Tekstil A.Ş.<br>Atatürk Cad. No: 15 Kat: 3<br>34000 Fatih / İstanbul</p>", "TR",
     {"address": "Atatürk Cad. No: 15 Kat: 3", "postcode": "34000", "city": "Fatih"}),
    ("<p>Organize Sanayi Bölgesi 5. Cadde No:12 16140 Nilüfer/Bursa TÜRKİYE</p>", "TR",
     {"address": "Organize Sanayi Bölgesi 5. Cadde No:12", "postcode": "16140",
      "city": "Nilüfer"}),
    # Brazil: the neighbourhood after the number, the state after the town, the CEP last.
    ("<p>Av. Paulista, 1000 - Bela Vista, São Paulo - SP, 01310-100</p>", "BR",
     {"address": "Av. Paulista, 1000", "postcode": "01310-100", "city": "São Paulo"}),
    # Spain and Portugal write the number after the street's comma, with the floor and door
    # after it ("92 Bajo A", "núm. 38, planta 1") or a building between ("Edificio X, n.º 2").
    ("<p><b>Domicilio social:</b> Avenida de Abrantes, 92 Bajo A, 28025 Madrid, España</p>",
     "ES", {"address": "Avenida de Abrantes, 92 Bajo A", "postcode": "28025", "city": "Madrid"}),
    ("<p>Domicilio social: Calle Manuela Estellés, núm. 38, planta 1, puerta 3, 46022 "
     "Valencia, España.</p>", "ES", {"address": "Calle Manuela Estellés, núm. 38, planta 1, "
                                     "puerta 3", "postcode": "46022", "city": "Valencia"}),
    ("<p>Domicilio Social: Calle Babilonia, num. 19, 28042 Madrid - (Madrid).</p>", "ES",
     {"address": "Calle Babilonia, num. 19", "postcode": "28042", "city": "Madrid"}),
    ("<p>Exemplo, Lda<br>Rua Francisco Costa Gomes, Edificio Central, n.º 2, 7800-591 Beja, "
     "Portugal</p>", "PT", {"address": "Rua Francisco Costa Gomes, Edificio Central, n.º 2",
                            "postcode": "7800-591", "city": "Beja"}),
    # A one-line Italian footer parted by dashes, the address after its label, the country
    # after the province.
    ("<footer>© 2023 Esempio Srl - P.iva: 00743110157 – Sede Legale: Via A.M. Angelini, 12 - "
     "05100 Terni (TR) Italy</footer>", "IT",
     {"address": "Via A.M. Angelini, 12", "postcode": "05100", "city": "Terni"}),
    # India: the postcode after a dash or joined to the town by a hyphen, the state after
    # it or before it; a building's name ("Arcade") with a unit's number.
    ("<div>Registered Office:</div><p>D-290, Example Vihar, Phase-1, Ground Floor, "
     "Delhi-110095, India</p>", "IN", {"address": "D-290, Example Vihar, Phase-1, Ground Floor",
                                       "postcode": "110095", "city": "Delhi"}),
    ("<div>EXAMPLE FINANCE PRIVATE LIMITED<br>Registered office: Unit No.501 Wing-D, Lotus "
     "Corporate Park, Western Express Highway, Goregaon (East), Mumbai - 400063<br>"
     "Ph: +91 22 6173 7600</div>", "IN",
     {"address": "Unit No.501 Wing-D, Lotus Corporate Park, Western Express Highway, "
                 "Goregaon (East)", "postcode": "400063", "city": "Mumbai"}),
    ("<p>Registered Office Address:</p><p>Example Internet Private Limited, Buildings Alyssa, "
     "Outer Ring Road, Devarabeesanahalli Village, Bengaluru, 560103, Karnataka, India</p>",
     "IN", {"address": "Buildings Alyssa, Outer Ring Road, Devarabeesanahalli Village",
            "postcode": "560103", "city": "Bengaluru"}),
    ("<footer><p>Registered Office Address: 10th Floor, Example Chambers, Jamnalal Bajaj Road, "
     "Nariman Point, Mumbai - 400 021 India. CIN: U67120MH1992PLC066006</p></footer>", "IN",
     {"address": "10th Floor, Example Chambers, Jamnalal Bajaj Road, Nariman Point",
      "postcode": "400 021", "city": "Mumbai"}),
    # A long address in one go, short parts between commas over 160 characters.
    ("<div><p>Registered Office Address:</p><span>Example Internet Private Limited, Buildings "
     "Alyssa, Begonia & Clove Embassy Tech Village, Outer Ring Road, Devarabeesanahalli Village, "
     "Bengaluru, 560103, Karnataka, India</span></div>", "IN",
     {"address": "Buildings Alyssa, Begonia & Clove Embassy Tech Village, Outer Ring Road, "
                 "Devarabeesanahalli Village", "postcode": "560103", "city": "Bengaluru"}),
    ("<p>Registered Office: # T9, 3rd Floor, Example Arcade, SC Road, Seshadripuram, "
     "Bengaluru – 560020, India</p>", "IN",
     {"address": "# T9, 3rd Floor, Example Arcade, SC Road, Seshadripuram", "postcode": "560020",
      "city": "Bengaluru"}),
    # Britain: the country's name between the town and the postcode; the office's label
    # inside a sentence of the footer.
    ("<p>Registered office: <strong>71 Example Street, Covent Garden, London, United Kingdom, "
     "WC2H 9JQ</strong></p>", "GB", {"address": "71 Example Street, Covent Garden",
                                     "postcode": "WC2H 9JQ", "city": "London"}),
    ("<footer><p>EXAMPLE SKYLINE LIMITED, registered in England and Wales with the company "
     "registration number 15616639, registered office address: United House, 39-41 North "
     "Road, London, N7 9DP. VAT. NO. 453448875</p></footer>", "GB",
     {"address": "United House, 39-41 North Road", "postcode": "N7 9DP", "city": "London"}),
    # Poland: a sentence of a privacy notice, the address inside it ("ul." is no sentence's
    # end), the town before "or" and a mailbox.
    ("<p>W razie pytań prosimy o kontakt: PRZYKŁAD sp. z o.o., ul. Mieszka I 20, 14-200 Iława "
     "lub <a href='mailto:kontakt@firm.example'>kontakt@firm.example</a>.</p>", "PL",
     {"address": "ul. Mieszka I 20", "postcode": "14-200", "city": "Iława"}),
    ("<p>W razie jakichkolwiek pytań lub wątpliwości dotyczących przetwarzania danych osobowych "
     "prosimy o kontakt: PRZYKŁAD sp. z o.o., ul. Mieszka I 20, 14-200 Iława lub "
     "<a href='mailto:kontakt@firm.example'>kontakt@firm.example</a>.</p>", "PL",
     {"address": "ul. Mieszka I 20", "postcode": "14-200", "city": "Iława"}),
    ("<p>Reklamacje Klient może zgłaszać pisemnie na adres: Wydawnictwo Przykład Sp. z o.o., "
     "ul. Madalińskiego 9, 30-303 Kraków lub mailowo na adres: sklep@firm.example</p>", "PL",
     {"address": "ul. Madalińskiego 9", "postcode": "30-303", "city": "Kraków"}),
    # Hungary writes the postcode and town first, the street after (its house number with
    # a dot), on one line or the street below; Poland and Czechia at times do too.
    ("<p>Székhely: 9151 Példa, Bécsi út 99.</p>", "HU",
     {"address": "Bécsi út 99.", "postcode": "9151", "city": "Példa"}),
    ("<p>Példa Kft.</p><p>1051 Budapest</p><p>Nádor utca 7.</p><p>Adószám: 12345678-2-41</p>",
     "HU", {"address": "Nádor utca 7.", "postcode": "1051", "city": "Budapest"}),
    ("<p>Przykład Sp. z o.o.</p><p>00-950 Warszawa, ul. Marszałkowska 12</p>", "PL",
     {"address": "ul. Marszałkowska 12", "postcode": "00-950", "city": "Warszawa"}),
    ("<p>Sídlo: 110 00 Praha 1, Václavské náměstí 837/11</p>", "CZ",
     {"address": "Václavské náměstí 837/11", "postcode": "110 00", "city": "Praha"}),
    # Arabic script: its comma and digits; a street named by its type (شارع, طريق) may
    # have no number. Words before a town are no street.
    ("<p>طريق الملك فهد، حي العليا، الرياض 12214</p>", "SA",
     {"address": "طريق الملك فهد, حي العليا", "postcode": "12214", "city": "الرياض"}),
    ("<p>العنوان: ١٢٣٤ طريق الملك فهد، حي العليا، الرياض ١٢٢١٤</p>", "SA",
     {"address": "1234 طريق الملك فهد, حي العليا", "postcode": "12214", "city": "الرياض"}),
    ("<p>شركة المثال للتجارة</p><p>شارع التحلية، جدة 23434</p>", "SA",
     {"address": "شارع التحلية", "postcode": "23434", "city": "جدة"}),
    ("<p>للتواصل معنا، الرياض 12214</p>", "SA", {}),
    # Singapore is its own town: a building's name before it is the address's.
    ("<p>1 Raffles Place, #20-01, One Raffles Place, Singapore 048616</p>", "SG",
     {"address": "1 Raffles Place, #20-01, One Raffles Place", "postcode": "048616",
      "city": "Singapore"}),
    # Malaysia's and Indonesia's buildings: Menara, Wisma, Bangunan, Gedung.
    ("<p>Level 20, Menara Contoh, Jalan Sultan Ismail, 50250 Kuala Lumpur, Malaysia</p>", "MY",
     {"address": "Level 20, Menara Contoh, Jalan Sultan Ismail", "postcode": "50250",
      "city": "Kuala Lumpur"}),
    # China's, Taiwan's and Korea's addresses in English: "No." before the house number,
    # the province in English between the town and the country; a city's district before
    # a city that is a province of its own. The phone's line below is no street.
    ("<p>Add: Room 1203, Block A, Example Building, No. 8 Keji Road, Nanshan District, "
     "Shenzhen, Guangdong, China 518057</p><p>Tel: +86-755-8888 1234</p>", "CN",
     {"address": "Room 1203, Block A, Example Building, No. 8 Keji Road, Nanshan District",
      "postcode": "518057", "city": "Shenzhen"}),
    ("<p>Address: No. 1688 Changyang Road, Yangpu District, Shanghai 200090, China</p>", "CN",
     {"address": "No. 1688 Changyang Road, Yangpu District", "postcode": "200090",
      "city": "Shanghai"}),
    ("<p>No. 7, Sec. 5, Xinyi Rd., Xinyi Dist., Taipei City 110, Taiwan</p>", "TW",
     {"address": "No. 7, Sec. 5, Xinyi Rd., Xinyi Dist.", "postcode": "110",
      "city": "Taipei City"}),
    ("<p>123, Teheran-ro, Gangnam-gu, Seoul 06133, Korea</p>", "KR",
     {"address": "123, Teheran-ro, Gangnam-gu", "postcode": "06133", "city": "Seoul"}),
    # Thailand's house numbers with a slash.
    ("<p>999/9 Rama I Road, Pathumwan, Bangkok 10330</p>", "TH",
     {"address": "999/9 Rama I Road", "postcode": "10330", "city": "Pathumwan"}),
    # A firm's name by its legal form run into the street, no comma between.
    ("<footer>Exemple SA Passage St-François 9 CH-1003 Lausanne</footer>", "CH",
     {"address": "Passage St-François 9", "postcode": "1003", "city": "Lausanne"}),
    # Indonesia: a long street line of short parts above the town's, the postcode in
    # brackets.
    ("<p>Address: Treasury Tower 31st Floor, District 8, SCBD Lot 28, Jl. Jend. Sudirman Kav. "
     "52-53<br>Jakarta Selatan, DKI Jakarta 12190, Indonesia</p>", "ID",
     {"address": "Treasury Tower 31st Floor, District 8, SCBD Lot 28, Jl. Jend. Sudirman Kav. "
                 "52-53", "postcode": "12190", "city": "Jakarta Selatan"}),
    ("<p>PT Contoh Planet<br>AIA Central building Jl. Jend. Sudirman Kav. 48A, Jakarta Selatan "
     "(12930)</p>", "ID", {"address": "AIA Central building Jl. Jend. Sudirman Kav. 48A",
                           "postcode": "12930", "city": "Jakarta Selatan"}),
    # An e-mail signature pasted into the page as it was written.
    ("<pre>Esempio Srl\nVia Roma 1\n20121 Milano (MI)\nP.IVA 00743110157</pre>", "IT",
     {"address": "Via Roma 1", "postcode": "20121", "city": "Milano"}),
    # The state's name after the town, without a comma; but "New Delhi" is a town's name.
    ("<p>Example Inc.<br>8848 Example Street<br>Houston Texas 77055</p>", "US",
     {"address": "8848 Example Street", "postcode": "77055", "city": "Houston"}),
    ("<p>Example Inc.<br>25 Example Road<br>Albany New York 12207</p>", "US",
     {"address": "25 Example Road", "postcode": "12207", "city": "Albany"}),
    ("<p>Registered Office Address: 6th Floor, Example Centre, Sansad Marg, New Delhi-110001"
     "</p>", "IN", {"address": "6th Floor, Example Centre, Sansad Marg", "postcode": "110001",
                    "city": "New Delhi"}),
    # The United States: the state always before the ZIP ("D.C." with its dots), the town
    # on the line above a state alone, or run on after the street's type on its line.
    ("<p>1300 Example Avenue, N.W.<br>Washington, D.C. 20577</p>", "US",
     {"address": "1300 Example Avenue, N.W.", "postcode": "20577", "city": "Washington"}),
    ("<p>25, Metro Dr.<br>3rd Floor<br>San Jose<br>California 95110<br>USA</p>", "US",
     {"address": "25, Metro Dr., 3rd Floor", "postcode": "95110", "city": "San Jose"}),
    ("<p>440 Example of Fame Avenue Springfield, MA 01105</p>", "US",
     {"address": "440 Example of Fame Avenue", "postcode": "01105", "city": "Springfield"}),
    # A firm's name, street, town, state and ZIP run together in one block.
    ("<div>Example Engineering Inc. 525 East Stop 18 Road Greenwood IN 46142 Phone: "
     "317-887-0729</div>", "US",
     {"address": "525 East Stop 18 Road", "postcode": "46142", "city": "Greenwood"}),
    # "CT" is a state and a court's abbreviation; "located at" begins the address.
    ("<p>Example Ice Cream of Connecticut located at 325 Cherry Street Bridgeport CT 06605 "
     "(203) 367-3000</p>", "US",
     {"address": "325 Cherry Street", "postcode": "06605", "city": "Bridgeport"}),
])
def test_an_address_is_found_from_its_postcode(html: str, country: str,
                                               address: dict[str, str]) -> None:
    page = f"<html><head><title>Contact</title></head><body>{html}</body></html>"
    assert read_page(page, "https://firm.example/contact", country).address == address


@pytest.mark.parametrize(("html", "country", "address"), [
    # Province, city, district, then road, number and building; the postcode by its label.
    ("<p>地址：浙江省杭州市西湖区文三路478号华星时代广场A座1201室 邮编：310012</p>"
     "<p>电话：0571-88886666</p>", "CN",
     {"address": "文三路478号华星时代广场A座1201室", "postcode": "310012", "city": "杭州市"}),
    # A municipality is its own city; the phone's label ends the address.
    ("<div>公司地址: 上海市浦东新区张江路88号 电话: 021-50801234</div>", None,
     {"address": "张江路88号", "city": "上海市"}),
    ("<p>地址：新疆维吾尔自治区乌鲁木齐市天山区解放北路90号</p>", "CN",
     {"address": "解放北路90号", "city": "乌鲁木齐市"}),
    # Japan: the postal mark, the prefecture; Tokyo's wards stand where a city would.
    ("<p>本社 〒100-0005 東京都千代田区丸の内1-1-1 パレスビル5F TEL:03-1234-5678</p>", "JP",
     {"address": "丸の内1-1-1 パレスビル5F", "postcode": "100-0005", "city": "千代田区"}),
    ("<p>〒530-0001<br>大阪府大阪市北区梅田2-4-9</p>", "JP",
     {"address": "梅田2-4-9", "postcode": "530-0001", "city": "大阪市"}),
    ("<p>我们的地址很好找，欢迎来访</p>", "CN", {}),  # the word, not an address
    # The next label in the same line ends it ("加入我们：", the mailbox of a footer), and
    # so do the site's licence numbers, which every Chinese footer carries.
    ("<div><span>公司地址：北京市西城区裕民路18号北环中心801</span> <span>加入我们：hr@firm.cn"
     "</span> <span>客服电话：400-755-2255</span></div>", "CN",
     {"address": "裕民路18号北环中心801", "city": "北京市"}),
    ("<div>公司地址：山东省日照市东港区石臼街道海滨二路156号 <a href='/'>鲁公网安备 "
     "37110302000118号</a> <a href='/'>鲁ICP备17003630号-1</a></div>", "CN",
     {"address": "石臼街道海滨二路156号", "city": "日照市"}),
    # A city written without 市, as people write it.
    ("<p>公司地址：武汉武大科技园武大航域一期B5栋3-4层</p>", "CN",
     {"address": "武大科技园武大航域一期B5栋3-4层", "city": "武汉"}),
    ("<p>地址：广东深圳南山区科技园路1号</p>", "CN",
     {"address": "科技园路1号", "city": "深圳"}),
    # The postcode's long label after the address ends it.
    ("<p>公司地址：江苏省苏州市工业园区星湖街328号 邮政编码：215123</p>", "CN",
     {"address": "星湖街328号", "postcode": "215123", "city": "苏州市"}),
    # A zone named after its city is no second city ("北京经济技术开发区"); divisions may
    # stand apart, as forms write them.
    ("<p>公司地址：北京市北京经济技术开发区经海五路58号院10号楼3层</p>", "CN",
     {"address": "北京经济技术开发区经海五路58号院10号楼3层", "city": "北京市"}),
    ("<p>地址：广东省 广州市 白云区 石井街道红星大街3号</p>", "CN",
     {"address": "石井街道红星大街3号", "city": "广州市"}),
    # A 町 after a city is a neighbourhood of it, part of the street address; a 町 in a
    # county (郡) with no city above it is the town.
    ("<table><tr><th>本社所在地</th><td>〒960-8132 福島県福島市東浜町7-8</td></tr></table>", "JP",
     {"address": "東浜町7-8", "postcode": "960-8132", "city": "福島市"}),
    # The postal mark alone, the prefecture and ward on the next line, the rest below.
    ("<h3>オフィス</h3><p>〒100-0005<br>東京都千代田区<br>丸の内1-1-1</p>", "JP",
     {"address": "丸の内1-1-1", "postcode": "100-0005", "city": "千代田区"}),
])
def test_a_chinese_or_japanese_address_is_read(html: str, country: str | None,
                                              address: dict[str, str]) -> None:
    page = f"<html><body>{html}</body></html>"
    assert read_page(page, "https://www.firm.cn/", country).address == address


@pytest.mark.parametrize(("html", "country", "address"), [
    # Russian: postcode, town by "г." or after the postcode, street by its type, then the
    # house, building and office, each by its mark.
    ("<p>Юридический адрес: 117218, город Москва, ул. Примерная, д. 15 к. 5, эт 5 оф 2</p>",
     "RU", {"address": "ул. Примерная, д. 15 к. 5, эт 5 оф 2", "postcode": "117218",
            "city": "Москва"}),
    ("<p>Фактический адрес: 109012, Москва, ул. Варварка, двлд. 6, стр. 4</p>", "RU",
     {"address": "ул. Варварка, двлд. 6, стр. 4", "postcode": "109012", "city": "Москва"}),
    ("<p>Адрес: 107241, г.Москва, 7-я Парковая ул. д.16 корп.2</p>", None,
     {"address": "7-я Парковая ул. д.16 корп.2", "postcode": "107241", "city": "Москва"}),
    ("<li>Юридический адрес: г. Алматы, ул. Навои 7, корпус 2</li>", "KZ",
     {"address": "ул. Навои 7, корпус 2", "city": "Алматы"}),
    ("<p>123456, Московская область, г. Пример, ул. Первая, д. 2</p>", "RU",
     {"address": "ул. Первая, д. 2", "postcode": "123456", "city": "Пример"}),
    # Korean: the metropolitan city or the province's city, the road and its number, the
    # building and floor after it; the firm's name after the number is not the address's.
    ("<p>본사 : 서울특별시 성동구 아차산로11가길 10, 예시빌딩 7F, 8F</p>", "KR",
     {"address": "아차산로11가길 10, 예시빌딩 7F, 8F", "city": "서울특별시"}),
    ("<div>예시 주식회사 | 경기도 화성시 동탄영천로 150 | 대표이사 : 홍길동</div>", "KR",
     {"address": "동탄영천로 150", "city": "화성시"}),
    ("<div>서울 서초구 형촌8길 7 예시케어 대표자 : 홍길동</div>", None,
     {"address": "형촌8길 7", "city": "서울"}),
    # Vietnamese: the street before the ward and district, the city by its word.
    ("<p>Địa chỉ: Số 9 Ngõ 80 phố Trung Kính, Phường Yên Hòa, Quận Cầu Giấy, Thành Phố Hà "
     "Nội, Việt Nam.</p>", "VN", {"address": "Số 9 Ngõ 80 phố Trung Kính", "city": "Hà Nội"}),
    ("<p>Số 110/20 Đường số 30, Phường An Nhơn, TP Hồ Chí Minh.</p>", "VN",
     {"address": "Số 110/20 Đường số 30", "city": "Hồ Chí Minh"}),
    # Turkish: neighbourhood, avenue or street, "No:" and the door, then the district and
    # the province on either side of a slash; no postcode.
    ("<p>Adres: Nişantepe Mah. Ensar Cad. No: 4/2 İstanbul/Çekmeköy</p><p>Telefon: 0216 "
     "3046909</p>", "TR", {"address": "Nişantepe Mah. Ensar Cad. No: 4/2", "city": "Çekmeköy"}),
    ("<p>Örnek Fabrika: 1.OSB Mah. 5. Cd. No: 13/2 Yeşilyurt/Malatya. Tel: +90 532 258 52 44."
     "</p>", "TR", {"address": "1.OSB Mah. 5. Cd. No: 13/2", "city": "Yeşilyurt"}),
    # Words that only look like it.
    ("<p>Москва, ул. Варварка</p>", "RU", {}),
    ("<p>123456, London, 5 Main St</p>", None, {}),
])
def test_an_address_whose_parts_say_what_they_are_is_read(html: str, country: str | None,
                                                           address: dict[str, str]) -> None:
    page = f"<html><body>{html}</body></html>"
    assert read_page(page, "https://firm.example/", country).address == address


@pytest.mark.parametrize(("html", "country", "address"), [
    # The Emirates and Qatar have no postcodes: the address ends with the city, the country
    # after it; a P.O. box is no street.
    ("<p>Example Trading LLC, Office 1203, Al Attar Tower, Sheikh Zayed Road, Dubai, UAE. "
     "Tel: +971 4 123 4567</p>", "AE",
     {"address": "Office 1203, Al Attar Tower, Sheikh Zayed Road", "city": "Dubai"}),
    ("<p>P.O. Box 12345, Abu Dhabi, United Arab Emirates</p>", "AE", {}),
    ("<p>Building 12, Street 850, Zone 25, Doha, Qatar</p>", "QA",
     {"address": "Building 12, Street 850, Zone 25", "city": "Doha"}),
    ("<p>Room 1201, 12/F, Wing On Centre, 111 Connaught Road Central, Hong Kong</p>", "HK",
     {"address": "Room 1201, 12/F, Wing On Centre, 111 Connaught Road Central",
      "city": "Hong Kong"}),
    # Elsewhere a page may leave the postcode out too (Chile, Colombia, Nigeria ...): the
    # address ends with a town of 100,000 people or more. A date is no street.
    ("<p>Av. Apoquindo 3000, piso 5, Las Condes, Santiago, Chile</p>", "CL",
     {"address": "Av. Apoquindo 3000, piso 5, Las Condes", "city": "Santiago"}),
    ("<p>Calle 93 # 11-26, Bogotá</p><p>Tel: +57 601 234 5678</p>", "CO",
     {"address": "Calle 93 # 11-26", "city": "Bogotá"}),
    ("<p>Plot 1234, Adeola Odeku Street, Victoria Island, Lagos, Nigeria</p>", "NG",
     {"address": "Plot 1234, Adeola Odeku Street, Victoria Island", "city": "Lagos"}),
    # A province between the town and the country; the line's label left out.
    ("<p>Factory Add: No.18, Xinggong Road, Wujin Economic Development Zone, Changzhou City, "
     "Jiangsu Province, China</p>", "CN",
     {"address": "No.18, Xinggong Road, Wujin Economic Development Zone",
      "city": "Changzhou City"}),
    # The country's name is no town, though GeoNames lists it as one's other name.
    ("<p>House 12, Road 5, Gulshan 1, Dhaka, Bangladesh</p>", "BD",
     {"address": "House 12, Road 5, Gulshan 1", "city": "Dhaka"}),
    ("<p>Posted 2013, August 31st, New York</p>", "US", {}),
    ("<p>Example Ltd, 25 years of service, Chicago</p>", "US", {}),
])
def test_an_address_without_a_postcode_ends_with_its_city(html: str, country: str,
                                                        address: dict[str, str]) -> None:
    page = f"<html><body>{html}</body></html>"
    assert read_page(page, "https://www.firm.example/", country).address == address


def test_the_owners_address_not_a_directorys_nor_a_county_for_a_town() -> None:
    # A member directory lists other firms' addresses; the owner's is in its footer, which
    # is the site's name-less block at the bottom.
    directory = "".join(
        f"<p>{name}<br>{street}<br>{code} {town}<br>Tel: 983 36 03 12</p>"
        for name, street, code, town in [
            ("ÁBACO, C.E. INFORMÁTICOS, S.L.", "Gardoquí, 3", "47003", "Valladolid"),
            ("ACTIVIDADES DE CONSULTORIA S.A (ACOTEL)", "PTB Edif. Galileo, Of.201", "47151",
             "Valladolid")])
    page = (f"<html><head><title>AETICAL</title></head><body>{directory}<p>Parque Tecnológico "
            "de Boecillo, Edificio CEEi of.2,<br>47151 Boecillo - Valladolid (Spain)</p>"
            "</body></html>")
    assert read_page(page, "http://www.aetical.com/", "ES").address == {
        "address": "Parque Tecnológico de Boecillo, Edificio CEEi of.2", "postcode": "47151",
        "city": "Boecillo"}
    # The footer says which address is the owner's; the body, line by line, says it better
    # than the footer's one line, where the county stands where a town would.
    page = ("<html><body><p>V1 Limited<br>Pentland House<br>Village Way<br>Wilmslow, Cheshire"
            "<br>SK9 2GH, United Kingdom</p><div id='footer'><p>Other Firm Ltd<br>1 High Street"
            "<br>Leeds<br>LS1 1AA</p></div><div class='v1footer'>V1 Limited, Pentland House, "
            "Village Way, Wilmslow, Cheshire, SK9 2GH</div></body></html>")
    assert read_page(page, "http://www.v1.co.uk/", "GB").address == {
        "address": "Pentland House, Village Way", "postcode": "SK9 2GH", "city": "Wilmslow"}


@pytest.mark.parametrize(("text", "register", "uscc"), [
    ("Registered in England and Wales No. 2443078. VAT No. 123", "02443078", ""),
    ("Company No. 08418945 (England and Wales)", "08418945", ""),
    ("KVK Middelburg 40310817 | BTW NL0068.52.142.B01", "40310817", ""),
    ("Registergericht: Amtsgericht München<br>Registernummer: HRB 12345", "München HRB 12345", ""),
    ("HRB 98765 B, Amtsgericht Charlottenburg", "Charlottenburg HRB 98765 B", ""),
    ("Firmenbuchnummer: FN 123456a, Handelsgericht Wien", "123456a", ""),
    ("SAS au capital de 10 000 €, RCS Paris B 732 829 320", "732829320", ""),
    ("SIREN 732 829 321", "", ""),  # the checksum fails: not a SIREN
    # The notice's sentence between the register and its number, or the number first.
    ("Immatriculée au RCS de Paris sous le numéro : 943 007 229", "943007229", ""),
    ("société immatriculée au R.C.S. d'Annecy sous le n° 732 829 320", "732829320", ""),
    ("SAS au capital de 1 000 €, 853 318 459 R.C.S. Paris", "853318459", ""),
    ("Immatriculée au Registre du Commerce et des Sociétés de Versailles B 504 815 721 sous le "
     "numéro 50481572100049", "504815721", ""),
    ("Immatriculée au RCS de Paris sous le numéro 943 007 228", "", ""),
    ("Sede legale Milano, REA MI-1234567, P.IVA 01234567890", "MI-1234567", ""),
    ("Registro Imprese di Lecco 01601990136 Capitale Sociale EURO 10.400", "01601990136", ""),
    ("Registro Imprese di Lecco 01601990137", "", ""),  # the check digit fails
    # Registers of the countries exporters sell to, each number under its own check
    # where it has one.
    ("KRS: 0000123456, REGON: 012345678", "0000123456", ""),
    ("CVR-nr.: 10123453", "10123453", ""),
    ("CVR-nr.: 10123454", "", ""),
    ("IČO: 25578529, DIČ: CZ25578529", "25578529", ""),
    ("Ondernemingsnummer: 0403.577.111", "0403577111", ""),
    ("N° d'entreprise BCE 0403 577 111", "0403577111", ""),
    ("Org.nr: 556036-0793", "5560360793", ""),
    ("Org.nr. 923 609 016 MVA", "923609016", ""),
    ("Org.nr. 923 609 017", "", ""),
    ("Y-tunnus: 0112038-9", "0112038-9", ""),
    ("CUI: RO1590082, Nr. Reg. Com.: J40/1234/2005", "J40/1234/2005", ""),
    ("Nr. ORC J40/1234/1905", "", ""),  # before the register's first year
    ("Y-tunnus: 0112038-8", "", ""),
    ("CNPJ: 11.222.333/0001-81", "11222333000181", ""),
    ("CNPJ: 11.222.333/0001-82", "", ""),
    ("GSTIN: 29AAACE1234F1Z2", "29AAACE1234F1Z2", ""),
    ("CIN: U72900KA2005PTC035763", "U72900KA2005PTC035763", ""),
    ("法人番号: 7470003002956", "7470003002956", ""),
    ("ИНН 7707083893, ОГРН 1027700132195", "7707083893", ""),
    ("ОГРН: 1027700132195", "1027700132195", ""),
    ("ИНН 7707083894", "", ""),
    ("사업자등록번호: 220-81-62517", "2208162517", ""),
    ("Mã số thuế: 0101245486", "0101245486", ""),
    ("法人番号: 7470003002957", "", ""),
    ("统一社会信用代码：91110000802100433B", "", "91110000802100433B"),
    ("Call us on 020 7946 0958 any day", "", ""),
])
def test_a_company_register_number_is_read_in_the_countrys_wording(text: str, register: str,
                                                                   uscc: str) -> None:
    facts = read_page(f"<p>{text}</p>", "https://firm.example/impressum")
    assert (facts.register, facts.uscc) == (register, uscc)


MICRODATA = """<html><body>
<div itemscope itemtype="https://schema.org/LocalBusiness">
  <span itemprop="name">Harbour Roasters Ltd</span>
  <div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">
    <span itemprop="streetAddress">12 Quay Street</span>,
    <span itemprop="postalCode">BS1 4DJ</span> <span itemprop="addressLocality">Bristol</span>
  </div>
  Tel. <span itemprop="telephone">0117 496 0000</span>
</div></body></html>"""

NEARBY = """<html><body><h1>Where to eat near our hotel</h1>
<div itemscope itemtype="https://schema.org/Restaurant"><a itemprop="url"
 href="https://blue-fish.example/">Blue Fish</a>
 <div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">
 <span itemprop="streetAddress">130 Creekside Drive</span>
 <span itemprop="postalCode">97417</span></div></div>
<div itemscope itemtype="https://schema.org/Restaurant"><a itemprop="url"
 href="https://red-barn.example/">Red Barn</a>
 <div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">
 <span itemprop="streetAddress">9 Main Street</span>
 <span itemprop="postalCode">97417</span></div></div>
<p>Our hotel: 200 Creekside Road<br>Canyonville, OR 97417</p></body></html>"""


HOTEL = """<html><body><div itemscope itemtype="http://schema.org/Hotel">
<a itemprop="url" href="http://www.canyonvillehotel.com/">Home</a></div>
<h2>Dining in Canyonville</h2><ul>
<li itemscope itemtype="http://schema.org/Restaurant"><span itemprop="address" itemscope
 itemtype="http://schema.org/PostalAddress"><span itemprop="name">Creekside Restaurant</span> -
 <span itemprop="streetAddress">130 Creekside Drive;</span>
 <span itemprop="telephone">541-839-3110</span></span></li>
<li itemscope itemtype="http://schema.org/Restaurant"><span itemprop="address" itemscope
 itemtype="http://schema.org/PostalAddress"><span itemprop="name">El Paraiso</span> -
 <span itemprop="streetAddress">540 N Main St;</span>
 <span itemprop="telephone">541-839-4176</span></span></li></ul>
<footer><p>Holiday Inn Express &amp; Suites Canyonville - 200 Creekside Road, Canyonville,
Oregon 97417</p><p>Contact: 541-839-4200</p></footer></body></html>"""


def test_numbers_schema_org_gives_to_other_businesses_are_theirs() -> None:
    facts = read_page(HOTEL, "http://www.canyonvillehotel.com/", "US")
    assert facts.phones == ["+15418394200"]
    assert facts.address == {"address": "200 Creekside Road", "postcode": "97417",
                             "city": "Canyonville"}


def test_schema_org_microdata_is_read_and_other_businesses_on_the_page_are_not() -> None:
    facts = read_page(MICRODATA, "https://harbour-roasters.example/contact", "GB")
    assert facts.name == "Harbour Roasters Ltd"
    assert facts.address == {"address": "12 Quay Street", "postcode": "BS1 4DJ",
                             "city": "Bristol"}
    assert facts.phones == ["+441174960000"]
    # Restaurants near a hotel, each with a site of its own: none is the hotel.
    facts = read_page(NEARBY, "https://www.canyon-hotel.example/area", "US")
    assert facts.address == {"address": "200 Creekside Road", "postcode": "97417",
                             "city": "Canyonville"}


RDFA = """<html><body><div vocab="https://schema.org/" typeof="LocalBusiness">
  <span property="name">Harbour Roasters Ltd</span>
  <div property="address" typeof="PostalAddress"><span property="streetAddress">12 Quay
    Street</span>, <span property="postalCode">BS1 4DJ</span>
    <span property="addressLocality">Bristol</span></div>
  Tel. <span property="telephone">0117 496 0000</span>
  <div property="geo" typeof="GeoCoordinates"><meta property="latitude" content="51.4500">
    <meta property="longitude" content="-2.5900"></div>
</div></body></html>"""


def test_schema_org_rdfa_is_read_as_json_ld_and_microdata_are() -> None:
    facts = read_page(RDFA, "https://harbour-roasters.example/contact", "GB")
    assert facts.name == "Harbour Roasters Ltd"
    assert facts.address == {"address": "12 Quay Street", "postcode": "BS1 4DJ",
                             "city": "Bristol"}
    assert facts.phones == ["+441174960000"]
    assert facts.position == ("51.45", "-2.59")


@pytest.mark.parametrize(("tag", "position"), [
    ('<iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2370.1!2d9.986812'
     '!3d53.543812!2m3!1f0"></iframe>', ("53.543812", "9.986812")),
    ('<a href="https://www.google.de/maps/place/Elbbohne/@53.543812,9.986812,17z">Route</a>',
     ("53.543812", "9.986812")),
    ('<a href="https://www.openstreetmap.org/?mlat=53.543812&amp;mlon=9.986812#map=17/53.5/9.9">'
     'Karte</a>', ("53.543812", "9.986812")),
    ('<a href="https://maps.apple.com/?ll=53.543812,9.986812&q=Elbbohne">Apple Maps</a>',
     ("53.543812", "9.986812")),
    ('<a href="https://example.com/?q=53.543812,9.986812">not a map</a>', ()),
    ('<a href="https://goo.gl/maps/xyz">a short link says no point</a>', ()),
])
def test_a_map_on_the_page_says_where_the_firm_is(tag: str, position: tuple[str, ...]) -> None:
    facts = read_page(f"<html><body><p>Besuchen Sie uns</p>{tag}</body></html>",
                      "https://www.elbbohne.de/kontakt", "DE")
    assert facts.position == position
