"""Reading a CSV file into observations: what a row needs to become a lead."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from prospect.csvio import CsvImport
from prospect.errors import InputError
from prospect.models import normalize_fields


def test_a_row_known_by_its_registry_number_alone_is_a_lead(tmp_path: Path) -> None:
    path = tmp_path / "firms.csv"
    path.write_text("name,vat,tax_id,city\n"
                    ",DE123456789,,Hamburg\n"  # a firm's VAT number: VIES can say who it is
                    ",,5651019,Carnegie\n"  # a person's tax number
                    ",,,Kiel\n", encoding="utf-8")  # a town alone says nothing of who
    found = CsvImport(path=path, source="test")
    observations = list(found.observations())
    assert [o.fields.get("vat") or o.fields.get("tax_id") for o in observations] == [
        "DE123456789", "5651019"]
    assert [r.reason for r in found.rejects] == [
        "no name, website, e-mail, phone or registry number"]


def test_openstreetmaps_tag_names_are_read_as_the_fields_they_are(tmp_path: Path) -> None:
    # An Overpass or QGIS export writes the tags as they are.
    path = tmp_path / "osm.csv"
    path.write_text("name,addr:housenumber,addr:street,addr:postcode,addr:city,contact:phone,"
                    "contact:website,cuisine\n"
                    "Cafe Roma,12,Hauptstraße,20095,Hamburg,+49 40 123456,https://roma.de,"
                    "italian\n", encoding="utf-8")
    found = CsvImport(path=path, source="test")
    (observation,) = list(found.observations())
    assert observation.fields == {
        "name": "Cafe Roma", "address": "12 Hauptstraße", "postcode": "20095",
        "city": "Hamburg", "phone": "+49 40 123456", "website": "https://roma.de",
        "category": "italian"}


def test_a_spanish_contact_list_names_the_firm_not_the_person(tmp_path: Path) -> None:
    # "Nombre" is the contact's first name beside "Apellidos"; the firm is "Empresa".
    path = tmp_path / "contactos.csv"
    path.write_text("Nombre,Apellidos,Empresa,Teléfono\nJuan,García,Aceites Sur SL,912345678\n",
                    encoding="utf-8")
    found = CsvImport(path=path, source="test")
    (observation,) = list(found.observations())
    assert observation.fields["name"] == "Aceites Sur SL"


def test_a_row_that_names_its_source_is_that_sources(tmp_path: Path) -> None:
    """A file gathered from several directories says who listed each row; a row that does
    not is the import's."""
    path = tmp_path / "gathered.csv"
    path.write_text("id,name,Data Source\n1,Amber Joinery,osm\n2,Amber Joinery,yelp\n"
                    "3,Birch Joinery,\n4,Cedar Joinery,https://www.yelp.com/biz/cedar-joinery\n",
                    encoding="utf-8")
    observations = list(CsvImport(path=path, source="import:gathered.csv",
                                  id_column="id").observations())
    # A page a scraper read the row from: its site is the source, not each page.
    assert [o.source for o in observations] == ["osm", "yelp", "import:gathered.csv",
                                                "yelp.com"]
    assert all("source" not in o.fields for o in observations)
    assert observations[0].raw["Data Source"] == "osm"  # kept as given, for the audit


def test_each_source_of_a_gathered_file_numbers_its_own_rows(tmp_path: Path) -> None:
    path = tmp_path / "gathered.csv"
    path.write_text("id,name,source\n1,Amber Joinery,osm\n1,Amber Joinery,yelp\n"
                    "1,Birch Joinery,osm\n", encoding="utf-8")
    found = CsvImport(path=path, source="import:gathered.csv", id_column="id")
    assert [(o.source, o.reference) for o in found.observations()] == [("osm", "1"),
                                                                        ("yelp", "1")]
    assert [r.reason for r in found.rejects] == ["id '1' repeats an earlier row"]


def test_a_row_naming_the_imports_own_source_numbers_its_rows_with_those_naming_none(
        tmp_path: Path) -> None:
    """A row whose source column is empty is the import's; one that names the import's
    source is too, so one id in both is the same record twice."""
    path = tmp_path / "gathered.csv"
    path.write_text("id,name,source\n1,Amber Joinery,\n1,Amber Joinery,fair\n",
                    encoding="utf-8")
    found = CsvImport(path=path, source="fair", id_column="id")
    assert [(o.source, o.reference) for o in found.observations()] == [("fair", "1")]
    assert [r.reason for r in found.rejects] == ["id '1' repeats an earlier row"]


def test_excel_s_separator_line_names_the_delimiter(tmp_path: Path) -> None:
    # Spreadsheet exports meant for Excel write "sep=;" first: Excel's hint, not a header.
    path = tmp_path / "export.csv"
    path.write_text("sep=;\nFirma;Telefon;Ort\nMüller GmbH;+49 711 123456;Stuttgart\n"
                    "Schmidt AG;+49 89 654321;München\n", encoding="utf-8")
    found = CsvImport(path=path, source="test")
    rows = list(found.observations())
    assert [o.fields["name"] for o in rows] == ["Müller GmbH", "Schmidt AG"]
    assert rows[1].fields["city"] == "München" and not found.rejects
    # A bad row's line number counts the separator line, as an editor does.
    path.write_text("sep=,\nName,Phone\nAcme Ltd,1,one field too many\nBeta Ltd,+44 20 7946 0000\n",
                    encoding="utf-8")
    found = CsvImport(path=path, source="test")
    assert [o.fields["name"] for o in found.observations()] == ["Beta Ltd"]
    assert [r.line for r in found.rejects] == [3]


def test_an_excel_workbook_is_read_as_its_first_sheet_s_rows(tmp_path: Path) -> None:
    # Exhibitor and buyer lists often come as .xlsx: numbers typed as numbers, a line break
    # in a cell, an empty row, a date.
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Hinweise"  # a first sheet of notes, no list
    notes.append(["Stand: Dezember 2026"])
    sheet = book.create_sheet("Aussteller")
    sheet.append(["Ausstellerliste Fachmesse 2026"])  # a title above the header
    sheet.append([])
    sheet.append(["Firma", "Telefon", "Adresse", "PLZ", "Ort", "Seit"])
    sheet.append(["Müller GmbH", 4971112345, "Königstraße 5\nHinterhaus", 70173, "Stuttgart",
                  dt.date(1999, 5, 1)])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Schmidt AG", "+49 89 654321", "Marienplatz 1", "80331", "München", None])
    sheet.append([None, None, "Unter den Linden 1", None, "Berlin", None])  # no one to reach
    path = tmp_path / "aussteller.xlsx"
    book.save(path)
    found = CsvImport(path=path, source="test")
    rows = list(found.observations())
    assert found.sheet == "Aussteller"
    assert [o.fields["name"] for o in rows] == ["Müller GmbH", "Schmidt AG"]
    first = rows[0].fields
    assert first["phone"] == "4971112345" and first["postcode"] == "70173"
    assert first["address"] == "Königstraße 5 Hinterhaus"
    assert rows[0].raw["Seit"] == "1999-05-01"
    # Its row number as the spreadsheet shows it.
    assert [r.line for r in found.rejects] == [7]


def test_a_workbook_it_cannot_read_is_named_with_what_to_do(tmp_path: Path) -> None:
    import zipfile

    old = tmp_path / "list.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(InputError, match=r"Excel 97-2003.*save it as \.xlsx or CSV"):
        list(CsvImport(path=old, source="test").observations())
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "not a sheet")
    with pytest.raises(InputError, match="zip archive, not an Excel workbook"):
        list(CsvImport(path=archive, source="test").observations())


def test_a_title_above_a_csv_s_header_is_passed_over(tmp_path: Path) -> None:
    # A sheet saved as CSV keeps its title and notes above the header.
    path = tmp_path / "exhibitors.csv"
    path.write_text("Exhibitor list 2026,,\nAs of 1 December,,\n,,\nCompany,Phone,City\n"
                    "Alpha Ltd,+44 20 7946 0000,London\n,,Leeds\n", encoding="utf-8")
    found = CsvImport(path=path, source="test")
    assert [o.fields["name"] for o in found.observations()] == ["Alpha Ltd"]
    assert found.headers == ["Company", "Phone", "City"]
    assert [r.line for r in found.rejects] == [6]  # the file's own line
    # A header that names nothing, above rows that name nothing either, is still refused.
    path.write_text("Spalte1,Spalte2\nfoo,bar\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column names a lead field"):
        list(CsvImport(path=path, source="test").observations())


def test_a_list_from_one_country_takes_it_for_rows_that_name_none(tmp_path: Path) -> None:
    # A German trade-fair list names no country: its numbers are German, its addresses too.
    path = tmp_path / "aussteller.csv"
    path.write_text("Firma,Telefon,Land\nMüller GmbH,0711 123456,\nDupont SA,01 23 45 67 89,FR\n",
                    encoding="utf-8")
    rows = list(CsvImport(path=path, source="test", country="DE").observations())
    assert [(o.fields.get("country"), o.fields["phone"]) for o in rows] == [
        ("DE", "0711 123456"), ("FR", "01 23 45 67 89")]
    from prospect.models import normalize_fields
    assert normalize_fields(rows[0].fields)["phone"] == "+49711123456"


def test_a_country_cell_that_names_no_country_takes_the_list_s(tmp_path: Path) -> None:
    path = tmp_path / "aussteller.csv"
    path.write_text("Firma,Telefon,Land\nMüller GmbH,0711 123456,N/A\nBeta AG,089 765432,-\n"
                    "Dupont SA,01 23 45 67 89,Frankreich\n", encoding="utf-8")
    rows = list(CsvImport(path=path, source="test", country="DE").observations())
    assert [normalize_fields(o.fields)["country"] for o in rows] == ["DE", "DE", "FR"]
    assert rows[0].raw["Land"] == "N/A"  # as the file had it


def test_the_delimiter_is_the_one_that_splits_the_header_into_lead_fields(
        tmp_path: Path) -> None:
    # Too few rows, or mixed line ends, and Python's sniffer gives up (it fell back to ","
    # and read "Name;Telefon" as one column: every name lost).
    path = tmp_path / "kurz.csv"
    path.write_bytes("\ufeffName;Telefon\r\nA GmbH;+49 30 1234567\rB GmbH;+49 30 7654321\n"
                     .encode("utf-8"))
    found = CsvImport(path=path, source="test")
    rows = list(found.observations())
    assert found.delimiter == ";"
    assert [(o.fields["name"], o.fields["phone"]) for o in rows] == [
        ("A GmbH", "+49 30 1234567"), ("B GmbH", "+49 30 7654321")]
    # A name with a comma in a semicolon file, a tab file with a semicolon in a name.
    path.write_text("Firma;Ort\nMüller, Schmidt & Co. KG;Köln\n", encoding="utf-8")
    assert [o.fields for o in CsvImport(path=path, source="test").observations()] == [
        {"name": "Müller, Schmidt & Co. KG", "city": "Köln"}]
    path.write_text("Company\tCity\nA; B Ltd\tLeeds\n", encoding="utf-8")
    assert [o.fields["name"] for o in CsvImport(path=path, source="test").observations()] == [
        "A; B Ltd"]



def test_a_row_s_phone_or_e_mail_in_a_second_column_of_the_same_name_is_kept(
        tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("Company,Phone,Phone,Email,Email\n"
                    "Acme GmbH,0711 123456,,info@acme.de,\n"
                    "Beta AG,,089 765432,,sales@beta.de\n", encoding="utf-8")
    read = CsvImport(path=path, source="fair")
    assert [o.fields for o in read.observations()] == [
        {"name": "Acme GmbH", "phone": "0711 123456", "email": "info@acme.de"},
        {"name": "Beta AG", "phone": "089 765432", "email": "sales@beta.de"}]


def test_a_map_scraper_s_social_columns_are_the_lead_s_profiles(tmp_path: Path) -> None:
    # As Apify's Google Maps export flattens its lists ("facebooks/0") and Outscraper names
    # them: every network's page is kept; a handle without its network is not a page.
    path = tmp_path / "places.csv"
    path.write_text("title,phone,facebooks/0,facebooks/1,instagrams/0,twitter\n"
                    "Café Lento,+49 30 1234567,https://www.facebook.com/cafelento,,"
                    "https://www.instagram.com/cafelento,@cafelento\n", encoding="utf-8")
    (observation,) = CsvImport(path=path, source="maps").observations()
    fields = normalize_fields(observation.fields)
    assert fields["profiles"] == ("https://www.facebook.com/cafelento "
                                  "https://www.instagram.com/cafelento")


def test_an_export_imported_into_another_book_keeps_its_profiles(tmp_path: Path) -> None:
    from prospect.presets import EXPORT_COLUMNS

    path = tmp_path / "export.csv"
    row = dict.fromkeys(EXPORT_COLUMNS, "")
    row.update(id="7", name="Aceites Sur SL", country="ES",
               profiles="https://www.linkedin.com/company/aceites-sur https://x.com/aceitessur")
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, EXPORT_COLUMNS)
        writer.writeheader()
        writer.writerow(row)
    (observation,) = CsvImport(path=path, source="colleague").observations()
    assert normalize_fields(observation.fields)["profiles"] == row["profiles"]


def test_a_gzip_compressed_file_is_read_as_the_file_it_holds(tmp_path: Path) -> None:
    import gzip

    text = "Firma;Telefon;Ort\nRöstwerk GmbH;040 1234567;Hamburg\n"
    plain = tmp_path / "liste.csv"
    plain.write_bytes(text.encode("cp1252"))
    packed = tmp_path / "liste.csv.gz"
    packed.write_bytes(gzip.compress(text.encode("cp1252")))
    read = CsvImport(path=packed, source="fair")
    assert [o.fields for o in read.observations()] == [
        o.fields for o in CsvImport(path=plain, source="fair").observations()]
    assert read.delimiter == ";"
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(gzip.compress(text.encode())[:20])  # a download broken off
    with pytest.raises(InputError, match="cannot read"):
        list(CsvImport(path=cut, source="fair").observations())
    # Cut after its first megabyte: the rows before the cut are read, then it is said.
    rows = "".join(f"Röstwerk {i} GmbH;040 {i:07d};Hamburg\n" for i in range(60_000))
    whole = gzip.compress(("Firma;Telefon;Ort\n" + rows).encode())
    cut.write_bytes(whole[:len(whole) * 4 // 5])
    read = CsvImport(path=cut, source="fair")
    taken: list[object] = []
    with pytest.raises(InputError, match="cut short"):
        taken.extend(read.observations())
    assert len(taken) > 30_000


def test_a_header_row_met_again_is_no_lead(tmp_path: Path) -> None:
    # Two exports joined end to end ("cat a.csv b.csv"): the second header is no firm.
    path = tmp_path / "joined.csv"
    path.write_text("Company,Phone,City\nAcme GmbH,030 1234567,Berlin\n"
                    "company , phone,CITY\nBeta AG,089 7654321,München\n", encoding="utf-8")
    read = CsvImport(path=path, source="fair")
    assert [o.fields["name"] for o in read.observations()] == ["Acme GmbH", "Beta AG"]
    assert [(r.line, r.kept) for r in read.rejects] == [(3, False)]
    assert "header row again" in read.rejects[0].reason


def test_empty_cells_after_the_last_column_are_no_broken_row(tmp_path: Path) -> None:
    # "Acme,030 ...,Berlin,,," as spreadsheets write a row with empty cells to its right;
    # a row with more values than columns (an unquoted comma) is still one to look at.
    path = tmp_path / "trailing.csv"
    path.write_text("Company,Phone,City\nAcme GmbH,030 1234567,Berlin,,,\n"
                    "Beta AG,089 7654321,München, \nGamma, Delta KG,040 111,Hamburg\n",
                    encoding="utf-8")
    read = CsvImport(path=path, source="fair")
    assert [o.fields["name"] for o in read.observations()] == ["Acme GmbH", "Beta AG"]
    assert [(r.line, r.reason) for r in read.rejects] == [
        (4, "4 fields where the header has 3")]


def test_columns_without_a_name_are_not_listed_as_left_out(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("Company,Phone,Booth,,\nAcme GmbH,030 1234567,B12,,\n", encoding="utf-8")
    read = CsvImport(path=path, source="fair")
    list(read.observations())
    assert read.unmapped == ["Booth"]


def test_a_column_the_user_names_is_found_in_any_case(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("ID,Firma Name,Phone\n7,Acme GmbH,030 1234567\n", encoding="utf-8")
    read = CsvImport(path=path, source="fair", id_column="id",
                     overrides={"firma name": "name"})
    (observation,) = read.observations()
    assert observation.reference == "7" and observation.fields["name"] == "Acme GmbH"


def test_cells_that_say_they_hold_nothing_are_empty(tmp_path: Path) -> None:
    # A database export's NULL, a spreadsheet's #N/A, "k.A." and "暂无" are no town, no
    # postcode and no name: two firms "in" NULL do not share a town.
    path = tmp_path / "export.csv"
    path.write_text("Company,City,Postcode,Phone,Category\n"
                    "Acme GmbH,NULL,#N/A,030 1234567,k.A.\n"
                    "#N/A,N/A,n/a,-,暂无\n", encoding="utf-8")
    read = CsvImport(path=path, source="db")
    (observation,) = read.observations()
    assert normalize_fields(observation.fields) == {"name": "Acme GmbH", "legal_form": "gmbh",
                                                    "phone": "030 1234567"}
    assert observation.raw["City"] == "NULL"  # as the file had it
    assert [r.reason for r in read.rejects] == [
        "no name, website, e-mail, phone or registry number"]
    # A field from a source other than a file: the same.
    assert normalize_fields({"name": "Beta AG", "city": "null", "postcode": "None"}) == {
        "name": "Beta AG", "legal_form": "ag"}
