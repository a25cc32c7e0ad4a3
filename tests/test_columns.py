"""Reading spreadsheet headers as lead fields."""

from __future__ import annotations

import pytest

from prospect.columns import map_headers, row_fields


def test_a_map_scrapers_headers_are_read_by_their_last_words() -> None:
    # As Google Places, Outscraper and Apify export a place: the field is the header's end.
    assert map_headers(["formatted_address", "formatted_phone_number", "geometry.location.lat",
                        "geometry.location.lng", "website"]) == {
        "formatted_address": "address", "formatted_phone_number": "phone",
        "geometry.location.lat": "latitude", "geometry.location.lng": "longitude",
        "website": "website"}


def test_camel_case_headers_are_read_as_words() -> None:
    # schema.org's names, as JSON-LD flattened to columns writes them.
    assert map_headers(["name", "streetAddress", "addressLocality", "postalCode"]) == {
        "name": "name", "streetAddress": "address", "addressLocality": "city",
        "postalCode": "postcode"}


def test_a_header_named_whole_wins_over_one_read_by_its_end() -> None:
    # Both are the address: the one read by its end only where the other is empty.
    mapping = map_headers(["full_address", "street"])
    assert mapping == {"street": "address", "full_address": "address"}
    assert list(mapping) == ["street", "full_address"]


def test_a_google_contacts_export_gives_the_firm_its_contact_and_every_address() -> None:
    # Google Contacts' CSV: "<field> <n> - <part>"; "- Type" holds a label ("Work").
    mapping = map_headers([
        "Name", "Given Name", "Family Name", "E-mail 1 - Type", "E-mail 1 - Value",
        "E-mail 2 - Value", "Phone 1 - Type", "Phone 1 - Value", "Address 1 - Formatted",
        "Address 1 - City", "Address 1 - Postal Code", "Address 1 - Country",
        "Organization 1 - Name", "Organization 1 - Title", "Website 1 - Value"])
    assert mapping == {
        "Name": "contact_name", "Given Name": "given_name", "Family Name": "surname",
        "E-mail 1 - Value": "email", "E-mail 2 - Value": "email", "Phone 1 - Value": "phone",
        "Address 1 - Formatted": "address", "Address 1 - City": "city",
        "Address 1 - Postal Code": "postcode", "Address 1 - Country": "country",
        "Organization 1 - Name": "name", "Website 1 - Value": "website"}
    assert row_fields({"Name": "Ana Ruiz", "Organization 1 - Name": "Aceites Sur SL",
                       "E-mail 1 - Value": "", "E-mail 2 - Value": "ana@aceitessur.es",
                       "Phone 1 - Type": "Work", "Phone 1 - Value": "+34 912 345 678"},
                      mapping) == {"contact_name": "Ana Ruiz", "name": "Aceites Sur SL",
                                   "email": "ana@aceitessur.es", "phone": "+34 912 345 678"}


def test_an_outlook_contacts_export_keeps_every_phone_and_e_mail_column() -> None:
    mapping = map_headers(["First Name", "Last Name", "Company", "Job Title", "Business Phone",
                           "Business Phone 2", "Mobile Phone", "E-mail Address",
                           "E-mail 2 Address", "Web Page", "Business Street"])
    assert mapping == {
        "First Name": "given_name", "Last Name": "surname", "Company": "name",
        "Mobile Phone": "phone", "E-mail Address": "email", "E-mail 2 Address": "email",
        "Web Page": "website", "Business Phone": "phone", "Business Phone 2": "phone",
        "Business Street": "address"}


def test_headers_ending_in_a_common_word_are_not_read_by_it() -> None:
    # An account's number is no house number, an owner's name no firm's.
    assert map_headers(["Account Number", "Owner Name", "Order Date"]) == {}
    assert map_headers(["Company", "Owner Name"]) == {"Company": "name"}


def test_a_title_names_the_place_unless_a_person_or_a_name_is_there() -> None:
    # Apify's Google Maps export names each place "title".
    assert map_headers(["title", "address", "phone", "location.lat", "location.lng"]) == {
        "title": "name", "address": "address", "phone": "phone",
        "location.lat": "latitude", "location.lng": "longitude"}
    # In a contact list it is a job title.
    assert "Title" not in map_headers(["First Name", "Last Name", "Title", "Email"])
    assert map_headers(["Company", "Title", "Email"]) == {"Company": "name", "Email": "email"}


def test_plural_and_numbered_spellings_name_the_contact_fields() -> None:
    assert map_headers(["Company Name", "Phones", "Websites", "Contact Number"]) == {
        "Company Name": "name", "Phones": "phone", "Websites": "website",
        "Contact Number": "phone"}
    assert map_headers(["Name", "Contact Number"]) == {"Name": "name", "Contact Number": "phone"}


def test_numbered_columns_each_name_their_field() -> None:
    assert map_headers(["Business", "Phone 1", "Phone 2", "Email 1", "Website 1"]) == {
        "Business": "name", "Phone 1": "phone", "Phone 2": "phone", "Email 1": "email",
        "Website 1": "website"}
    assert map_headers(["Address 2", "Address 1"]) == {"Address 2": "address_2",
                                                       "Address 1": "address"}


def test_a_row_takes_a_field_from_the_first_of_its_columns_it_fills() -> None:
    # A second phone or e-mail column is where some rows keep their only one: kept, where
    # it was once dropped.
    mapping = map_headers(["Company", "Phone 1", "Phone 2", "Mobile", "Email", "E-Mail 2"])
    assert row_fields({"Company": "Beta AG", "Phone 1": "", "Phone 2": "089 765432",
                       "Mobile": "0171 1234567", "Email": "", "E-Mail 2": "sales@beta.de"},
                      mapping) == {"name": "Beta AG", "phone": "089 765432",
                                   "email": "sales@beta.de"}
    assert row_fields({"Company": "Acme", "Phone 1": "0711 1", "Phone 2": "0711 2",
                       "Mobile": "", "Email": "info@acme.de", "E-Mail 2": ""},
                      mapping) == {"name": "Acme", "phone": "0711 1", "email": "info@acme.de"}


def test_a_field_the_user_mapped_takes_only_the_user_s_columns() -> None:
    assert map_headers(["Company", "Tel", "Phone"], {"Tel": "phone"}) == {
        "Tel": "phone", "Company": "name"}


def test_a_number_glued_to_a_header_numbers_it() -> None:
    # CRM and scraper exports write "phone1", "email2", "Tel1" as often as "Phone 1".
    assert map_headers(["company", "phone1", "phone2", "email1", "website1"]) == {
        "company": "name", "phone1": "phone", "phone2": "phone", "email1": "email",
        "website1": "website"}
    # A header whose digits are its own name's stays as it was.
    assert map_headers(["Name", "ipv4", "x1", "Q3"]) == {"Name": "name"}


def test_what_a_firm_sells_is_its_category_in_english_too() -> None:
    # As "Produkte", "produits", "prodotti", "productos", "主营产品" already were.
    for header in ("Products", "Main Products", "Product", "经营范围"):
        assert map_headers(["Company", header]) == {"Company": "name", header: "category"}
    assert map_headers(["Company", "Product Name"]) == {"Company": "name"}


def test_an_organisation_s_and_a_consignee_s_name_are_a_lead_s_name() -> None:
    for header in ("org_name", "Org", "entity_name", "Supplier Name", "Vendor", "Consignee",
                   "Importer Name"):
        assert map_headers([header, "Phone"]) == {header: "name", "Phone": "phone"}, header


def test_a_trade_name_and_an_employer_number_are_read() -> None:
    assert map_headers(["DBA Name", "EIN", "Naam"]) == {"DBA Name": "name", "EIN": "tax_id",
                                                        "Naam": "name"}


@pytest.mark.parametrize("text", ["52.5163, 13.3777", "(52.5163,13.3777)", "52.5163 13.3777",
                                  "52,5163; 13,3777", "POINT(13.3777 52.5163)",
                                  "POINT Z (13.3777 52.5163 34)", "[13.3777, 52.5163]"])
def test_a_position_in_one_column_is_read_in_its_format_s_order(text: str) -> None:
    # A map copies latitude first; WKT and GeoJSON write longitude first.
    mapping = map_headers(["Name", "Coordinates"])
    fields = row_fields({"Name": "Brandenburger Tor", "Coordinates": text}, mapping)
    assert (float(fields["latitude"].replace(",", ".")),
            float(fields["longitude"].replace(",", "."))) == (52.5163, 13.3777)


def test_a_position_in_one_column_gives_way_to_its_own_columns() -> None:
    mapping = map_headers(["Name", "Lat", "Lon", "GPS"])
    fields = row_fields({"Name": "X", "Lat": "1.3", "Lon": "103.8", "GPS": "52.5, 13.4"},
                        mapping)
    assert (fields["latitude"], fields["longitude"]) == ("1.3", "103.8")
    # Unread, the import says why it left the position out (see CsvImport).
    assert row_fields({"Name": "X", "GPS": "Berlin"}, map_headers(["Name", "GPS"])) == {
        "name": "X", "latitude": "Berlin", "longitude": ""}


def test_a_map_scraper_s_or_an_api_s_category_is_the_lead_s_category() -> None:
    # Apify's "categoryName", Yelp's categories flattened from JSON, Outscraper's "subtypes".
    assert map_headers(["title", "categoryName"]) == {"title": "name", "categoryName": "category"}
    assert map_headers(["name", "categories/0.title", "categories/0.alias"]) == {
        "name": "name", "categories/0.title": "category"}
    assert map_headers(["name", "type", "subtypes"]) == {
        "name": "name", "type": "category", "subtypes": "category"}


def test_a_computer_s_address_or_a_picture_s_link_is_no_field() -> None:
    # Read by their ends they would be an address and a site, after the real ones.
    assert map_headers(["Company", "Address", "IP Address", "Website", "image_url"]) == {
        "Company": "name", "Address": "address", "Website": "website"}


def test_crm_exports_name_their_lines_domains_contacts_and_pages() -> None:
    # HubSpot's companies export: line two of the street, the domain, the LinkedIn page.
    assert map_headers(["Company name", "Company Domain Name", "Street Address",
                        "Street Address 2", "LinkedIn Company Page"]) == {
        "Company name": "name", "Company Domain Name": "website", "Street Address": "address",
        "Street Address 2": "address_2", "LinkedIn Company Page": "profiles"}
    # Pipedrive's: the organisation is the lead. (Its "Person - Name" stays out: a patent
    # register's "person_name" is the applicant, a firm as often as not.)
    assert map_headers(["Organization - Name", "Person - Name", "Person - Email"]) == {
        "Organization - Name": "name", "Person - Email": "email"}
    # Google Contacts' second address is an address of its own, not the first one's line two.
    assert map_headers(["Organization 1 - Name", "Address 1 - Formatted",
                        "Address 2 - Formatted"]) == {
        "Organization 1 - Name": "name", "Address 1 - Formatted": "address",
        "Address 2 - Formatted": "address"}
