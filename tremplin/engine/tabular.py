"""Reading a list of people from a spreadsheet: bytes in, typed rows and located problems out.

A France Travail advisor sends an XLSX or a CSV (UTF-8 with or without BOM, or Windows-1252;
``;``, ``,`` or tab between cells). ``read_table`` recognises the format from the content (never
from the file name), refuses a file that cannot be read as a whole (``TabularError``: empty,
too large, binary, wrong encoding, zip bomb, missing or unknown columns, only a header), and
otherwise checks every cell against its column (``Column``), returning the valid rows as typed
values and each problem located by row number (as the spreadsheet numbers it, header = 1) and
column.

Problems carry a code and parameters, not sentences: the caller words them in the reader's
language (``tremplin.intake.messages``). Nothing here knows Django or the database.

Formula cells are never passed on: a cell whose text starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return (OWASP's CSV-injection triggers) is refused in every column, except a
phone number in international format (``+33 6 …``), which its own pattern checks.

Nor is a social security number (``tremplin.engine.nir``): a cell, in any column, that holds
one makes its row invalid (code ``nir``, without the value), so it is never stored.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import difflib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, lru_cache

from tremplin.engine.nir import find_nir

CellValue = str | bool | datetime.date | None
Params = dict[str, str | int]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
YES = frozenset({"oui", "o", "yes", "y", "vrai", "true", "1", "x"})
NO = frozenset({"non", "n", "no", "faux", "false", "0"})

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)
_DELIMITERS = (";", ",", "\t")
_DATE_FR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_POSTAL_CODE = re.compile(r"^\d{5}$")
_PHONE = re.compile(r"^\+?[0-9 .]{10,17}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NAME_PUNCTUATION = frozenset(" -'’.")
_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Kind(StrEnum):
    NAME = "name"
    TEXT = "text"
    DATE = "date"
    POSTAL_CODE = "postal_code"
    CHOICE = "choice"
    YES_NO = "yes_no"
    EMAIL = "email"
    PHONE = "phone"


@dataclass(frozen=True)
class Column:
    """One column a file may carry: its key in the rows, its header and how to read a cell."""

    key: str
    header: str
    kind: Kind
    required: bool = False
    aliases: tuple[str, ...] = ()
    max_length: int = 200
    # For CHOICE: (code, accepted labels); the first label is the one to show.
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # For YES_NO: the row cannot go on without a « oui » (consent).
    must_be_yes: bool = False
    # For DATE: refused after today; and, for a birth date, the ages accepted.
    not_in_future: bool = False
    age_bounds: tuple[int, int] | None = None
    example: str = ""

    def labels(self) -> set[str]:
        return {normalise_label(name) for name in (self.header, self.key, *self.aliases)}

    @cached_property
    def choice_codes(self) -> dict[str, str]:
        """Every accepted label (normalised), and the code as well, to its code."""
        return {
            normalise_label(label): code
            for code, labels in self.choices
            for label in (code, *labels)
        }


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 20_000
    # An XLSX is a zip: its declared uncompressed size and compression ratio are checked
    # before anything is inflated (Python's zipfile stops at the declared size).
    max_unzipped_bytes: int = 100 * 1024 * 1024
    max_zip_ratio: int = 100
    max_zip_members: int = 500
    # Problems kept for display; the rest are only counted.
    max_problems: int = 1000


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    code: str
    params: Params = field(default_factory=dict)


class TabularError(Exception):
    """The file cannot be read as a whole; ``problems`` say why (file-level, no row)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(", ".join(p.code for p in problems))
        self.problems = problems


def _refuse(code: str, **params: str | int) -> TabularError:
    return TabularError([Problem(None, None, code, dict(params))])


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, CellValue]


@dataclass
class Table:
    file_format: str
    encoding: str
    delimiter: str
    columns: list[str]
    rows: list[Row]
    problems: list[Problem]
    problem_count: int = 0
    row_count: int = 0
    invalid_rows: list[int] = field(default_factory=list)
    # A cell held a social security number (counted even past ``max_problems``).
    holds_nir: bool = False


@lru_cache(maxsize=4096)  # the same few words (« oui », « CAP, BEP ») fill whole columns
def normalise_label(text: str) -> str:
    """« Date de naissance (JJ/MM/AAAA) * » → « date de naissance »: how headers compare."""
    text = _PARENTHESES.sub(" ", text)
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NOT_ALNUM.sub(" ", bare).strip()


# --- Reading bytes into raw rows ------------------------------------------------------------


def sniff_format(data: bytes, limits: Limits) -> str:
    """« xlsx » or « csv », from the content; refuses what is neither."""
    if not data.strip():
        raise _refuse("empty")
    if len(data) > limits.max_bytes:
        raise _refuse("too_large", limit_mb=limits.max_bytes // (1024 * 1024))
    if data.startswith(_ZIP_MAGIC):
        return "xlsx"
    if data.startswith(_OLE2_MAGIC):
        raise _refuse("legacy_excel")
    return "csv"


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV and the encoding it was in: UTF-8 (BOM or not), else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(data):
        raise _refuse("utf16")
    if _CONTROL_BYTES.search(data):
        # Text holds no control characters but line ends and tabs: some binary file.
        raise _refuse("binary")
    if data[:1024].lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith((b"<", b"%PDF-")):
        # Text, but a web page, XML or SVG (or a text-only PDF) renamed .csv: no list of
        # people starts with markup, and read as CSV it would only be refused for its columns.
        raise _refuse("binary")
    if data.startswith(codecs.BOM_UTF8):
        try:
            text, encoding = data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise _refuse("encoding") from None
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                raise _refuse("encoding") from None
    if any(unicodedata.category(c) == "Cc" and c not in "\t\r\n" for c in text):
        raise _refuse("binary")  # C1 controls, which no spreadsheet writes either
    return text, encoding


def _looks_utf16(data: bytes) -> bool:
    head = data[:4000]
    return len(head) >= 4 and head.count(0) * 3 >= len(head)


def sniff_delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of ``;``, ``,`` and tab."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])  # ties go to « ; », first in the tuple
    return best if counts[best] else ";"


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[object]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):  # noqa: B007 - read after the loop
            yield number, list(cells)
    except csv.Error:
        raise _refuse("malformed_csv", row=number + 1) from None


def check_zip(data: bytes, limits: Limits) -> None:
    """Refuse a zip that would inflate beyond the limits, from its declared sizes alone."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise _refuse("bad_xlsx") from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_zip_members:
            raise _refuse("zip_bomb")
        total = 0
        for member in members:
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > limits.max_zip_ratio:
                raise _refuse("zip_bomb")
        if total > limits.max_unzipped_bytes:
            raise _refuse("zip_bomb")
        names = {member.filename for member in members}
        if "xl/workbook.xml" not in names:
            raise _refuse("bad_xlsx")


def _xlsx_rows(data: bytes, limits: Limits) -> Iterator[tuple[int, list[object]]]:
    check_zip(data, limits)
    # Imported here: only XLSX files need openpyxl, and the CSV path stays light.
    from openpyxl import load_workbook

    try:
        # read_only streams the sheet; values stay as typed (dates, numbers) and a formula
        # comes as its text « =… », which the checks below refuse.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on a broken file: all mean the same here
        raise _refuse("bad_xlsx") from None
    try:
        if not workbook.worksheets:
            raise _refuse("bad_xlsx")
        sheet = workbook.worksheets[0]  # the first sheet is the list; others are ignored
        try:
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(cells)
        except TabularError:
            raise
        except Exception:
            raise _refuse("bad_xlsx") from None
    finally:
        workbook.close()


# --- Checking cells -------------------------------------------------------------------------


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _formula_sign(value: object) -> str | None:
    if isinstance(value, str) and value:
        if value[0] in "\t\r":
            return value[0]
        stripped = value.lstrip()
        if stripped and stripped[0] in "=+-@":
            return stripped[0]
    elif value is not None and not isinstance(
        value, str | int | float | bool | datetime.date | datetime.time
    ):
        return "="  # an openpyxl formula object (array or table formula)
    return None


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return " ".join(str(value).split())


class _CellError(Exception):
    def __init__(self, code: str, **params: str | int) -> None:
        super().__init__(code)
        self.code = code
        self.params: Params = dict(params)


def _parse_date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # An XLSX date cell without a date format: Excel's serial day number.
        from openpyxl.utils.datetime import from_excel

        if 1 <= value < 2958466:
            converted = from_excel(value)
            if isinstance(converted, datetime.datetime):
                return converted.date()
        raise _CellError("bad_date", value=_as_text(value))
    text = _as_text(value)
    if match := _DATE_ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DATE_FR.match(text):
        day, month, year = (int(part) for part in match.groups())
        if year < 1000:
            raise _CellError("date_short_year", value=text)
    else:
        raise _CellError("bad_date", value=text)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _CellError("bad_date", value=text) from None


def _age_on(day: datetime.date, birth: datetime.date) -> int:
    return day.year - birth.year - int((day.month, day.day) < (birth.month, birth.day))


def _read_cell(column: Column, value: object, today: datetime.date) -> CellValue:
    """The typed value of one cell, or _CellError."""
    if _is_blank(value):
        if column.required:
            raise _CellError("required")
        return {Kind.DATE: None, Kind.YES_NO: False}.get(column.kind, "")
    sign = _formula_sign(value)
    if sign is not None and not (
        column.kind == Kind.PHONE and sign == "+" and _PHONE.match(_as_text(value))
    ):
        raise _CellError("formula", sign={"\t": "tab", "\r": "CR"}.get(sign, sign))
    kind = column.kind
    if kind == Kind.DATE:
        day = _parse_date(value)
        if column.not_in_future and day > today:
            raise _CellError("date_in_future", value=f"{day:%d/%m/%Y}")
        if column.age_bounds is not None:
            age = _age_on(today, day)
            low, high = column.age_bounds
            if not low <= age <= high:
                raise _CellError("age_out_of_bounds", age=age, low=low, high=high)
        return day
    if kind == Kind.YES_NO:
        if isinstance(value, bool):
            answer = value
        else:
            word = normalise_label(_as_text(value))
            if word in YES:
                answer = True
            elif word in NO:
                answer = False
            else:
                raise _CellError("bad_yes_no", value=_as_text(value))
        if column.must_be_yes and not answer:
            raise _CellError("must_be_yes")
        return answer
    if kind == Kind.POSTAL_CODE:
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 100_000:
            return f"{value:05d}"  # 01000 typed in a number cell loses its leading zero
        text = _as_text(value).replace(" ", "")
        if not _POSTAL_CODE.match(text):
            raise _CellError("bad_postal_code", value=_as_text(value))
        return text
    if kind == Kind.PHONE:
        if isinstance(value, int) and not isinstance(value, bool) and 10**8 <= value < 10**9:
            return f"0{value}"  # 0612345678 typed in a number cell
        text = _as_text(value)
        if not _PHONE.match(text):
            raise _CellError("bad_phone", value=text)
        return text
    text = _as_text(value)
    if len(text) > column.max_length:
        raise _CellError("too_long", max_length=column.max_length)
    if kind == Kind.CHOICE:
        code = column.choice_codes.get(normalise_label(text))
        if code is not None:
            return code
        shown = ", ".join(f"« {labels[0]} »" for _code, labels in column.choices)
        raise _CellError("bad_choice", value=text, expected=shown)
    if kind == Kind.EMAIL:
        if not _EMAIL.match(text):
            raise _CellError("bad_email", value=text)
        return text.lower()
    if kind == Kind.NAME and not _is_name(text):
        raise _CellError("bad_name", value=text)
    return text


def _holds_nir(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return False
    return find_nir(_as_text(value)) is not None


def _is_name(text: str) -> bool:
    return any(c.isalpha() for c in text) and all(
        c.isalpha() or c in _NAME_PUNCTUATION for c in text
    )


# --- The whole file -------------------------------------------------------------------------


def _map_headers(
    cells: list[object], columns: Sequence[Column]
) -> tuple[dict[int, Column], list[Problem]]:
    by_label = {label: column for column in columns for label in column.labels()}
    # Suggestions for a misspelt header: the nearest label, shown as its column's header.
    headers = {label: column.header for label, column in by_label.items()}
    mapping: dict[int, Column] = {}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for index, cell in enumerate(cells):
        if _is_blank(cell):
            continue
        header = _as_text(cell)
        found = by_label.get(normalise_label(header))
        if found is None:
            close = difflib.get_close_matches(normalise_label(header), headers, n=1, cutoff=0.75)
            params: Params = {"header": header}
            if close:
                params["suggestion"] = headers[close[0]]
            problems.append(Problem(None, None, "unknown_column", params))
        elif found.key in seen:
            problems.append(
                Problem(
                    None, None, "duplicate_column", {"header": header, "first": seen[found.key]}
                )
            )
        else:
            seen[found.key] = header
            mapping[index] = found
    missing = [c.header for c in columns if c.required and c.key not in seen]
    if missing:
        problems.append(Problem(None, None, "missing_columns", {"columns": ", ".join(missing)}))
    return mapping, problems


def read_table(
    data: bytes,
    columns: Sequence[Column],
    *,
    today: datetime.date,
    limits: Limits | None = None,
    on_progress: Callable[[int], None] | None = None,
    progress_every: int = 500,
) -> Table:
    """Read and check a whole file; ``TabularError`` if it cannot be read as a whole.

    ``on_progress(rows_read)`` is called every ``progress_every`` data rows.
    """
    limits = limits or Limits()
    file_format = sniff_format(data, limits)
    encoding = delimiter = ""
    raw: Iterator[tuple[int, list[object]]]
    if file_format == "xlsx":
        raw = _xlsx_rows(data, limits)
    else:
        text, encoding = decode_text(data)
        delimiter = sniff_delimiter(text)
        raw = _csv_rows(text, delimiter)

    mapping: dict[int, Column] | None = None
    table = Table(file_format, encoding, delimiter, [], [], [])
    for number, cells in raw:
        if all(_is_blank(cell) for cell in cells):
            continue
        if mapping is None:
            mapping, header_problems = _map_headers(cells, columns)
            if header_problems:
                raise TabularError(header_problems)
            table.columns = [column.key for column in mapping.values()]
            continue
        table.row_count += 1
        if table.row_count > limits.max_rows:
            raise _refuse("too_many_rows", limit=limits.max_rows)
        _read_row(table, number, cells, mapping, columns, today, limits)
        if on_progress is not None and table.row_count % progress_every == 0:
            on_progress(table.row_count)
    if mapping is None:
        raise _refuse("empty")
    if table.row_count == 0:
        raise _refuse("no_rows")
    return table


def _read_row(
    table: Table,
    number: int,
    cells: list[object],
    mapping: Mapping[int, Column],
    columns: Sequence[Column],
    today: datetime.date,
    limits: Limits,
) -> None:
    for index, cell in enumerate(cells):
        if index not in mapping and not _is_blank(cell):
            # A value under a column without a header: which field is it? Refuse rather
            # than drop it silently.
            raise _refuse("unnamed_column", row=number, position=index + 1)
    values: dict[str, CellValue] = {}
    problems: list[Problem] = []
    for index, column in mapping.items():
        cell = cells[index] if index < len(cells) else None
        if _holds_nir(cell):
            # No value in the problem: the number must not be kept, even to show it.
            problems.append(Problem(number, column.key, "nir"))
            table.holds_nir = True
            continue
        try:
            values[column.key] = _read_cell(column, cell, today)
        except _CellError as error:
            problems.append(Problem(number, column.key, error.code, error.params))
    for column in columns:
        # Optional columns absent from the file read as empty cells.
        if column.key not in values and not column.required:
            values[column.key] = _read_cell(column, None, today)
    if problems:
        table.invalid_rows.append(number)
        table.problem_count += len(problems)
        room = limits.max_problems - len(table.problems)
        table.problems.extend(problems[: max(room, 0)])
    else:
        table.rows.append(Row(number, values))
