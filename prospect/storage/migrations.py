"""The lead book's schema, as named sqlite-utils migrations that later features extend."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlite_utils import Database, Migrations

__all__ = ["FACET_INDEXES", "READ_ANEW", "derived_keys", "migrations"]

migrations = Migrations("prospect")


@migrations()
def m001_lead_book(db: Database) -> None:
    """Leads, their observations, blocking keys, merges, suppressions and forgotten hashes."""
    db.execute("""
        CREATE TABLE leads (
            id INTEGER PRIMARY KEY,
            name TEXT, legal_form TEXT, contact_name TEXT, website TEXT, domain TEXT,
            email TEXT, phone TEXT, fax TEXT, address TEXT, city TEXT, postcode TEXT,
            region TEXT, country TEXT, vat TEXT, lei TEXT, company_number TEXT, uscc TEXT,
            category TEXT, description TEXT, profiles TEXT,
            sources TEXT NOT NULL DEFAULT '[]',
            provenance TEXT NOT NULL DEFAULT '{}',
            observation_count INTEGER NOT NULL DEFAULT 0,
            suppressed INTEGER NOT NULL DEFAULT 0,
            first_seen TEXT, last_seen TEXT
        )""")
    db.execute("""
        CREATE TABLE observations (
            id INTEGER PRIMARY KEY,
            lead_id INTEGER NOT NULL REFERENCES leads(id),
            source TEXT NOT NULL,
            reference TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            raw TEXT NOT NULL,
            fields TEXT NOT NULL,
            match TEXT,
            UNIQUE (source, reference)
        )""")
    db.execute("CREATE INDEX observations_lead ON observations(lead_id)")
    db.execute("""
        CREATE TABLE lead_keys (
            key TEXT NOT NULL,
            lead_id INTEGER NOT NULL REFERENCES leads(id),
            PRIMARY KEY (key, lead_id)
        ) WITHOUT ROWID""")
    db.execute("CREATE INDEX lead_keys_lead ON lead_keys(lead_id)")
    db.execute("""
        CREATE TABLE merges (
            id INTEGER PRIMARY KEY,
            kept_id INTEGER NOT NULL,
            absorbed_id INTEGER NOT NULL,
            observation_ids TEXT NOT NULL,
            absorbed_lead TEXT NOT NULL,
            reason TEXT NOT NULL,
            created TEXT NOT NULL,
            undone TEXT
        )""")
    db.execute("""
        CREATE TABLE cannot_link (
            obs_a INTEGER NOT NULL, obs_b INTEGER NOT NULL, created TEXT NOT NULL,
            PRIMARY KEY (obs_a, obs_b)
        )""")
    db.execute("""
        CREATE TABLE suppressions (
            kind TEXT NOT NULL, value TEXT NOT NULL, created TEXT NOT NULL,
            PRIMARY KEY (kind, value)
        )""")
    db.execute("""
        CREATE TABLE forgotten (
            hash TEXT PRIMARY KEY, kind TEXT NOT NULL, created TEXT NOT NULL
        )""")
    db.execute("CREATE TABLE name_tokens (token TEXT PRIMARY KEY, count INTEGER NOT NULL)")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.table("leads").enable_fts(
        ["name", "contact_name", "address", "city"], create_triggers=True, tokenize="unicode61"
    )


@migrations()
def m002_personal_identifiers(db: Database) -> None:
    """A sole trader's tax number and the contact's birth date, for telling people apart."""
    db.execute("ALTER TABLE leads ADD COLUMN tax_id TEXT")
    db.execute("ALTER TABLE leads ADD COLUMN birth_date TEXT")


@migrations()
def m003_saved_searches(db: Database) -> None:
    """Searches saved with ``search --save NAME``, for ``refresh`` to run again."""
    db.execute("""
        CREATE TABLE saved_searches (
            name TEXT PRIMARY KEY,
            query TEXT NOT NULL,
            place TEXT,
            country TEXT,
            sources TEXT NOT NULL,
            lim INTEGER NOT NULL,
            created TEXT NOT NULL,
            last_run TEXT
        )""")


@migrations()
def m004_vettings(db: Database) -> None:
    """Vetting runs and their findings, kept per run so ``show`` can say why a grade changed."""
    db.execute("ALTER TABLE leads ADD COLUMN grade TEXT")
    db.execute("ALTER TABLE leads ADD COLUMN vetted_at TEXT")
    db.execute("CREATE INDEX leads_grade ON leads(grade)")
    db.execute("""
        CREATE TABLE vettings (
            id INTEGER PRIMARY KEY,
            lead_id INTEGER REFERENCES leads(id),
            at TEXT NOT NULL,
            grade TEXT NOT NULL,
            score REAL NOT NULL,
            confidence REAL NOT NULL,
            listen_score REAL,
            input TEXT,
            decided_by TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX vettings_lead ON vettings(lead_id, at)")
    db.execute("""
        CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            vetting_id INTEGER NOT NULL REFERENCES vettings(id),
            lead_id INTEGER REFERENCES leads(id),
            step TEXT NOT NULL,
            check_name TEXT NOT NULL,
            verdict TEXT NOT NULL,
            detail TEXT NOT NULL,
            evidence TEXT NOT NULL,
            weight REAL NOT NULL,
            hard INTEGER NOT NULL DEFAULT 0,
            score REAL
        )""")
    db.execute("CREATE INDEX findings_vetting ON findings(vetting_id)")


@migrations()
def m005_refresh(db: Database) -> None:
    """Refresh runs, which saved search listed which lead, and leads that went quiet."""
    db.execute("ALTER TABLE leads ADD COLUMN quiet_since TEXT")
    db.execute("""
        CREATE TABLE search_leads (
            search TEXT NOT NULL, lead_id INTEGER NOT NULL REFERENCES leads(id),
            first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
            PRIMARY KEY (search, lead_id)
        )""")
    db.execute("""
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            started TEXT NOT NULL,
            finished TEXT,
            status TEXT NOT NULL,
            report TEXT NOT NULL DEFAULT '',
            changes TEXT NOT NULL DEFAULT '{}'
        )""")


@migrations()
def m006_follow_up(db: Database) -> None:
    """Follow-up status, the activity log, user values for ranking, rank score and tier."""
    db.execute("ALTER TABLE leads ADD COLUMN status TEXT NOT NULL DEFAULT 'new'")
    db.execute("ALTER TABLE leads ADD COLUMN touched_at TEXT")
    db.execute("ALTER TABLE leads ADD COLUMN vet_score REAL")
    db.execute("ALTER TABLE leads ADD COLUMN user_values TEXT NOT NULL DEFAULT '{}'")
    db.execute("ALTER TABLE leads ADD COLUMN rank_score REAL")
    db.execute("ALTER TABLE leads ADD COLUMN tier TEXT")
    db.execute("CREATE INDEX leads_status ON leads(status, touched_at)")
    db.execute("""
        UPDATE leads SET vet_score = (
            SELECT score FROM vettings v WHERE v.lead_id = leads.id ORDER BY at DESC, id DESC LIMIT 1)
        WHERE grade IS NOT NULL""")
    db.execute("""
        CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            lead_id INTEGER NOT NULL REFERENCES leads(id),
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT,
            note TEXT
        )""")
    db.execute("CREATE INDEX activities_lead ON activities(lead_id, at)")
    # The full-text index only needs refreshing when an indexed column changes; without the
    # column list every status, grade or rank update re-indexed the row.
    db.execute("DROP TRIGGER IF EXISTS leads_au")
    db.execute("""
        CREATE TRIGGER "leads_au" AFTER UPDATE OF "name", "contact_name", "address", "city"
        ON "leads" BEGIN
          INSERT INTO "leads_fts" ("leads_fts", rowid, "name", "contact_name", "address", "city")
            VALUES('delete', old.rowid, old."name", old."contact_name", old."address", old."city");
          INSERT INTO "leads_fts" (rowid, "name", "contact_name", "address", "city")
            VALUES (new.rowid, new."name", new."contact_name", new."address", new."city");
        END""")
    # Which activities a merge moved, so that unmerge gives each lead its own log back.
    db.execute("ALTER TABLE merges ADD COLUMN activity_ids TEXT NOT NULL DEFAULT '[]'")


@migrations()
def m007_address_keys_by_town(db: Database) -> None:
    """Blocking keys rebuilt from the observations: a street address now keys with its town."""
    _rebuild_keys(db, "m007_address_keys_by_town")


def _rebuilt_later(db: Database, name: str) -> bool:
    """Will a migration after ``name``, pending too, rebuild every blocking key?"""
    # A book several versions old would otherwise derive every key once a migration.
    return any(m.name > name and m.name in _REBUILDING for m in migrations.pending(db))


def _rebuild_keys(db: Database, name: str) -> None:
    """Rebuild the blocking keys, and the value counts beside the names' words, for
    migration ``name``, unless a later one will."""
    if _rebuilt_later(db, name):
        return
    counts: dict[str, int] = {}
    db.execute("DELETE FROM lead_keys")
    db.conn.executemany("INSERT OR IGNORE INTO lead_keys (key, lead_id) VALUES (?, ?)",
                        derived_keys(db, counts=counts))
    # Counted anew, whole; not what the clustering learned (see dedupe.CountingStats).
    db.execute("DELETE FROM name_tokens WHERE token LIKE '% %' AND substr(token, 1, 2) NOT IN "
               "('w ', 'e ')")
    db.conn.executemany("INSERT INTO name_tokens (token, count) VALUES (?, ?)", counts.items())


@migrations()
def m008_keys_by_lead(db: Database) -> None:
    """Blocking keys stored lead by lead (an import appends them nearly in order), found by key."""
    db.execute("""
        CREATE TABLE lead_keys_by_lead (
            lead_id INTEGER NOT NULL REFERENCES leads(id),
            key TEXT NOT NULL,
            PRIMARY KEY (lead_id, key)
        ) WITHOUT ROWID""")
    db.execute("INSERT INTO lead_keys_by_lead (lead_id, key) "
               "SELECT lead_id, key FROM lead_keys ORDER BY lead_id, key")
    db.execute("DROP TABLE lead_keys")
    db.execute("ALTER TABLE lead_keys_by_lead RENAME TO lead_keys")
    db.execute("CREATE INDEX lead_keys_key ON lead_keys(key)")


@migrations()
def m009_name_keys_by_place(db: Database) -> None:
    """Blocking keys rebuilt: a name's words key with its postcode, its head and tail its town."""
    _rebuild_keys(db, "m009_name_keys_by_place")


@migrations()
def m010_location(db: Database) -> None:
    """Where each lead is: latitude and longitude, filled from the map sources' raw records."""
    db.execute("ALTER TABLE leads ADD COLUMN latitude REAL")
    db.execute("ALTER TABLE leads ADD COLUMN longitude REAL")
    # OSM nodes carry lat/lon, ways and relations a centre: the lead's first such record.
    db.execute("""
        UPDATE leads SET
          latitude = (SELECT coalesce(json_extract(o.raw, '$.lat'), json_extract(o.raw, '$.center.lat'))
                      FROM observations o WHERE o.lead_id = leads.id AND o.raw LIKE '%"lat"%'
                      ORDER BY o.id LIMIT 1),
          longitude = (SELECT coalesce(json_extract(o.raw, '$.lon'), json_extract(o.raw, '$.center.lon'))
                       FROM observations o WHERE o.lead_id = leads.id AND o.raw LIKE '%"lat"%'
                       ORDER BY o.id LIMIT 1)
        WHERE EXISTS (SELECT 1 FROM observations o WHERE o.lead_id = leads.id
                      AND o.raw LIKE '%"lat"%')""")
    db.execute("CREATE INDEX leads_position ON leads(latitude, longitude)")


@migrations()
def m011_lead_list(db: Database) -> None:
    """A view of the leads as a person reads them, and indexes for counting them by facet.

    The view is what ``prospect serve`` lists (any SQLite tool can read it too): the map's
    popup, the grade and name linking the lead page, travels with each row. The indexes let
    the list count leads by country, city, tier, source and follow-up state without reading
    every row of a large book.
    """
    db.execute("""
        CREATE VIEW lead_list AS SELECT
          id, grade, name, status, suppressed AS do_not_contact,
          country, city, postcode, address, website, phone, email, sources, tier,
          round(rank_score, 1) AS rank, vetted_at, touched_at, first_seen, last_seen,
          latitude, longitude,
          json_object('title', coalesce(grade || ' · ', '') || coalesce(name, '(no name)'),
                      'description', trim(coalesce(city, '') || ' ' || coalesce(country, '')),
                      'link', '/-/lead/' || id) AS popup
        FROM leads""")
    for name, columns in FACET_INDEXES.items():
        db.execute(f"CREATE INDEX {name} ON leads({columns})")


@migrations()
def m012_name_keys_by_position(db: Database) -> None:
    """Blocking keys added: the name's words of a record with a position, around that position."""
    if _rebuilt_later(db, "m012_name_keys_by_position"):
        return
    db.conn.executemany("INSERT OR IGNORE INTO lead_keys (key, lead_id) VALUES (?, ?)",
                        derived_keys(db, """fields LIKE '%"latitude"%'""", "g:"))


@migrations()
def m013_address_spellings(db: Database) -> None:
    """Blocking keys rebuilt: Italian and Spanish street types and number markers read alike."""
    _rebuild_keys(db, "m013_address_spellings")


@migrations()
def m014_number_words_and_postcode_prefixes(db: Database) -> None:
    """Blocking keys rebuilt: "One Penn Plaza" has house number 1, "DE-93437" is 93437."""
    _rebuild_keys(db, "m014_number_words_and_postcode_prefixes")


@migrations()
def m015_streets_named_by_a_direction(db: Database) -> None:
    """Blocking keys rebuilt: "5 North St" is on a street named "n", no longer on none.

    It also brings the name keys up to the cores read since m014: "St." as "saint", "@" as
    "at", "Ł" as "l", and a sound key for a record with nothing but a name.
    """
    _rebuild_keys(db, "m015_streets_named_by_a_direction")


@migrations()
def m016_units_blocks_and_town_lines(db: Database) -> None:
    """Blocking keys rebuilt: "#02-15" and "12/F" say where inside, not the house number;
    "Blk 531" is, and 12 of "Shop 4/12 Smith St"; a town line's postcode is no house number;
    a post office box is no street address. The name keys too: the seat after a name that
    a legal form leads ("N.V. Nutricia, Zoetermeer") is not the name, a dotted form glued
    to the last word ("ELECTRONICSN.V.") is a form, and a parent's form inside a name that
    ends in its own ("... Inc. Netherlands B.V.") does not end it."""
    _rebuild_keys(db, "m016_units_blocks_and_town_lines")


@migrations()
def m017_street_names_after_articles(db: Database) -> None:
    """Blocking keys rebuilt: a street is keyed by its name's first word, not by the article
    before it ("Calle de la Cava Baja" by "cava", no longer "de"); "s/n" is no number, nor
    is the postcode of a town's line written without a comma ("Rue de Rivoli 75001 Paris"),
    nor a London postcode's ("N1 0NU"); "10 Court Street" is on "ct". Name keys too:
    "SARL Boulangerie Dupont" is "boulangerie dupont", "Gebr. Müller" "gebroeders muller"."""
    _rebuild_keys(db, "m017_street_names_after_articles")


@migrations()
def m018_chinese_divisions_apart(db: Database) -> None:
    """Blocking keys rebuilt: a Chinese firm's name keys by its trade name apart from the
    division its registry is in ("深圳市华为技术" by "华为技术", as "华为技术" is). Names too:
    Korean, Russian, Vietnamese, Thai, Arabic, Brazilian and Mexican legal forms are split
    off; Thai and Indic vowel signs stay in their words, Hangul in its syllables. Addresses
    of Russia, Turkey, Brazil, Vietnam, Korea, Japan, Indonesia and Colombia are read by
    their street types, number markers and districts ("ул. Тверская, д. 7" is 7 on
    "тверская"), and a Malay street keys by its name, not by "Jalan". A town keys by the
    name GeoNames gives it ("München" as "munich")."""
    _rebuild_keys(db, "m018_chinese_divisions_apart")


@migrations()
def m019_keys_and_value_counts(db: Database) -> None:
    """Blocking keys rebuilt: India's plots, sectors, blocks and named floors ("Plot No. 45,
    Sector 18" is 45 on "sector 18"), and "99/9" outside Australia and New Zealand the
    door 99 (there, unit 99 of door 9); a Thai address by its road ("ถนนสุขุมวิท") or lane;
    "Highway 7", "Route 51", "Road No. 12" as streets, Hyderabad's "8-2-293" one door;
    "263 Tampines St 21" on "Tampines St 21", as "Tampines Street 21, 263" is; "Sun Spa"
    keyed by its whole name (its "Spa" is no S.p.A.); Sapporo's grid ("北1条西2丁目1-1").
    A name's first four letters key around its position too ("Laing" meets "Laings").
    In the same pass, beside the names' words, how many records carry each town and
    legal-form family (as imports count them): dedupe weighs agreeing on a common one less.
    """
    _rebuild_keys(db, "m019_keys_and_value_counts")


@migrations()
def m020_buildings_before_the_street(db: Database) -> None:
    """Blocking keys rebuilt: a building's, an estate's or an area's name before a typed
    street is not the street's ("Ngee Ann Polytechnic, 535 Clementi Rd" is on "clementi",
    "ZI des Paluds, 123 avenue du Douard" on "du douard"); an ordinal as its digits say
    ("E 93th St" is on "93rd", "124 E 113 ST" on "113th"); a corner by its first street
    ("Yonge St & Bloor St" on "yonge"); "Mel Lastman Square, 5100 Yonge Street" on
    "yonge", "Highway 401, at Dixie Rd" on "hwy 401"; Canada's "900-595 Bay St" is door 595
    (a Canadian postcode says Canada where no country is given); a birth date keyed with
    each word of the name as well as the town; value counts with them."""
    _rebuild_keys(db, "m020_buildings_before_the_street")


@migrations()
def m021_units_and_numbered_buildings(db: Database) -> None:
    """Blocking keys rebuilt: a unit and its door joined by a hyphen after the unit's word
    ("Unit 17-773 Warden Ave" is door 773 on "warden"); a building named by a number and a
    word no door ("313@Somerset, 313 Orchard Rd" is on "orchard"); units listed after "#"
    none a door; "West 93 And Broadway" on "93rd"; after a typed street, a part with no
    number and no type is the place around ("High Street, Little Snoring" is on "high");
    Taiwan's road sections ("信義路五段7號" is on "信义路五段") and a Chinese road without its
    door ("...长安镇霄边社区振安中路" on "振安中路"); a lane's number ("Lorong 4 Toa Payoh" is on
    "lorong 4 toa payoh"); doors listed after a comma ("East Carson Street, 2328, 2330");
    "Imp. & Exp.", "Apts", "Bldg" and other shortened words of names as written out."""
    _rebuild_keys(db, "m021_units_and_numbered_buildings")


@migrations()
def m022_records_by_source(db: Database) -> None:
    """How many records each source listed, beside the names' words: dedupe learns what a
    source that lists a lead already listing another record says (see
    dedupe.CountingStats.listed_apart)."""
    db.execute("DELETE FROM name_tokens WHERE substr(token, 1, 2) = 's '")
    db.execute("INSERT INTO name_tokens (token, count) SELECT 's ' || source, count(*) "
               "FROM observations GROUP BY source")
    db.execute("INSERT INTO name_tokens (token, count) SELECT 's ', count(*) FROM observations "
               "HAVING count(*) > 0")


# Migrations after which dedupe reads a book's records otherwise (names, addresses, towns):
# leads it would now join stay apart until 'prospect dedupe' clusters the book again.
READ_ANEW = frozenset({"m013_address_spellings", "m014_number_words_and_postcode_prefixes",
                       "m015_streets_named_by_a_direction", "m016_units_blocks_and_town_lines",
                       "m017_street_names_after_articles", "m018_chinese_divisions_apart",
                       "m019_keys_and_value_counts", "m020_buildings_before_the_street",
                       "m021_units_and_numbered_buildings"})
# Migrations that rebuild the blocking keys (only the last one pending does).
_REBUILDING = frozenset({
    "m007_address_keys_by_town", "m009_name_keys_by_place", *READ_ANEW})


# The indexes behind the lead list's facets (an import into an empty book builds them last).
FACET_INDEXES = {
    "leads_country": "country",
    "leads_city": "city",
    "leads_tier": "tier",
    "leads_sources": "sources",
    "leads_follow_up": "suppressed, vetted_at, touched_at, first_seen",
}


def derived_keys(db: Database, where: str = "1", prefix: str = "",
                 counts: dict[str, int] | None = None) -> Iterator[tuple[str, int]]:
    """Every lead's blocking keys, derived from its observations: what ``lead_keys`` holds.

    ``where``: which observations (SQL); ``prefix``: only the keys that start with it;
    ``counts``: where to add up the observations' :func:`prospect.keys.value_counts` on the way.
    """
    from prospect import keys  # pure functions, imported late so the CLI starts fast

    cursor = db.conn.cursor()  # a cursor of its own: the caller inserts as this one reads
    cursor.execute(f"SELECT lead_id, fields, source FROM observations WHERE {where} ORDER BY id")
    while rows := cursor.fetchmany(5000):
        sigs = [(lead_id, keys.signature(json.loads(fields), source))
                for lead_id, fields, source in rows]
        if counts is not None:
            for token, k in keys.value_counts(sig for _, sig in sigs).items():
                counts[token] = counts.get(token, 0) + k
        yield from sorted({(key, lead_id) for lead_id, sig in sigs
                           for key in keys.blocking_keys(sig) if key.startswith(prefix)})
