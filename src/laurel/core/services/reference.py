"""Loading the reference data shipped in ``core/data`` (idempotent: run it as often as needed)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from laurel.core.audit import audit_context
from laurel.core.models import CodeItem, CodeTable, Division
from laurel.core.services import LoadResult, upsert

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_divisions(actor=None, path: Path | None = None) -> LoadResult:
    """Administrative divisions from ``divisions.csv``; parents must come before children."""
    result = LoadResult()
    rows = _read_csv(path or DATA_DIR / "divisions.csv")
    by_code: dict[str, Division] = {}
    with audit_context(actor, _("装载行政区划参考数据")):
        for order, row in enumerate(rows, start=1):
            parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
            if row["parent_code"] and parent is None:
                parent = Division.objects.get(code=row["parent_code"])
            division = upsert(
                Division,
                {"code": row["code"]},
                {
                    "name": row["name"],
                    "level": row["level"],
                    "parent": parent,
                    "is_standard": row["is_standard"] == "1",
                    "directly_administered": row["directly_administered"] == "1",
                    "note": row["note"],
                    "sort_order": order,
                },
                result,
            )
            path_value = division.compute_path()
            if division.path != path_value:
                division.path = path_value
                division.save(update_fields=["path"])
            by_code[division.code] = division
    return result


@transaction.atomic
def load_code_tables(actor=None, directory: Path | None = None) -> LoadResult:
    result = LoadResult()
    directory = directory or DATA_DIR / "codes"
    with audit_context(actor, _("装载代码表参考数据")):
        for table_row in _read_csv(directory / "tables.csv"):
            table = upsert(
                CodeTable,
                {"key": table_row["key"]},
                {"name": table_row["name"], "standard": table_row["standard"]},
                result,
            )
            for order, row in enumerate(_read_csv(directory / f"{table.key}.csv"), start=1):
                upsert(
                    CodeItem,
                    {"table": table, "code": row["code"]},
                    {
                        "name": row["name"],
                        "sort_order": order,
                        "attrs": json.loads(row["attrs"]) if row["attrs"] else {},
                    },
                    result,
                )
    return result
