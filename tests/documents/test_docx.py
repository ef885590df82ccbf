"""The .docx writer: body text written into a package skeleton built once per page set-up."""

import io

from docx import Document as open_docx
from PIL import Image

from laurel.documents import docx
from laurel.documents.layout import Cell, Document, PageBreak, Para, Row, Table


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 420), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _layout(title="测试<表>&") -> Document:
    return Document(
        key="t",
        title=title,
        landscape=True,
        margins_cm=(2.0, 2.0, 2.0, 2.0),
    ).add(
        Para("标题 <b>&amp;", "title"),
        Table(
            widths_cm=[3.0, 4.0, 5.0],
            rows=[
                Row([Cell("跨两列", span=2, label=True), Cell("", rowspan=2, image=_photo())]),
                Row([Cell("甲\t乙\x0b丙"), Cell("第一行\n第二行", align="right")], height_cm=3),
            ],
            font_pt=10.5,
        ),
        PageBreak(),
        Para("正文", "official"),
    )


def test_spans_pictures_styles_and_escaping_read_back_with_python_docx():
    content = docx.render(_layout())
    document = open_docx(io.BytesIO(content))
    assert document.core_properties.title == "测试<表>&"
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    paragraphs = document.paragraphs
    assert paragraphs[0].text == "标题 <b>&amp;"
    assert paragraphs[0].style.name == "Laurel title 22"
    assert paragraphs[-1].style.name == "Laurel official 16"
    assert paragraphs[0].style.font.size.pt == 22
    table = document.tables[0]
    assert table.cell(0, 0) is not None and table.cell(0, 0)._tc is table.cell(0, 1)._tc
    assert table.cell(0, 0).text == "跨两列"
    assert table.cell(1, 2)._tc is table.cell(0, 2)._tc  # the photo spans both rows
    assert [tc.vMerge for tc in table.rows[1]._tr.tc_lst] == [None, None, "continue"]
    # A tab stays a tab; a vertical tab (not allowed in XML) is dropped.
    assert table.cell(1, 0).text == "甲\t乙丙"
    assert [p.text for p in table.cell(1, 1).paragraphs] == ["第一行", "第二行"]
    assert table.cell(1, 1).paragraphs[0].style.name == "Laurel right 10.5"
    assert table.rows[1].height.cm > 2.9
    shape = document.inline_shapes[0]
    assert round(shape.width.cm, 1) == 2.5 and round(shape.height.cm, 1) == 3.5
    assert (
        document.part.related_parts[
            shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        ].content_type
        == "image/png"
    )


def test_two_documents_of_one_set_up_share_the_skeleton_but_not_their_bodies():
    first = open_docx(io.BytesIO(docx.render(_layout("一"))))
    second = open_docx(io.BytesIO(docx.render(_layout("二"))))
    assert first.core_properties.title == "一" and second.core_properties.title == "二"
    assert len(second.inline_shapes) == 1 and len(second.tables) == 1
