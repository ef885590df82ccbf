"""Bulk import of filed honours straight into the provincial database (the office: an earlier
census, another system's export). The same summary sheet columns as registrations; every row is
validated first and nothing is written unless all are valid; people are merged by ID number
(keyed hash) and upserted, honours already held are skipped. Written in batches with
``bulk_create`` (one statement per few thousand rows, on PostgreSQL and SQLite alike) and one
audit row for the whole import, instead of a save and an audit row per record."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from laurel.core import crypto
from laurel.core.audit import current_request_id
from laurel.core.models import AuditLog, CodeItem, Division
from laurel.core.permissions import require
from laurel.core.spreadsheets import check_xlsx
from laurel.core.text import parse_date
from laurel.core.validators import (
    mask_phone,
    mask_resident_id,
    resident_id_facts,
    validate_person_name,
)
from laurel.registry import checks
from laurel.registry.models import KIND_LEVEL, Honour, HonourType, Kind, MilitaryMerit, Person
from laurel.registry.signals import people_changed

BATCH = 5000
REQUIRED = ("姓名", "身份证号码", "荣誉称号", "统计类别", "授予机关", "授予时间")


@dataclass
class BulkResult:
    rows: int = 0
    people_new: int = 0
    people_updated: int = 0
    honours_added: int = 0
    merged_rows: int = 0
    errors: list[str] = field(default_factory=list)
    error_count: int = 0


def _choices(choices) -> dict[str, str]:
    out = {}
    for value, label in choices:
        out[str(label)] = value
        out[value] = value
    return out


def parse_rows(content: bytes):
    check_xlsx(content)
    try:
        rows = (
            CalamineWorkbook.from_filelike(io.BytesIO(content))
            .get_sheet_by_index(0)
            .to_python(skip_empty_area=False)
        )
    except Exception:  # any unreadable file gets the same clear message
        raise ValidationError(_("无法读取该文件：请上传由模板填写的 .xlsx 文件。")) from None
    for index, row in enumerate(rows[:10]):
        header = [str(c).strip() for c in row]
        if "身份证号码" in header:
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise ValidationError(_("表头缺少以下列：%s。") % "、".join(missing))
            return header, rows[index + 1 :], index + 2
    raise ValidationError(_("没有找到表头行（应包含“身份证号码”等列）：请使用汇总表模板。"))


def import_database(actor, content: bytes) -> BulkResult:
    require(actor, "registry.import_database")
    header, rows, first = parse_rows(content)
    col = {name: i for i, name in enumerate(header)}

    def cell(row, name):
        i = col.get(name)
        if i is None or i >= len(row) or row[i] is None:
            return ""
        value = row[i]
        return value if not isinstance(value, str) else value.strip()

    kinds = _choices(Kind.choices)
    types = _choices(HonourType.choices)
    merits = _choices(MilitaryMerit.choices)
    ethnicities = {n: c for c, n in CodeItem.objects.of("ethnicity").values_list("code", "name")}
    divisions = {name: d for d, name in Division.objects.full_names().items()}
    province = Division.objects.get(level=Division.Level.PROVINCE, parent__isnull=True)
    result = BulkResult()
    people: dict[str, dict] = {}
    honours: list[tuple[str, dict]] = []

    def error(row_number, column, message):
        result.error_count += 1
        if len(result.errors) < 500:
            result.errors.append(
                _("第%(row)d行“%(column)s”：%(message)s")
                % {"row": row_number, "column": column, "message": message}
            )

    for row_number, row in enumerate(rows, start=first):
        name = "".join(str(cell(row, "姓名")).split())
        number = str(cell(row, "身份证号码")).upper()
        if not name and not number:
            continue
        if str(cell(row, "序号")).startswith("注"):
            break
        result.rows += 1
        try:
            number, birth, gender = resident_id_facts(number)
        except ValidationError as problem:
            error(row_number, "身份证号码", "；".join(problem.messages))
            continue
        if not name:
            error(row_number, "姓名", _("不能为空。"))
            continue
        try:
            validate_person_name(name)
        except ValidationError as problem:
            error(row_number, "姓名", "；".join(problem.messages))
            continue
        kind = kinds.get(str(cell(row, "统计类别")))
        if kind is None:
            error(row_number, "统计类别", _("不是规定的统计类别。"))
            continue
        typed = str(cell(row, "表彰类型"))
        # an older sheet without the column: the type the title names (H-3), else "other"
        implied = checks.title_type(str(cell(row, "荣誉称号")), kind) or HonourType.OTHER
        honour_type = types.get(typed) if typed else implied
        if honour_type is None:
            error(row_number, "表彰类型", _("不是规定的表彰类型。"))
            continue
        try:
            awarded = parse_date(cell(row, "授予时间"))
        except ValidationError:
            error(row_number, "授予时间", _("无法识别的日期，请写成 2015-04-28 或 2015年4月28日。"))
            continue
        title = str(cell(row, "荣誉称号"))
        body = str(cell(row, "授予机关"))
        if not title or not body:
            error(row_number, "荣誉称号" if not title else "授予机关", _("不能为空。"))
            continue
        household = None
        if cell(row, "户籍所在地"):
            household = divisions.get(str(cell(row, "户籍所在地")).removeprefix(province.name))
            if household is None:
                error(row_number, "户籍所在地", _("请填写到县（市、区），如“长春市南关区”。"))
                continue
        ethnicity = ""
        if cell(row, "民族"):
            text = str(cell(row, "民族"))
            ethnicity = ethnicities.get(text) or ethnicities.get(text + "族", "")
            if not ethnicity:
                error(row_number, "民族", _("不是GB/T 3304中的民族名称。"))
                continue
        honour = {
            "title": title,
            "level": KIND_LEVEL[kind],
            "kind": kind,
            "honour_type": honour_type,
            "awarding_body": body,
            "document_number": str(cell(row, "表彰文号")),
            "awarded_on": awarded,
            "treatment": str(cell(row, "文件明确的待遇")),
            "confirmation_document": str(cell(row, "确认（批准）文号")),
            "military_merit": merits.get(str(cell(row, "立功受奖情况")), ""),
        }
        problems = checks.honour_findings(honour, birth)
        if problems:  # H-1: the same checks a registration passes before it is filed
            for code, message in problems:
                error(row_number, CHECK_COLUMN.get(code, "统计类别"), message)
            continue
        person = people.get(number)
        if person is None:
            people[number] = {
                "row": row_number,
                "name": name,
                "gender": gender,
                "birth": birth,
                # None: the row leaves the cell empty, so a known person keeps what is filed
                "ethnicity": ethnicity or None,
                "unit_name": str(cell(row, "工作单位")) or None,
                "position": str(cell(row, "职务")) or None,
                "household": household,
                "retired": _yes_no(cell(row, "是否离退休"), ("是", "离休", "退休")),
                "classified": _yes_no(cell(row, "是否涉密"), ("是",)),
                "phone": str(cell(row, "联系电话")) or None,
            }
        elif person["name"] != name:
            error(
                row_number, "姓名", _("与同一身份证号码的其他行姓名不同（%s）。") % person["name"]
            )
            continue
        else:
            result.merged_rows += 1
        honours.append((number, honour))
    if result.error_count:
        return result
    del rows  # the sheet's cells: what follows holds only the parsed rows (peak memory)
    with transaction.atomic():
        if crypto.lookup_key_changing():  # an old hash would not match: it would duplicate
            raise ValidationError(
                _("检索密钥正在更换，请先运行 manage.py rotate_field_keys --rehash 再导入。")
            )
        hashes = {number: crypto.lookup_hash(number) for number in people}
        known = _known(list(hashes.values()))
        for number, data in people.items():
            filed = known.get(hashes[number])
            if filed is None:
                continue
            if not filed["living"]:
                error(
                    data["row"],
                    "身份证号码",
                    _("该人员在省级数据库中已登记为去世，不再导入荣誉（H-1：健在）。"),
                )
            elif "".join(filed["name"].split()) != data["name"]:
                error(
                    data["row"],
                    "姓名",
                    _("与省级数据库中该身份证号码的姓名不同；如需更正姓名，请在人员页面修改。"),
                )
        if result.error_count:
            return result
        _write(actor, people, honours, hashes, known, province, result)
    return result


def _yes_no(value, yes: tuple[str, ...]) -> bool | None:
    """A 是/否 cell: None when it is empty (a known person keeps what is filed)."""
    text = str(value).strip()
    if not text:
        return None
    return text in yes


# The column a blocking finding of ``registry.checks`` is about.
CHECK_COLUMN = {
    "h1_national_date": "统计类别",
    "h1_treatment": "文件明确的待遇",
    "h1_ministry_date": "统计类别",
    "h1_ministry_confirmation": "确认（批准）文号",
    "h1_ministry_approval": "确认（批准）文号",
    "h1_veteran": "立功受奖情况",
    "h1_awarded_future": "授予时间",
    "h1_awarded_before_birth": "授予时间",
    "h3_type_title": "表彰类型",
}

KNOWN_FIELDS = (
    "id_hash",
    "name",
    "living",
    "unit_id",
    "ethnicity",
    "unit_name",
    "position",
    "household_division_id",
    "division_id",
    "retired",
    "retired_on",
    "classified",
    "phone_cipher",
    "phone_masked",
)


def _known(values: list[str]) -> dict[str, dict]:
    """What the database holds of the people an import names, by ID hash."""
    values = sorted(values)
    known = {}
    for start in range(0, len(values), BATCH):
        # locked: an edit of the person (a classification, a phone) waits for the import
        for row in (
            Person.objects.select_for_update()
            .filter(id_hash__in=values[start : start + BATCH])
            .order_by("id_hash")  # one lock order: two imports wait, never deadlock
            .values_list(*KNOWN_FIELDS)
        ):
            known[row[0]] = dict(zip(KNOWN_FIELDS, row, strict=True))
    return known


def _merge(data: dict, filed: dict | None, province, today) -> None:
    """A person as the import leaves them, written into ``data`` (one dict a person: peak
    memory). A new person: the row's cells (an empty 户籍所在地 files them under the province).
    A known person keeps every field the row leaves empty, is never declassified by an import
    (H-6: only the office's edit of the person lowers it), and stays in the area of the unit
    that registered them."""
    household = data.pop("household")
    if filed is None:
        data["ethnicity"] = data["ethnicity"] or ""
        data["unit_name"] = data["unit_name"] or ""
        data["position"] = data["position"] or ""
        data["household_division_id"] = household.pk if household else None
        data["division_id"] = household.pk if household else province.pk
        data["retired"] = bool(data["retired"])
        data["retired_on"] = None  # first seen retired: since ever (Person.retired_on)
        data["classified"] = bool(data["classified"])
        data["phone"] = data["phone"] or ""
        data["phone_cipher"] = data["phone_masked"] = None
        return
    retired = filed["retired"] if data["retired"] is None else data["retired"]
    if not retired:
        data["retired_on"] = None
    elif filed["retired"]:
        data["retired_on"] = filed["retired_on"]
    else:
        data["retired_on"] = today  # a retirement this import records is dated today
    data["retired"] = retired
    data["division_id"] = filed["division_id"]
    if household is not None and filed["unit_id"] is None:
        data["division_id"] = household.pk
    data["household_division_id"] = household.pk if household else filed["household_division_id"]
    data["ethnicity"] = data["ethnicity"] or filed["ethnicity"]
    data["unit_name"] = data["unit_name"] or filed["unit_name"]
    data["position"] = data["position"] or filed["position"]
    data["classified"] = filed["classified"] or bool(data["classified"])
    # phone None: the stored ciphertext is kept
    data["phone_cipher"], data["phone_masked"] = filed["phone_cipher"], filed["phone_masked"]


def _merge_people(people: dict, hashes: dict, known: dict, province) -> None:
    """``_merge`` each person, then encrypt every new phone in one pass."""
    today = timezone.localdate()
    for number, data in people.items():
        _merge(data, known.get(hashes[number]), province, today)
    fresh = [data for data in people.values() if data["phone"] is not None]
    for data, cipher in zip(fresh, crypto.encrypt_many(d["phone"] for d in fresh), strict=True):
        data["phone_cipher"] = cipher
        data["phone_masked"] = mask_phone(data["phone"])


def _write(actor, people, honours, hashes, known, province, result: BulkResult) -> None:
    now = timezone.now()
    values = list(hashes.values())
    existing = set(known)
    _merge_people(people, hashes, known, province)
    if connection.vendor == "postgresql":
        result.honours_added = _write_copy(people, honours, hashes, existing, now)
    else:
        result.honours_added = _write_orm(people, honours, hashes, existing, now)
    result.people_updated = len(existing)
    result.people_new = len(people) - len(existing)
    AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_repr=str(actor) if actor is not None else "system",
        action=AuditLog.Action.CREATE,
        content_type=ContentType.objects.get_for_model(Person),
        object_id="bulk",
        object_repr=_("批量导入表彰人员数据库"),
        changes=[
            {"field": "rows", "label": _("行数"), "new": result.rows},
            {"field": "people_new", "label": _("新增人员"), "new": result.people_new},
            {"field": "people_updated", "label": _("更新人员"), "new": result.people_updated},
            {"field": "honours_added", "label": _("新增荣誉"), "new": result.honours_added},
        ],
        reason=_("批量导入"),
        request_id=current_request_id(),
    )
    today = timezone.localdate()
    transaction.on_commit(
        lambda: people_changed.send(sender=Person, id_hashes=values, on=today), robust=True
    )


def _write_orm(people, honours, hashes, existing, now) -> int:
    """Any database: batched ``bulk_create`` with upsert (people) and skip (honours)."""
    values = list(hashes.values())
    # each ID number encrypted in one pass (crypto.encrypt_many); a known one is kept
    id_ciphers = crypto.encrypt_many(
        "" if hashes[number] in existing else number for number in people
    )
    rows = []
    for (number, merged), id_cipher in zip(people.items(), id_ciphers, strict=True):
        rows.append(
            Person(
                id_cipher=id_cipher,
                id_hash=hashes[number],
                id_masked=mask_resident_id(number),
                phone_cipher=merged["phone_cipher"],
                phone_masked=merged["phone_masked"],
                name=merged["name"],
                gender=merged["gender"],
                ethnicity=merged["ethnicity"],
                birth_date=merged["birth"],
                unit_name=merged["unit_name"],
                position=merged["position"],
                household_division_id=merged["household_division_id"],
                division_id=merged["division_id"],
                retired=merged["retired"],
                retired_on=merged["retired_on"],
                classified=merged["classified"],
                filed_at=now,
                updated_at=now,
            )
        )
    rows.sort(key=lambda person: person.id_hash)  # one order, as the locks of _known
    Person.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["id_hash"],
        update_fields=[
            "ethnicity",
            "unit_name",
            "position",
            "household_division",
            "division",
            "retired",
            "retired_on",
            "classified",
            "phone_cipher",
            "phone_masked",
            "updated_at",
        ],
    )
    ids = {}
    for start in range(0, len(values), BATCH):
        ids.update(
            Person.objects.filter(id_hash__in=values[start : start + BATCH]).values_list(
                "id_hash", "pk"
            )
        )
    before = Honour.objects.filter(person_id__in=list(ids.values())).count() if existing else 0
    Honour.objects.bulk_create(
        [
            Honour(person_id=ids[hashes[number]], origin=Honour.Origin.IMPORT, **data)
            for number, data in honours
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    after = Honour.objects.filter(person_id__in=list(ids.values())).count()
    return after - before


def _write_copy(people, honours, hashes, existing, now) -> int:
    """PostgreSQL: COPY into temporary tables, then one INSERT … ON CONFLICT for the people
    (upsert by the ID hash, with the values ``_merged`` left) and one for the honours (skip
    those already held). Known people keep their stored ciphertext, so they are not encrypted
    again."""

    with connection.cursor() as cursor:
        # Dropped at commit; also here, for a second import inside the same transaction.
        cursor.execute("DROP TABLE IF EXISTS bulk_person, bulk_honour")
        cursor.execute(
            "CREATE TEMPORARY TABLE bulk_person (id_cipher text, id_hash varchar(64), "
            "id_masked varchar(18), phone_cipher text, phone_masked varchar(30), "
            "name varchar(50), gender varchar(1), ethnicity varchar(2), birth_date date, "
            "unit_name varchar(100), position varchar(100), household_division_id integer, "
            "division_id integer, retired boolean, retired_on date, classified boolean) "
            "ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE bulk_honour (id_hash varchar(64), title varchar(200), "
            "level varchar(20), kind varchar(40), honour_type varchar(20), "
            "awarding_body varchar(200), document_number varchar(100), awarded_on date, "
            "treatment varchar(200), confirmation_document varchar(100), "
            "military_merit varchar(30)) ON COMMIT DROP"
        )
        raw = cursor.cursor
        # each ID number encrypted in one pass (crypto.encrypt_many); a known one is not
        # written again
        id_ciphers = crypto.encrypt_many(
            "" if hashes[number] in existing else number for number in people
        )
        with raw.copy("COPY bulk_person FROM STDIN") as copy:
            for (number, merged), id_cipher in zip(people.items(), id_ciphers, strict=True):
                copy.write_row(
                    (
                        id_cipher,
                        hashes[number],
                        mask_resident_id(number),
                        merged["phone_cipher"],
                        merged["phone_masked"],
                        merged["name"],
                        merged["gender"],
                        merged["ethnicity"],
                        merged["birth"],
                        merged["unit_name"],
                        merged["position"],
                        merged["household_division_id"],
                        merged["division_id"],
                        merged["retired"],
                        merged["retired_on"],
                        merged["classified"],
                    )
                )
        with raw.copy("COPY bulk_honour FROM STDIN") as copy:
            for number, data in honours:
                copy.write_row(
                    (
                        hashes[number],
                        data["title"],
                        data["level"],
                        data["kind"],
                        data["honour_type"],
                        data["awarding_body"],
                        data["document_number"],
                        data["awarded_on"],
                        data["treatment"],
                        data["confirmation_document"],
                        data["military_merit"],
                    )
                )
        cursor.execute(
            "INSERT INTO registry_person (id_cipher, id_hash, id_masked, phone_cipher, "
            "phone_masked, name, gender, ethnicity, birth_date, unit_name, position, "
            "household_division_id, division_id, retired, retired_on, classified, living, "
            "filed_at, updated_at) SELECT id_cipher, id_hash, id_masked, phone_cipher, "
            "phone_masked, name, gender, ethnicity, birth_date, unit_name, position, "
            "household_division_id, division_id, retired, retired_on, classified, true, %s, %s "
            # in one order (as the locks of _known): two imports of the same new people wait
            "FROM bulk_person ORDER BY id_hash ON CONFLICT (id_hash) DO UPDATE SET "
            "ethnicity = EXCLUDED.ethnicity, unit_name = EXCLUDED.unit_name, "
            "position = EXCLUDED.position, household_division_id = EXCLUDED.household_division_id, "
            "division_id = EXCLUDED.division_id, retired = EXCLUDED.retired, "
            "retired_on = EXCLUDED.retired_on, "
            # never declassified, even by a person filed while the import ran (H-6)
            "classified = registry_person.classified OR EXCLUDED.classified, "
            "phone_cipher = EXCLUDED.phone_cipher, phone_masked = EXCLUDED.phone_masked, "
            "updated_at = EXCLUDED.updated_at",
            [now, now],
        )
        cursor.execute(
            "INSERT INTO registry_honour (person_id, title, level, kind, honour_type, "
            "awarding_body, document_number, awarded_on, treatment, confirmation_document, "
            "military_merit, status, origin) SELECT p.id, h.title, h.level, h.kind, "
            "h.honour_type, h.awarding_body, h.document_number, h.awarded_on, h.treatment, "
            "h.confirmation_document, h.military_merit, 'held', %s FROM bulk_honour h "
            "JOIN registry_person p ON p.id_hash = h.id_hash "
            "ON CONFLICT (person_id, title, awarded_on) DO NOTHING",
            [Honour.Origin.IMPORT.value],
        )
        added = cursor.rowcount
        cursor.execute("DROP TABLE bulk_person, bulk_honour")
        return added
