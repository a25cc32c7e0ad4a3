"""Pure normalisation of the fields a lead carries: names, phones, websites, e-mails, places.

Nothing here does I/O at call time: tldextract uses its bundled public-suffix snapshot and
never fetches, phonenumbers and pycountry ship their data. Every function takes raw text as
a source wrote it and returns a canonical form, or ``None`` when the text is not a value of
that kind (a website column that says "Yes", an e-mail column holding a date).

The package, each module importing only :mod:`~prospect.normalize.text` beside it:
:mod:`~prospect.normalize.text` (folding, scripts, data files),
:mod:`~prospect.normalize.names`, :mod:`~prospect.normalize.contacts`,
:mod:`~prospect.normalize.addresses`, :mod:`~prospect.normalize.places` and
:mod:`~prospect.normalize.identifiers`.
"""

from __future__ import annotations

from prospect.normalize.addresses import (
    NUMBER_WORDS,
    Address,
    is_direction,
    is_known_town,
    is_street_type,
    normalize_address,
    normalize_postcode,
    postcode_country,
    street_and_number,
    street_name,
    street_side,
    town,
)
from prospect.normalize.contacts import (
    Phone,
    first_email,
    first_site,
    is_disposable_mail,
    is_free_mail,
    is_shared_host,
    national_digits,
    normalize_email,
    normalize_phone,
    registered_domain,
)
from prospect.normalize.identifiers import normalize_date, normalize_identifier
from prospect.normalize.names import (
    CompanyName,
    cn_division,
    cn_divisions_at_head,
    is_not_a_lead,
    normalize_name,
)
from prospect.normalize.places import distance_km, normalize_country, normalize_position, read_position
from prospect.normalize.text import ARABIC_DIGITS, BLANK_CELLS, data_lines, fold, romanized

__all__ = [
    "ARABIC_DIGITS",
    "BLANK_CELLS",
    "NUMBER_WORDS",
    "Address",
    "CompanyName",
    "Phone",
    "cn_division",
    "cn_divisions_at_head",
    "data_lines",
    "distance_km",
    "first_email",
    "first_site",
    "fold",
    "is_direction",
    "is_disposable_mail",
    "is_free_mail",
    "is_known_town",
    "is_not_a_lead",
    "is_shared_host",
    "is_street_type",
    "national_digits",
    "normalize_address",
    "normalize_country",
    "normalize_date",
    "normalize_email",
    "normalize_identifier",
    "normalize_name",
    "normalize_phone",
    "normalize_position",
    "normalize_postcode",
    "postcode_country",
    "read_position",
    "registered_domain",
    "romanized",
    "street_and_number",
    "street_name",
    "street_side",
    "town",
]
