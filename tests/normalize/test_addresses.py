"""Street addresses, postcodes and towns, in the layouts people write."""

from __future__ import annotations

import pytest

from prospect import normalize as n


def test_address_and_postcode() -> None:
    a = n.normalize_address("3449 W. Arthington Street")
    assert a is not None and (a.number, a.street) == ("3449", "arthington ~w")
    assert n.street_side(a.street) == ("arthington", "w")
    b = n.normalize_address("Bahnhofstraße 12")
    assert b is not None and (b.number, b.street) == ("12", "bahnhofstr")
    assert n.normalize_postcode("sw1a 1aa") == "SW1A1AA"
    assert n.normalize_postcode("60608-1234") == "60608"


def test_chinese_folds_to_one_way_of_writing_it() -> None:
    """Traditional characters (Hong Kong, Taiwan) fold to simplified, as accents drop: one
    name, one address, one town; a Japanese name keeps its kanji."""
    assert n.normalize_name("廣州市藍海電子有限公司") == n.normalize_name("广州市蓝海电子有限公司")
    assert n.street_and_number("廣州市天河區體育西路5號") == ("体育西路", "5")
    assert n.town("臺北市") == n.town("台北") == n.town("Taipei")
    assert n.normalize_name("トヨタ自動車株式会社").core == "トヨタ自動車"


def test_a_town_reads_as_one_whatever_language_names_it() -> None:
    """GeoNames' other names of a town: its own language's, another's, an old one."""
    for names in (("München", "Munich", "Muenchen"), ("Köln", "Cologne"),
                  ("Bangalore", "Bengaluru"), ("Москва", "Moscow"), ("Wien", "Vienna"),
                  ("Saigon", "Thành phố Hồ Chí Minh", "胡志明市"), ("上海市", "Shanghai"),
                  ("New York", "New York City"), ("Bombay", "Mumbai"),
                  ("深圳", "深圳市", "Shenzhen"), ("東京", "東京都", "Tokyo"),
                  ("서울", "서울특별시", "Seoul")):
        assert len({n.town(name) for name in names}) == 1, names
    assert n.town("York") != n.town("Hull") and n.town("Leeds") == "leeds"
    # Another town's own name is not taken for another's other name: GeoNames gives Dayton,
    # Ohio, "Venice" among its names.
    assert n.town("Venice") == "venice" and n.town("Medina") == "medina"
    assert n.town("Kleinkleckersdorf") == "kleinkleckersdorf"  # a town it does not list


@pytest.mark.parametrize(("raw", "street", "number"), [
    ("79-15 Roosevelt Ave.", "roosevelt", "7915"),  # a Queens house number is one number
    ("7915 Roosevelt Ave.", "roosevelt", "7915"),
    ("520 3rd Ave", "3rd", "520"),  # an ordinal names the street
    ("100 Seventh Avenue", "7th", "100"),  # written as a word or as digits
    ("100 7th Ave", "7th", "100"),
    ("123 Main St. at 2nd Ave", "main", "123"),  # a cross street is another street
    ("5th Ave between 20th and 21st Streets", "5th", None),
    ("Suite 200, 12 High St", "high", "12"),  # a unit before the street
    ("Via Roma, 12", "roma", "12"),  # the number after a comma
    ("Via del Corso 12", "del cso", "12"),  # a type's word after an article is the name's
    ("Hauptstraße 5-7", "hauptstr", "5"),  # a German range keeps its first number
    ("Am Markt 3 a", "am markt", "3a"),  # a house number's letter written apart
    ("Keizersgracht 123 A", "keizersgracht", "123a"),
    ("Rue du Rhône 12 bis", "du rhone", "12bis"),  # a second house on one plot
    ("12 bis rue du Rhône", "du rhone", "12bis"),
    ("Flat 2, 10 Downing Street", "downing", "10"),  # a flat's number is not the house's
    ("Flat Rock Road 5", "flat rock", "5"),  # but Flat names this street
    ("5 E 42nd St", "42nd ~e", "5"),  # a letter before the street's name is no suffix
    ("浙江省宁波市北仑区新碶街道明州路188号", "明州路", "188"),  # after the divisions
    ("上海市浦东新区张江高科技园区碧波路690号4号楼301室", "碧波路", "690"),
    ("北京市海淀区中关村大街1号", "中关村大街", "1"),
    ("台北市信義區信義路五段7號", "信义路五段", "7"),  # Taiwan: a road's section is the street's
    ("台北市大安區忠孝東路四段216巷27弄8號", "忠孝东路四段216巷27弄", "8"),  # and its lane
    ("中国广东省东莞市长安镇霄边社区振安中路", "振安中路", None),  # a road without its door
    ("Straße des 17. Juni 135", "des 17th juni", "135"),  # a German ordinal names the street
    ("Hauptstr. 5, 2. Stock", "hauptstr", "5"),
    ("3rd Floor, 12 High St", "high", "12"),  # a floor by its ordinal is inside
    ("12 High St, 3rd Floor", "high", "12"),
    ("2nd floor 12 High St", "high", "12"),
    ("710 W 65th Building Z", "65th ~w", "710"),  # but a building on 65th Street is on 65th
    ("2850 W. 24Th St.", "24th ~w", "2850"),  # an initial's dot is no glue: not "w24th"
    ("2850 W 24 TH BLVD", "24th ~w", "2850"),  # an ordinal's suffix written apart
    ("3450-54 West 79th Street", "79th ~w", "3450"),  # a range of doors starts at its first
    ("144-20 Jamaica Ave", "jamaica", "14420"),  # while Queens' hyphen joins one number
    ("50-52 Bernard Street", "bernard", "50"),  # doors a few apart: a British range
    ("42-45 Queensferry Street", "queensferry", "42"),  # as OSM lists it: "42-43-44-45"
    ("Queensferry Street, 42-43-44-45", "queensferry", "42"),
    # The street first, its house number after the last comma (OpenStreetMap's two tags): a
    # number in the street's name names the street.
    ("Jurong West Street 41, 5", "jurong 41 ~w", "5"),
    ("Lorong 16 Geylang, 25", "lorong 16 geylang", "25"),
    ("East Carson Street, 1107", "carson ~e", "1107"),
    ("Straße des 17. Juni, 135", "des 17th juni", "135"),
    ("263 Tampines St 21", "tampines 21", "263"),  # the house number first: read alike
    # A direction alone before the type is the street's name.
    ("5 North St", "n", "5"),
    ("1600 W North Ave", "n", "1600"),
    # Before or after the name, the side of a street or of a town ("~w": see street_side).
    ("North Bridge Road, 331", "bridge ~n", "331"),
    ("1600 Pennsylvania Ave NW", "pennsylvania ~nw", "1600"),
    # The town's line after the street, known by its postcode, is not the street's.
    ("12 rue de la Paix, 75002 Paris", "de la paix", "12"),
    ("12 High Street, London, SW1A 1AA", "high", "12"),
    ("Hauptstraße 5, DE-80331 München", "hauptstr", "5"),
    ("Via Roma, 12, 00100 Roma", "roma", "12"),
    ("1600 Amphitheatre Pkwy, Mountain View, CA 94043", "amphitheatre", "1600"),
    ("Av. da Liberdade 110, 1269-046 Lisboa", "da liberdade", "110"),
    ("ul. Marszałkowska 10, 00-001 Warszawa", "marszalkowska", "10"),
    # Hungary's and Czechia's types, written out or shortened, read alike.
    ("Nádor utca 7.", "nador", "7"),
    ("Nádor u. 7", "nador", "7"),
    ("Teréz krt. 12.", "terez", "12"),
    ("Teréz körút 12", "terez", "12"),
    ("Václavské nám. 837/11", "vaclavske", "837"),
    ("Václavské náměstí 837/11", "vaclavske", "837"),
    # Arabic: the type before the name or left out, the door in either script's digits.
    ("15 شارع التحرير", "التحرير", "15"),
    ("١٥ شارع التحرير، الدقي", "التحرير", "15"),
    ("ش. التحرير 15", "التحرير", "15"),
    ("Boulevard of the Allies, 1234", "of the allies", "1234"),  # a number, no postcode
    ("Jalan Ampang, 50450 Kuala Lumpur", "jalan ampang", None),  # a postcode, no number
    # Where inside, as Singapore and Hong Kong write it: a unit, a floor.
    ("#02-15, 391 Orchard Road", "orchard", "391"),
    ("Beach Road, #04-06 152", "beach", "152"),
    ("Kim Seng Promenade, #01-01/02, 1", "kim seng promenade", "1"),
    ("Room 1203, 12/F, 88 Queen's Road Central", "queens central", "88"),
    ("G/F, 15 Hollywood Road", "hollywood", "15"),
    # A post office box is no street address, nor the town after it; a street beside it is.
    ("Postbus 123, 1000 AB Amsterdam", "", None),
    ("P.O. Box 55, Springfield", "", None),
    ("PO Box 7, 12 High St", "high", "12"),
    ("Box Hill Road 5", "box hill", "5"),
    ("12 Main St, Box 5", "main", "12"),
    # A unit and the house number before the street, as Australia writes them.
    ("Shop 4/12 Smith St, Fitzroy VIC 3065", "smith", "12"),
    ("23/24 Sandport Place", "sandport", "23"),  # but two doors, as Britain writes them
    ("Avenue Louise 54 bte 3", "louise", "54"),  # a Belgian box is inside
    # A Singapore block is the house number; a number after the type names the street.
    ("Blk 19 Ghim Moh Road #01-237", "ghim moh", "19"),
    ("Ang Mo Kio Avenue 10, Block 531", "ang mo kio 10", "531"),
    # The town's line without a comma: its postcode is no house number, its town no street.
    ("Rue de Rivoli 75001 Paris", "de rivoli", None),
    ("12 rue de la Paix 75002 Paris", "de la paix", "12"),
    ("Kerkstraat 12 1017 GC Amsterdam", "kerkstraat", "12"),
    ("36 Lorong Mambong 277693 Singapore", "lorong mambong", "36"),
    # But a part that leads with a house number after a place's name is a street address,
    # and the place's name (a building's, an estate's, an area's) not the street's.
    ("Desert Ridge Marketplace, 21001 N Tatum Blvd, Bldg 34-1140", "tatum ~n", "21001"),
    ("ZI des Paluds, 123 avenue du Douard, 13400 Aubagne", "du douard", "123"),
    ("Unit 5, Riverside Industrial Estate, Mill Lane, Leeds LS1 2AB", "mill", None),
    ("The Old Barn, Church Road, Little Snoring NR21 0AB", "church", None),
    ("Granton Campus, 350 W Granton Road", "granton ~w", "350"),
    ("West Coast Park, West Coast Highway", "coast ~w", None),  # the highway's own side
    # A square's or a plaza's name before a door on a typed street names the place.
    ("Mel Lastman Square, 5100 Yonge Street", "yonge", "5100"),
    ("Hougang Plaza, 1189 Upper Serangoon Rd.", "upper serangoon", "1189"),
    # A part led by four digits and ending in a street's type is the street's, not a town's
    # line led by its postcode.
    ("United World College Of South East, 1207 Dover Rd", "dover", "1207"),
    ("Rue du Rhône 12, 1204 Genève", "du rhone", "12"),
    # Doors listed with "and"; a line led by a note names the street it is by; a
    # highway by its number, with no door.
    ("14A and 14B Keong Saik Road", "keong saik", "14a"),
    ("at Ellsworth Ave.", "ellsworth", None),
    (", at Barrington Ave", "barrington", None),
    ("West Rd., at Colborne Lodge Dr.", "w", None),  # after a street, its cross street
    ("66a&b Pagoda St", "pagoda", "66a"),
    ("71 & 71A, Killiney Rd", "killiney", "71"),
    ("9 10 & 11 Atholl Place", "atholl", "9"),
    ("Highway 401, at Dixie Rd", "hwy 401", None),
    ("Street 81, Phnom Penh", "st 81", None),  # a type and a number alone
    ("#01-21 Plaza 8, 1 Changi Business Park Crescent", "changi business park", "1"),
    # Not where the door's number came first: the street is the first part's.
    ("1 Broadway, Kendall Square, Cambridge", "broadway kendall", "1"),
    # After a street known by its type and number, the parts say where inside or around.
    ("12 High Street, Shoreditch", "high", "12"),
    ("C/ Mayor 3, 2º B", "mayor", "3"),
    ("Hauptstr. 5, Hinterhaus", "hauptstr", "5"),
    ("9 Morrow Avenue, Dundas Street W", "morrow", "9"),  # the side is the cross street's
    # An untyped line may be an estate's, the street on the next: read on.
    ("51 Lakes Retirement Estate, Hurley Street", "lakes retirement estate hurley", "51"),
    # A number's marker ("Nr. 7", "n.10"), but not a British postcode's letters, nor north
    # before an ordinal street.
    ("Upper Street, London N1 0NU", "upper", None),
    ("Hauptstraße Nr. 7", "hauptstr", "7"),
    ("4410 N 40th St", "40th ~n", "4410"),
    # A bare number between the door's and the type that ends the street is the street's.
    ("322 E. 14 St. between 1st and 2nd Aves.", "14th ~e", "322"),
    ("124 E 113 ST", "113th ~e", "124"),
    ("12-14 St James Ctr", "james ctr", "12"),  # before a name, "St" is saint
    ("92 1/2 Avenue Road", "ave", "92"),
    # An ordinal's suffix mistyped: the digits say which.
    ("2050 E 93th St.", "93rd ~e", "2050"),
    ("1 22th St", "22nd", "1"),
    ("11st Ave", "11th", None),
    # A street named by types' words alone: all but the last.
    ("10 Court Street", "ct", "10"),
    ("Avenue Road, 215", "ave", "215"),
    ("1209 N Court St", "ct ~n", "1209"),
    # "Sin número", "sem número": no house number, and no side of the street.
    ("Plaza Mayor s/n", "mayor", None),
    ("Rua Direita, S/N", "direita", None),
    # Russian: the types, "д." (дом) for the number, the town, building and office around.
    ("г. Москва, ул. Тверская, д. 7, офис 12", "тверская", "7"),
    ("Тверская улица, 7", "тверская", "7"),
    ("пр-т Мира, 10", "мира", "10"),
    # Turkish: "Cad.", "No:", the floor, and the neighbourhood before the street.
    ("Atatürk Caddesi No:15 Kat:3", "ataturk", "15"),
    ("Kavacık Mah. Ekinciler Cad. No:19", "ekinciler", "19"),
    ("No:29, Lorong Marzuki", "lorong marzuki", "29"),
    # Brazil: the district after a spaced hyphen, the town and state, the CEP.
    ("Rua Augusta, 1500 - Consolação", "augusta", "1500"),
    ("Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200", "paulista", "1578"),
    ("Unit 48 - Gyle Shopping Centre, 5 Gyle Avenue", "gyle", "5"),
    # Vietnam: "Số" for the number, "Đường" the type, district and city after.
    ("Số 12 Đường Lê Lợi, Quận 1", "le loi", "12"),
    ("12 Lê Lợi, Quận 1, TP. Hồ Chí Minh", "le loi", "12"),
    # Korea: the road and the building's number, from the province down.
    ("서울특별시 강남구 테헤란로 152", "테헤란로", "152"),
    ("테헤란로 152, 강남파이낸스센터", "테헤란로", "152"),
    ("서울 강남구 강남대로94길 20, 3층", "강남대로94길", "20"),
    # Japan: no street; the district and its block, then the lot, however written.
    ("東京都千代田区丸の内1-1-1", "丸の内1", "1"),
    ("〒100-0005 東京都千代田区丸の内一丁目1番1号 パレスビル3F", "丸の内1", "1"),
    ("丸の内1-1-1", "丸の内1", "1"),
    ("東京都千代田区有楽町1-1-2", "有楽町1", "1"),  # a district's 町 is no town
    ("神奈川県横浜市中区山下町10", "山下町", "10"),
    # Sapporo's grid: the block north 1, west 2 is the street, the lot the number.
    ("札幌市中央区北1条西2丁目1番地1", "北1西2", "1"),
    ("北海道札幌市中央区北一条西二丁目1番地", "北1西2", "1"),
    ("札幌市中央区南3条西4丁目12-1", "南3西4", "12"),
    # A street Malaysia writes by its type first ends where a typed street does.
    ("10 Jalan Bukit Meldrum, Tanjung Puteri", "jalan bukit meldrum", "10"),
    # Arabic: the Arabic comma parts the line; "شارع" (street) and "طريق" (road) are types,
    # left out as "Calle" and "ul." are (King Fahd Road is written with either).
    ("طريق الملك فهد 12، الرياض", "الملك فهد", "12"),
    ("شارع الملك فهد، الرياض 12271", "الملك فهد", None),
    # Indonesia's lot ("Kav.") is the number.
    ("No. 8, Jalan Ampang, 50450 Kuala Lumpur", "jalan ampang", "8"),
    ("Jl. Jend. Sudirman Kav. 52-53, Jakarta 12190", "jl jend sudirman", "52"),
    # Colombia: the street by its type and number, the door by the cross street's.
    ("Calle 93 # 11-27, Bogotá", "cl93", "11-27"),
    ("Cl. 93 #11-27", "cl93", "11-27"),
    ("Cra. 7 #71-21", "cra7", "71-21"),
    # India: the plot's number, the sector and phase numbered in their names, a block's
    # letter before its door, floors by name.
    ("Plot No. 45, Sector 18, Gurugram, Haryana 122015", "sector 18", "45"),
    ("Plot 45 Sector-18 Gurgaon", "sector 18", "45"),
    ("B-12, Okhla Industrial Area Phase 2, New Delhi 110020", "okhla industrial area phase 2",
     "12b"),
    ("Shop No. 5, Ground Floor, Linking Road", "linking", None),
    ("Upper Ground Floor, 12 Linking Road", "linking", "12"),
    ("Ground Floor & 1st Floor, 11 Multrees Walk", "multrees walk", "11"),
    ("Str. Lipscani 5, Sector 3, București", "lipscani", "5"),  # Bucharest's sector a district
    ("Ground Street 5", "ground", "5"),
    # Thailand: the door leads, the road after "ถนน" ("ถ."), else the lane after "ซอย"
    # ("ซ.") with its number; village, sub-district, district and province say where around.
    ("99/9 ถนนสุขุมวิท แขวงคลองเตย เขตคลองเตย กรุงเทพฯ 10110", "สุขุมวิท", "99"),
    ("เลขที่ 88 ซอยสุขุมวิท 21 ถนนสุขุมวิท แขวงคลองเตยเหนือ เขตวัฒนา", "สุขุมวิท", "88"),
    ("123 หมู่ 4 ซ.รามคำแหง 24 ต.บางพลี จ.สมุทรปราการ 10540", "รามคําแหง 24", "123"),
    ("1 ถนนพระราม 4 แขวงปทุมวัน", "พระราม 4", "1"),
    ("หมู่ 4 ตำบลบางพลี", "", None),
    # A type and a number name a road: "Highway 7", "Route 51", Hyderabad's "Road No. 12"
    # (its houses numbered in parts: one number); a building's doors listed, its first.
    ("5555 Highway 7 West", "hwy 7 ~w", "5555"),
    ("3000 Highway 7 East, at Woodbine Ave", "hwy 7 ~e", "3000"),
    ("2332 Route 51 S", "rte 51 ~s", "2332"),
    ("H.No. 8-2-293, Road No. 12, Banjara Hills, Hyderabad", "rd 12", "82293"),
    ("Castle Terrace, 33-34-35", "castle", "33"),
    ("William Street, 19-21-23-25", "william", "19"),
    ("#02-06-09, 201 Victoria Street, Bugis Plus", "victoria", "201"),
    ("8000 Hwy. 27, at Zenway Blvd.", "hwy 27", "8000"),
    # Two doors of one building joined by "&": the first.
    ("13 & 14 Haig Rd", "haig", "13"),
    ("30&32 Bedok Reservoir Rd", "bedok reservoir", "30"),
    # "btw" notes the cross streets; "Units" are inside.
    ("South 18th St, btw E Carson & Arlington Ave", "18th ~s", None),
    ("Units 12 & 13, Gyle Ave", "gyle", None),
    ("Unit 102 145 Richmond Street W", "richmond ~w", "145"),  # a unit, then the door
    ("Suite 200 1234 Main St", "main", "1234"),
    ("Level 3 100 Victoria St", "victoria", "100"),
    ("Unit 33 The Loan", "the loan", None),  # a unit, then the place: no door
    ("Units 7A 7B Kinnaird Park", "kinnaird park", None),
    ("Unit 4 Omni Centre, 28 Greenside Row", "greenside row", "28"),  # the street follows
    # Where inside, then the building's name: the street was whole before.
    ("60 Collyer Quay, Level 10, OUE Tower", "collyer quay", "60"),
    ("1233 The Queensway, Unit 24, E of Kipling Ave", "the queensway", "1233"),
    ("Unit 159 - 1 Eglinton Square", "eglinton", "1"),
    # A unit and its door joined by a hyphen after the unit's word; a short range is units.
    ("Unit#105-250 Carlaw Ave, btwn Queen & Dundas", "carlaw", "250"),
    ("Suite 17-773 Warden Ave", "warden", "773"),
    ("Unit 9-10 Meadowbank Retail Park", "meadowbank retail park", None),
    # Units listed after a "#" are all inside, none a door.
    ("#02-46/47/48/49, Orchard Central, 181 Orchard Rd", "orchard", "181"),
    ("50 Kallang Avenue #04-01/01A", "kallang", "50"),
    # A building named by a number and a word: no door, and not the street's name.
    ("#02-38/39, 313@Somerset, 313 Orchard Rd", "orchard", "313"),
    ("313 Orchard Road, #01-37 313@Somerset", "orchard", "313"),
    ("313@Somerset", "somerset", None),
    ("313 @ Somerset, 313 Orchard Road Level 5", "orchard", "313"),
    ("Blk 16 @ Teck Whye Lane", "teck whye", "16"),  # a block, at the lane
    # A number right after a lane's type is the lane's; doors listed after a comma, the first.
    ("Lorong 4 Toa Payoh", "lorong 4 toa payoh", None),
    ("Lorong 6 Toa Payoh, Intersection with Braddell Rd", "lorong 6 toa payoh", None),
    ("East Carson Street, 2328, 2330", "carson ~e", "2328"),
    # A part that is a town's name ends the street; a tower by its number is inside.
    ("12 Claremont Park, Edinburgh, City of Edinburgh EH6 7", "claremont park", "12"),
    ("Dewalt Dr, Pittsburgh, PA", "dewalt", None),
    ("Marina Bay Link Mall, Tower 3, 12 Marina Boulevard", "marina", "12"),
    # After the door's number, a number ending the street or after a lane's type is the
    # street's (Ave 3 and Ave 8 are two streets); not a second door after a comma.
    ("10 Ang Mo Kio Ave 3", "ang mo kio 3", "10"),
    ("456 Jurong West Street 41", "jurong 41 ~w", "456"),
    ("12 Lorong 16 Geylang", "lorong 16 geylang", "12"),
    ("99 Soi 21 Sukhumvit", "soi 21 sukhumvit", "99"),
    ("Scotts Road, 10-12", "scotts", "10"),
    ("Victoria Street, 87 & 89", "victoria", "87"),
    # A corner: after a street known by its type, "and" names the cross street.
    ("Yonge St & Bloor St", "yonge", None),
    ("Queen St W & Spadina Ave", "queen ~w", None),
    ("Hoskin Ave and Devonshire Place", "hoskin", None),
    ("Church & Wellesley", "church and wellesley", None),  # untyped: either may be it
    # With no door, a number after the line's direction is a numbered street's.
    ("West 93 And Broadway", "93rd ~w", None),
    ("W. 79 St.", "79th ~w", None),
    ("e 11 & 12", "e", "11"),  # two doors after "and", not a corner
    # After a typed street, a part with no number and no type names the place around.
    ("The Old Forge, High Street, Little Snoring", "high", None),
    ("Ocean Drive, South Beach, Miami", "ocean", None),
    ("Park Avenue Plaza, 55 East 52nd Street", "52nd ~e", "55"),  # a building's name first
    ("Empire State Building, 350 5th Ave", "5th", "350"),
    ("Chrysler Building, 405 Lexington Ave", "lexington", "405"),
    ("Building 3, 12 High St", "high", "12"),  # where inside
    ("Al Attar Tower, Office 1203, Sheikh Zayed Rd", "sheikh zayed", None),
    ("Sim Lim Tower, #05-56", "sim lim tower", None),  # no street but the building
    ("R. Augusta, 1", "augusta", "1"),  # Portugal's rua, France's rue, abbreviated
    ("12 r. de la Paix", "de la paix", "12"),
    ("Via R. Lepetit 8", "r lepetit", "8"),  # a name's initial
    ("Jalan Petri 5/1", "jalan petri", "5"),
    # The house's marks and the floor after it, as legal notices write them: Spain's "núm."
    # and "Bajo A", Russia's "двлд." (a house with its grounds), Hanoi's "phố" (street).
    ("Calle Manuela Estellés, núm. 38, planta 1", "manuela estelles", "38"),
    ("Avenida de Abrantes, 92 Bajo A", "de abrantes", "92"),
    ("ул. Варварка, двлд. 6, стр. 4", "варварка", "6"),
    ("ул. Варварка, вл. 6", "варварка", "6"),
    ("Số 9 phố Trung Kính", "trung kinh", "9"),
])
def test_street_and_number_in_the_layouts_people_write(raw: str, street: str,
                                                        number: str | None) -> None:
    from prospect.normalize import street_and_number

    assert street_and_number(raw) == (street, number)


@pytest.mark.parametrize(("raw", "country", "number"), [
    # Canada writes a unit before the door with a hyphen; a range of doors reads as elsewhere.
    ("900-595 Bay St", "CA", "595"),
    ("27-59 Murray Street, Toronto, ON M5T 3L9", None, "59"),  # its postcode says Canada
    ("346-348 Spadina Avenue", "CA", "346"),
    ("79-15 Roosevelt Ave", "US", "7915"),  # Queens: one number
    # Australia and New Zealand write a unit before the door's number, and so is a line
    # read whose country is not known.
    ("1/25 Smith St, Sydney", "AU", "25"),
    ("1/25 Smith St", None, "25"),
    # Elsewhere "99/9" and "12/3" are one door's number, the first part the house's.
    ("99/9 Sukhumvit Road, Khlong Toei, Bangkok 10110", "TH", "99"),
    ("99/9 ถนนสุขุมวิท แขวงคลองเตย", None, "99"),
    ("12/3 MG Road, Bengaluru", "IN", "12"),
    ("Shop 3/25 Main Road", "IN", "25"),  # the word says the first is a unit
])
def test_a_unit_before_the_door_is_read_as_its_country_writes_it(raw: str, country: str | None,
                                                           number: str) -> None:
    from prospect.normalize import street_and_number

    found = street_and_number(raw, country)
    assert found is not None and found[1] == number


@pytest.mark.parametrize(("street", "name"), [
    ("de la paix", "paix"), ("of the americas", "americas"), ("della spiga", "spiga"),
    ("do carmo ~e", "carmo ~e"), ("high", "high"), ("de", "de"),
    # and after the type Malaysia and Indonesia write first.
    ("jalan ampang", "ampang"), ("jln ampang", "ampang"), ("lorong 16 geylang", "16 geylang"),
    ("jalan", "jalan"), ("شارع التحلية", "التحلية"),
])
def test_a_streets_name_starts_after_its_articles(street: str, name: str) -> None:
    assert n.street_name(street) == name


@pytest.mark.parametrize(("raw", "postcode"), [
    ("Berlin", None), ("N/A", None), ("CEDEX", None),  # a town, or words: no postcode
    ("SW1A 1AA", "SW1A1AA"), ("D02 X285", "D02X285"), ("M5G 2E3", "M5G2E3"), ("10115", "10115"),
])
def test_a_postcode_has_a_digit(raw: str, postcode: str | None) -> None:
    assert n.normalize_postcode(raw) == postcode
