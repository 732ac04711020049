"""Spreadsheets in and out: CSV as a Belgian Excel opens it (UTF-8 with BOM, `;`) and .xlsx (openpyxl).

A header cell is Dutch with the stable machine name in brackets, "Datum (date)"; the importers read that
or the bare machine name. A text cell that a spreadsheet would run as a formula (=, +, -, @) is written
as text: in CSV behind an apostrophe, which the reader drops again; in .xlsx as a string cell.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import Response
from openpyxl import Workbook, load_workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MACHINE_NAME = re.compile(r"\(([a-z0-9_]+)\)\s*$")


@dataclass(frozen=True)
class Column:
    name: str  # the stable machine name the importers read
    label: str  # Dutch, for people (a lazy string)


def header(columns: list[Column]) -> list[str]:
    return [f"{c.label} ({c.name})" for c in columns]


def machine_name(cell: str) -> str:
    """The column's machine name: from "Datum (date)" or a bare "date"."""
    cell = (cell or "").strip()
    found = _MACHINE_NAME.search(cell)
    return found.group(1) if found else cell.lower()


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def restore(text: str) -> str:
    """Undo `neutralise`: an apostrophe before a formula character is dropped."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):  # a decimal comma, as a Belgian Excel reads a number
        return format(value, "f").replace(".", ",")
    return str(neutralise(value))


def csv_response(columns: list[Column], rows: list[list], name: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header(columns))
    writer.writerows([_csv_text(v) for v in row] for row in rows)
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def xlsx_response(columns: list[Column], rows: list[list], name: str) -> Response:
    book = Workbook()
    sheet = book.active
    sheet.title = name[:31]
    sheet.append(header(columns))
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, "=…" included
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    response = Response(buffer.getvalue(), mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def is_xlsx(raw: bytes) -> bool:
    return raw[:4] == b"PK\x03\x04"


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_rows(raw: bytes) -> tuple[list[str], list[list[str]]]:
    """The first sheet's header (machine names) and rows as text; raises ValueError when unreadable."""
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged file
        raise ValueError(str(exc)) from None
    rows = [[_xlsx_text(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return [], []
    return [machine_name(c) for c in rows[0]], rows[1:]
