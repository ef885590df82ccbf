"""Booklet PDFs against bare WeasyPrint, in the same run (issue 21):

- one nominee's booklet (a form of the 附件3 shape and its 附件4) at 320, 800 and 1,500
  characters of 主要事迹, and at 10,000 (a draft beyond the limit must still print in bounds);
- 261 booklets in a loop (a body's or a province's ZIP) against a bare WeasyPrint loop over the
  same HTML with the same stylesheet.

    cd benchmarks && PYTHONPATH=../src ../.venv/bin/python booklets.py [--quick]

Needs no database: the documents are built from the layout model directly."""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurel.settings")


def booklet(chars: int):
    from laurel.documents.layout import Cell, Document, Para, Row, Table

    label = lambda text: Cell(text, label=True)  # noqa: E731
    form = Document(key="form3", title="推荐审批表")
    rows = [
        Row([label("姓名"), Cell("王某某"), label("性别"), Cell("女"), Cell("照片", rowspan=4)]),
        Row([label("民族"), Cell("汉族"), label("出生年月"), Cell("1980.05")]),
        Row([label("身份证号"), Cell("220122198005174693", span=3)]),
        Row([label("工作单位"), Cell("长春市南关区住房保障服务中心", span=3)]),
        Row([label("简历"), Cell("1998.09—2002.07  吉林建筑大学学生\n" * 4, span=4)]),
        Row(
            [
                label("主要事迹"),
                Cell(("该同志扎实工作，成绩突出。" * (chars // 12 + 1))[:chars], span=4),
            ]
        ),
    ]
    for tier in ("所在单位意见", "县级审核意见", "市级审核意见", "省级审核意见", "审批意见"):
        rows.append(Row([label(tier), Cell("\n\n盖  章\n年    月    日", span=4)], height_cm=3.2))
    form.add(Para("附件3", "attachment"), Para("先进个人推荐审批表", "title"))
    form.add(Table([2.2, 3.9, 2.2, 3.6, 3.9], rows))
    clearance = Document(key="form4", title="征求意见表")
    clearance.add(
        Table(
            [3.2, 12.6],
            [
                Row([label(f"{d}意见"), Cell("\n\n（盖  章）\n年    月    日")], 4.2)
                for d in "组纪公"
            ],
        )
    )
    return [form, clearance]


def timed(function, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - start) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    from weasyprint import HTML

    from laurel.documents import pdf

    stylesheet, fonts = pdf._stylesheet()

    def bare(html: str) -> bytes:
        return HTML(string=html).write_pdf(stylesheets=[stylesheet], font_config=fonts)

    pdf.render(booklet(320))  # fonts loaded once, for both
    repeat = 2 if args.quick else 5
    print("booklet of one nominee (seconds; ratio to bare WeasyPrint of the same HTML)")
    for chars in (320, 800, 1500, 10_000):
        documents = booklet(chars)
        html = pdf.booklet_html(documents)
        ours = timed(lambda documents=documents: pdf.render(documents), repeat)
        base = timed(lambda html=html: bare(html), repeat)
        target = "met" if chars > 2000 or ours <= 1.0 else "not met"
        print(
            f"  {chars:>6} characters: {ours:6.2f} s  bare {base:6.2f} s  ×{ours / base:4.2f}  "
            f"(≤ 1 s at ≤ 1,500: {target})"
        )
    count = 30 if args.quick else 261
    documents = booklet(800)
    html = pdf.booklet_html(documents)
    ours = timed(lambda: [pdf.render(documents) for _ in range(count)], 1)
    base = timed(lambda: [bare(html) for _ in range(count)], 1)
    print(
        f"{count} booklets (800 characters each): {ours:6.1f} s  bare loop {base:6.1f} s  "
        f"×{ours / base:4.2f}  (≤ 1.2×: {'met' if ours <= 1.2 * base else 'not met'})"
    )


if __name__ == "__main__":
    main()
