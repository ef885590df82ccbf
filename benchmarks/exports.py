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

    from weasyprint import HTML

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
                            "achievement_on_certificates": "全省某工作",
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
    # The baseline: WeasyPrint alone on the very same HTML (the certificates' design since issue
    # 21: frame, QR code, the 仿宋 face), in one document — what ours adds is the document model,
    # the QR codes and Laurel's own passes.
    html = pdf.booklet_html(decision.certificate_documents(awards), duplex=False)
    stylesheet, fonts = pdf._stylesheet()
    start = time.perf_counter()
    HTML(string=html).write_pdf(stylesheets=[stylesheet], font_config=fonts)
    bare = time.perf_counter() - start
    print(
        f"{certificates:,} certificates (one PDF): ours {ours:.2f} s, WeasyPrint alone on the "
        f"same HTML {bare:.2f} s, ratio {ours / bare:.2f}"
    )
    report("certificates ≤ 1.2× WeasyPrint on the same HTML", ours / bare, 1.2, at_most=True)


if __name__ == "__main__":
    main()
