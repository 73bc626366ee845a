"""Reading spreadsheets of people: formats, encodings, headers, cells, and files to refuse."""

import codecs
import datetime
import io
import random
import zipfile

import pytest
from openpyxl import Workbook

from tremplin.engine.tabular import (
    Column,
    Kind,
    Limits,
    TabularError,
    decode_text,
    normalise_label,
    read_table,
    sniff_delimiter,
)

TODAY = datetime.date(2026, 11, 30)
COLUMNS = (
    Column(
        "last_name", "nom", Kind.NAME, required=True, max_length=80, aliases=("nom de famille",)
    ),
    Column("first_name", "prénom", Kind.NAME, required=True, max_length=80),
    Column(
        "birth_date",
        "date de naissance",
        Kind.DATE,
        required=True,
        not_in_future=True,
        age_bounds=(16, 80),
        aliases=("né le",),
    ),
    Column("postal_code", "code postal", Kind.POSTAL_CODE, required=True, aliases=("cp",)),
    Column(
        "mobility",
        "mobilité",
        Kind.CHOICE,
        required=True,
        choices=(
            ("car", ("Véhicule personnel", "voiture")),
            ("public_transport", ("Transports en commun", "bus")),
        ),
    ),
    Column("consent", "consentement", Kind.YES_NO, required=True, must_be_yes=True),
    Column("rsa", "RSA", Kind.YES_NO),
    Column("email", "email", Kind.EMAIL, aliases=("courriel",)),
    Column("phone", "téléphone", Kind.PHONE),
    Column("since", "inscrit FT depuis", Kind.DATE, not_in_future=True),
    Column("motivation", "motivation", Kind.TEXT, max_length=30),
)
HEADER = "nom;prénom;date de naissance;code postal;mobilité;consentement"
GOOD = "Ferrand;Camille;21/06/1994;13014;Transports en commun;oui"


def read(text: str | bytes, **kwargs):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_table(data, COLUMNS, today=TODAY, **kwargs)


def refused(text: str | bytes, **kwargs) -> list[str]:
    with pytest.raises(TabularError) as error:
        read(text, **kwargs)
    return [p.code for p in error.value.problems]


def problems(text: str) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.code) for p in read(text).problems]


def one_cell(column: str, value: str) -> list[tuple[int | None, str | None, str]]:
    """The problems of a file whose one row has ``value`` under ``column`` (others valid)."""
    header = HEADER + f";{column}" if column not in HEADER.split(";") else HEADER
    cells = dict(zip(HEADER.split(";"), GOOD.split(";"), strict=True))
    cells[column] = value
    names = header.split(";")
    line = ";".join('"' + cells.get(n, "").replace('"', '""') + '"' for n in names)
    return problems(f"{header}\n{line}\n")


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Formats and encodings ------------------------------------------------------------------


def test_a_good_csv_gives_typed_rows():
    table = read(f"{HEADER};RSA;email\n{GOOD};OUI;Camille@Example.org\n")
    assert (table.file_format, table.encoding, table.delimiter) == ("csv", "utf-8", ";")
    assert table.row_count == 1 and not table.problems
    (row,) = table.rows
    assert row.number == 2
    assert row.values == {
        "last_name": "Ferrand",
        "first_name": "Camille",
        "birth_date": datetime.date(1994, 6, 21),
        "postal_code": "13014",
        "mobility": "public_transport",
        "consent": True,
        "rsa": True,
        "email": "camille@example.org",
        "phone": "",
        "since": None,
        "motivation": "",
    }


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (f"{HEADER}\nGaël;Zoé;01/02/1990;13001;bus;oui\n".encode(), "utf-8"),
        (codecs.BOM_UTF8 + f"{HEADER}\nGaël;Zoé;01/02/1990;13001;bus;oui\n".encode(), "utf-8-sig"),
        (f"{HEADER}\nGaël;Zoé;01/02/1990;13001;bus;oui\n".encode("cp1252"), "cp1252"),
    ],
)
def test_utf8_with_or_without_bom_and_windows_1252(data, encoding):
    table = read(data)
    assert table.encoding == encoding
    assert table.rows[0].values["last_name"] == "Gaël"
    assert table.rows[0].values["first_name"] == "Zoé"


def test_utf16_is_refused_with_or_without_bom():
    text = f"{HEADER}\n{GOOD}\n"
    assert refused(text.encode("utf-16")) == ["utf16"]
    assert refused(text.encode("utf-16-le")) == ["utf16"]


def test_bytes_invalid_in_utf8_and_windows_1252():
    # 0x81 and 0x8D are undefined in Windows-1252 and invalid alone in UTF-8.
    assert refused(HEADER.encode() + b"\n\x81\x8d;x\n") == ["encoding"]


def test_binary_garbage_is_refused():
    assert refused(random.Random(7).randbytes(4000)) == ["binary"]
    assert refused(b"\x00\x01\x02\x03 some text \x04\x05" * 10) == ["binary"]
    assert refused(b"%PDF-1.7\n\x01\x02\x03\x04\x05\x06 binary stream\n") == ["binary"]
    assert refused(b"\x7fELF\x02\x01\x01" + bytes(range(256))) == ["binary"]


def test_control_characters_mean_binary():
    for data in (b"nom;pr\x07nom\n", "nom;pr\x85nom\n".encode()):
        with pytest.raises(TabularError) as error:
            decode_text(data)
        assert error.value.problems[0].code == "binary"


@pytest.mark.parametrize("data", [b"", b"   \n\r\n  ", codecs.BOM_UTF8])
def test_empty_file(data):
    assert refused(data) == ["empty"]


def test_only_a_header():
    assert refused(f"{HEADER}\n") == ["no_rows"]
    assert refused(f"\n{HEADER}\n;;;;;\n\n") == ["no_rows"]


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("nom;prénom;date", ";"),
        ("nom,prénom,date", ","),
        ("nom\tprénom\tdate", "\t"),
        ('"nom, usuel";prénom;date', ";"),
        ("nom", ";"),
    ],
)
def test_delimiter_from_the_header_line(header, delimiter):
    assert sniff_delimiter(f"\n{header}\nx,y;z\n") == delimiter


def test_comma_separated_file():
    table = read(f"{HEADER.replace(';', ',')}\n{GOOD.replace(';', ',')}\n")
    assert table.delimiter == ","
    assert len(table.rows) == 1


def test_a_quoted_cell_may_hold_the_delimiter_and_a_line_break():
    table = read(f'{HEADER};motivation\n{GOOD};"fibre; réseaux\nsurtout"\n')
    assert table.rows[0].values["motivation"] == "fibre; réseaux surtout"


def test_malformed_csv_is_refused():
    assert refused(f'{HEADER}\n{GOOD}\n"Ferrand;Camille\n') == ["malformed_csv"]


def test_legacy_xls_is_refused():
    assert refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600) == ["legacy_excel"]


def test_too_large_before_anything_else():
    assert refused(f"{HEADER}\n{GOOD}\n", limits=Limits(max_bytes=20)) == ["too_large"]


def test_too_many_rows():
    body = "\n".join([HEADER] + [GOOD] * 4)
    assert refused(body, limits=Limits(max_rows=3)) == ["too_many_rows"]
    assert read(body, limits=Limits(max_rows=4)).row_count == 4


# --- Headers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "normalised"),
    [
        ("Date de naissance (JJ/MM/AAAA) *", "date de naissance"),
        ("DATE_NAISSANCE", "date naissance"),
        ("  Prénom ", "prenom"),
        ("Téléphone", "telephone"),
    ],
)
def test_normalise_label(label, normalised):
    assert normalise_label(label) == normalised


def test_headers_ignore_case_accents_order_and_hints():
    header = "CP;Mobilite;NOM DE FAMILLE;Prenom;Né le (JJ/MM/AAAA);Consentement *"
    table = read(f"{header}\n13014;voiture;Ferrand;Camille;1994-06-21;Oui\n")
    assert table.columns == [
        "postal_code",
        "mobility",
        "last_name",
        "first_name",
        "birth_date",
        "consent",
    ]
    assert table.rows[0].values["mobility"] == "car"


def test_missing_required_columns_are_named():
    with pytest.raises(TabularError) as error:
        read("nom;prénom;consentement\nFerrand;Camille;oui\n")
    (problem,) = error.value.problems
    assert problem.code == "missing_columns"
    assert problem.params == {"columns": "date de naissance, code postal, mobilité"}


def test_unknown_columns_are_refused_with_a_suggestion():
    with pytest.raises(TabularError) as error:
        read(f"{HEADER};Telephonne;identifiant FT\n{GOOD};0612345678;X\n")
    assert [(p.code, p.params) for p in error.value.problems] == [
        ("unknown_column", {"header": "Telephonne", "suggestion": "téléphone"}),
        ("unknown_column", {"header": "identifiant FT"}),
    ]


def test_misspelt_required_header_is_both_unknown_and_missing():
    codes = refused(f"{HEADER.replace('date de naissance', 'date de naisance')}\n{GOOD}\n")
    assert codes == ["unknown_column", "missing_columns"]


def test_a_column_twice_is_refused():
    assert refused(f"{HEADER};courriel;email\n{GOOD};a@b.fr;a@b.fr\n") == ["duplicate_column"]


def test_a_value_under_a_column_without_header_is_refused():
    assert refused(f"{HEADER};\n{GOOD};\n{GOOD};surprise\n") == ["unnamed_column"]


# --- Cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("21/06/1994", datetime.date(1994, 6, 21)),
        ("1/6/1994", datetime.date(1994, 6, 1)),
        ("21.06.1994", datetime.date(1994, 6, 21)),
        ("21-06-1994", datetime.date(1994, 6, 21)),
        ("1994-06-21", datetime.date(1994, 6, 21)),
        ("1994-06-21 00:00:00", datetime.date(1994, 6, 21)),
    ],
)
def test_dates_french_or_iso(value, expected):
    line = GOOD.replace("21/06/1994", value)
    assert read(f"{HEADER}\n{line}\n").rows[0].values["birth_date"] == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("31/02/1990", "bad_date"),
        ("1990/02/03", "bad_date"),
        ("21 juin 1994", "bad_date"),
        ("21/06/94", "date_short_year"),
        ("01/01/2027", "date_in_future"),
        ("01/01/2020", "age_out_of_bounds"),
        ("01/01/1930", "age_out_of_bounds"),
        ("", "required"),
    ],
)
def test_bad_birth_dates(value, code):
    assert one_cell("date de naissance", value) == [(2, "birth_date", code)]


def test_registration_date_not_in_the_future_but_optional():
    assert one_cell("inscrit FT depuis", "") == []
    assert one_cell("inscrit FT depuis", "01/12/2026") == [(2, "since", "date_in_future")]


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x.example","clic")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3"]
)
@pytest.mark.parametrize("column", ["nom", "motivation", "email", "code postal", "mobilité"])
def test_formula_cells_are_refused_in_every_column(column, value):
    assert one_cell(column, value)[0][2] == "formula"


def test_tab_and_carriage_return_in_front_are_formula_triggers():
    table = read_table(
        f'{HEADER};motivation\n{GOOD};"\tcmd"\n{GOOD};"\rcmd"\n'.encode(),
        COLUMNS,
        today=TODAY,
    )
    assert [(p.row, p.code, p.params) for p in table.problems] == [
        (2, "formula", {"sign": "tab"}),
        (3, "formula", {"sign": "CR"}),
    ]


def test_a_phone_in_international_format_is_not_a_formula():
    assert one_cell("téléphone", "+33 6 12 34 56 78") == []
    assert one_cell("téléphone", "+cmd") == [(2, "phone", "formula")]
    assert one_cell("téléphone", "12") == [(2, "phone", "bad_phone")]


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("nom", "Nom2", "bad_name"),
        ("nom", "", "required"),
        ("code postal", "1301", "bad_postal_code"),
        ("mobilité", "fusée", "bad_choice"),
        ("consentement", "non", "must_be_yes"),
        ("consentement", "peut-être", "bad_yes_no"),
        ("RSA", "bof", "bad_yes_no"),
        ("email", "camille@", "bad_email"),
        ("motivation", "x" * 31, "too_long"),
    ],
)
def test_bad_cells(column, value, code):
    assert [p[2] for p in one_cell(column, value)] == [code]


def test_names_keep_accents_hyphens_and_apostrophes():
    assert one_cell("nom", "D'Étienne-Ben Saïd") == []


@pytest.mark.parametrize("value", ["oui", "Oui", "O", "x", "1", "vrai", "yes"])
def test_yes(value):
    line = GOOD.replace(";oui", f";{value}")
    assert read(f"{HEADER}\n{line}\n").rows[0].values["consent"] is True


def test_every_problem_of_a_row_is_reported_and_the_row_left_out():
    table = read(f"{HEADER}\nFerrand;;31/02/1990;13;fusée;non\n{GOOD}\n")
    assert [(p.row, p.column, p.code) for p in table.problems] == [
        (2, "first_name", "required"),
        (2, "birth_date", "bad_date"),
        (2, "postal_code", "bad_postal_code"),
        (2, "mobility", "bad_choice"),
        (2, "consent", "must_be_yes"),
    ]
    assert table.invalid_rows == [2]
    assert [row.number for row in table.rows] == [3]


def test_problems_kept_are_capped_but_all_counted():
    body = "\n".join([HEADER] + ["Ferrand;Camille;99/99/1994;13014;bus;oui"] * 30)
    table = read(body, limits=Limits(max_problems=10))
    assert len(table.problems) == 10
    assert table.problem_count == 30
    assert len(table.invalid_rows) == 30


def test_progress_is_reported():
    seen: list[int] = []
    read("\n".join([HEADER] + [GOOD] * 7), on_progress=seen.append, progress_every=3)
    assert seen == [3, 6]


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_with_typed_cells():
    data = xlsx(
        [
            ["Nom", "Prénom", "Date de naissance", "Code postal", "Mobilité", "Consentement"],
            ["Ferrand", "Camille", datetime.datetime(1994, 6, 21), 13014, "bus", "oui"],
            ["Martin", "Léa", "03/04/1988", 1000, "voiture", True],
            [None, None, None, None, None, None],
            ["Ben Saïd", "Rayan", 34000, "13015", "bus", "oui"],
        ]
    )
    table = read(data)
    assert table.file_format == "xlsx"
    assert [r.number for r in table.rows] == [2, 3, 5]
    assert table.rows[0].values["birth_date"] == datetime.date(1994, 6, 21)
    assert table.rows[1].values["postal_code"] == "01000"
    assert table.rows[1].values["consent"] is True
    assert table.rows[2].values["birth_date"] == datetime.date(1993, 1, 31)  # Excel serial


def test_xlsx_formula_cells_are_refused():
    data = xlsx(
        [
            ["nom", "prénom", "date de naissance", "code postal", "mobilité", "consentement"],
            ['=HYPERLINK("http://x.example","clic")', "Camille", "21/06/1994", 13014, "bus", "oui"],
            ["Ferrand", "=1+1", "21/06/1994", 13014, "bus", "oui"],
        ]
    )
    assert problems_of(data) == [(2, "last_name", "formula"), (3, "first_name", "formula")]


def problems_of(data: bytes):
    return [(p.row, p.column, p.code) for p in read(data).problems]


def test_xlsx_only_header():
    data = xlsx([["nom", "prénom", "date de naissance", "code postal", "mobilité", "consentement"]])
    assert refused(data) == ["no_rows"]


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_zip_bomb_disguised_as_xlsx():
    # 50 MB of zeros packed in about 50 KB: a ratio no spreadsheet has.
    bomb = zip_of(
        {"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": bytes(50_000_000)}
    )
    assert len(bomb) < 100_000
    assert refused(bomb) == ["zip_bomb"]


def test_zip_inflating_past_the_total_limit():
    data = xlsx([["nom"], ["x"]])
    assert refused(data, limits=Limits(max_unzipped_bytes=5_000)) == ["zip_bomb"]


def test_zip_with_too_many_members():
    data = zip_of({f"x/{i}.xml": b"<a/>" for i in range(20)} | {"xl/workbook.xml": b"<w/>"})
    assert refused(data, limits=Limits(max_zip_members=10)) == ["zip_bomb"]


def test_a_zip_that_is_no_workbook_and_a_broken_workbook():
    assert refused(zip_of({"hello.txt": b"hello"})) == ["bad_xlsx"]
    data = xlsx([["nom"], ["x"]])
    assert refused(data[: len(data) // 2]) == ["bad_xlsx"]
    assert refused(zip_of({"xl/workbook.xml": b"<not a workbook"})) == ["bad_xlsx"]
