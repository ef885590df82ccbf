"""Exports against their bare baselines, in the same run:

- 100,000 honours as .xlsx (registry.interfaces.spreadsheets.database_export: masking and
  de-sensitising included) against a bare xlsxwriter loop over the same query;
- 1,000 certificates as one PDF (documents.decision + documents.pdf) against one batched
  WeasyPrint document of the same pages written by hand.

    cd benchmarks && PYTHONPATH=../src ../.venv/bin/python exports.py [--quick]

Reads the registry benchmark's database (run registry_search.py first)."""

from __future__ import annotations

import argparse
import datetime
import io
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurel.settings")
os.environ.setdefault("LAUREL_DEBUG", "0")  # as in production: no query log, no template debug

from registry_search import _database
from targets import report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/laurel_bench")
    args = parser.parse_args()
    rows = 10_000 if args.quick else 100_000
    certificates = 100 if args.quick else 1000
    _database(args.database_url)

    import django

    django.setup()
    import xlsxwriter

    from laurel.accounts.models import User
    from laurel.registry.interfaces.spreadsheets import DATABASE_COLUMNS, database_export
    from laurel.registry.models import Honour

    office, _ = User.objects.get_or_create(username="bench-office", defaults={"full_name": "基准"})
    office.is_superuser = True
    office.save()
    ids = list(Honour.objects.order_by("pk").values_list("pk", flat=True)[:rows])
    if len(ids) < rows:
        sys.exit("run registry_search.py first (it fills the benchmark database)")
    honours = Honour.objects.filter(pk__lte=ids[-1])

    start = time.perf_counter()
    database_export(honours, office, io.BytesIO())
    ours = time.perf_counter() - start

    start = time.perf_counter()
    book = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, DATABASE_COLUMNS)
    query = honours.values_list(
        "person__name",
        "person__gender",
        "person__id_masked",
        "person__unit_name",
        "person__division_id",
        "person__classified",
        "title",
        "level",
        "kind",
        "awarding_body",
        "awarded_on",
        "document_number",
        "status",
    ).order_by("person__name", "person_id", "awarded_on")
    for index, row in enumerate(query.iterator(chunk_size=5000), start=1):
        sheet.write_row(index, 0, [str(v) for v in row])
    book.close()
    bare = time.perf_counter() - start
    print(
        f"{rows:,}-row .xlsx export: ours {ours:.2f} s, bare xlsxwriter loop {bare:.2f} s, "
        f"ratio {ours / bare:.2f}"
    )
    report("export ≤ 1.2× a bare xlsxwriter loop", ours / bare, 1.2, at_most=True)

    from weasyprint import CSS, HTML

    from laurel.documents import decision, pdf

    class Award:  # the fields a certificate prints
        def __init__(self, number, name):
            self.certificate_number = number
            self.issued_on = datetime.date(2023, 4, 20)
            self.nominee = type(
                "N",
                (),
                {
                    "name": name,
                    "is_individual": True,
                    "campaign": type(
                        "C",
                        (),
                        {
                            "name": "吉林省某工作先进集体、先进个人评选表彰",
                            "commended_in_name_of": "吉林省人民政府",
                        },
                    )(),
                    "category": type("K", (), {"honour_title": "吉林省某工作先进个人"})(),
                },
            )()

    awards = [Award(f"2023001{index:05d}", f"测试{index}") for index in range(certificates)]
    pdf.render(decision.certificate_documents(awards[:2]), duplex=False)  # fonts loaded once
    start = time.perf_counter()
    pdf.render(decision.certificate_documents(awards), duplex=False)
    ours = time.perf_counter() - start
    pages = "".join(
        f'<section style="break-before: page"><h1>荣 誉 证 书</h1><p>{a.nominee.name}同志：</p>'
        f"<p>在吉林省某工作中成绩突出，被评为“吉林省某工作先进个人”。特发此证，以资鼓励。</p>"
        f"<p>吉林省人民政府</p><p>二〇二三年四月二十日</p><p>证书编号：{a.certificate_number}</p>"
        "</section>"
        for a in awards
    )
    start = time.perf_counter()
    HTML(string=f"<html><body>{pages}</body></html>").write_pdf(
        stylesheets=[
            CSS(string="@page { size: A4 landscape } body { font-family: 'Noto Serif CJK SC' }")
        ]
    )
    bare = time.perf_counter() - start
    print(
        f"{certificates:,} certificates (one PDF): ours {ours:.2f} s, one bare WeasyPrint "
        f"document {bare:.2f} s, ratio {ours / bare:.2f}"
    )
    report("certificates ≤ 1.2× one WeasyPrint document", ours / bare, 1.2, at_most=True)


if __name__ == "__main__":
    main()
