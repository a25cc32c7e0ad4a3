"""Reading a CSV file into observations: what a row needs to become a lead."""

from __future__ import annotations

from pathlib import Path

from prospect.csvio import CsvImport


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
