"""Issue 8 §4: the commendation decision, certificates and the plaque list."""

import datetime
import io

import pytest

from laurel.documents import decision, docx, pdf
from laurel.evaluation.services import awards as award_services
from tests.documents.helpers import docx_text, pdf_text
from tests.evaluation.test_awards import approve, awarded  # noqa: F401

pytestmark = pytest.mark.django_db


def test_chinese_numeral_dates():
    assert decision.chinese_date(datetime.date(2023, 4, 20)) == "二〇二三年四月二十日"
    assert decision.chinese_date(datetime.date(2020, 10, 1)) == "二〇二〇年十月一日"
    assert decision.chinese_date(datetime.date(2021, 12, 31)) == "二〇二一年十二月三十一日"


@pytest.fixture
def issued(published, office, awarded):  # noqa: F811
    approve(office, published, awarded, "吉政发〔2023〕7号")
    return award_services.issue_awards(office, published)


def test_decision_has_the_award_sentence_appendix_by_strokes_and_chinese_date(published, issued):
    published.refresh_from_db()
    text = docx_text(docx.render(decision.decision(published)))
    names = sorted(a.nominee.name for a in issued)  # 获奖0, 获奖1: same strokes, by digit
    assert "吉林省人民政府文件" in text and "吉政发〔2023〕7号" in text
    assert "吉林省人民政府关于表彰吉林省保障性安居工程建设工作先进集体和先进个人的决定" in text
    assert f"授予{names[0]}等2名同志“吉林省保障性安居工程先进个人”称号" in text
    # GB/T 9704: one attachment, not numbered; the date in Arabic numerals; 版记 at the end
    assert "附件：吉林省保障性安居工程先进个人名单" in text
    assert "2026年6月20日" in text and "二〇二三" not in text
    assert "附件\n\n吉林省保障性安居工程先进个人名单" in text
    assert text.rstrip().endswith("吉林省人民政府办公厅\u3000\u30002026年6月20日印发")
    body = issued[0].nominee.body.name
    assert f"{body}（2名）" in text
    assert text.index(names[0]) < text.index(names[1])
    # only individuals are commended in this round: the body praises them alone
    assert "涌现出一批成绩突出的先进个人。" in text and "希望受到表彰的先进个人珍惜荣誉" in text


def test_certificates_pdf_one_page_each_with_number_name_title_issuer_date(published, issued):
    content = pdf.render(decision.certificate_documents(issued), duplex=False)
    from tests.documents.helpers import pdf_pages

    assert pdf_pages(content) == len(issued) == 2  # one sheet each, no blank pages between
    text = pdf_text(content).replace("\n", "")
    for award in issued:
        assert award.certificate_number in text and f"{award.nominee.name}同志：" in text
    assert "吉林省保障性安居工程先进个人" in text and "荣誉证书" in text.replace(" ", "")
    assert "吉林省人民政府" in text and "二〇二六年六月二十日" in text
    # issue 21: designed as a certificate, with where to verify it, as text and as a QR code
    html = pdf.document_html(decision.certificate_documents(issued[:1])[0])
    assert 'class="doc landscape certificate"' in html and 'class="picture qr"' in html
    number = issued[0].certificate_number
    assert f"查验：http://127.0.0.1:8000/public/verify/?number={number}" in text.replace(" ", "")
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(content)).pages[0]
    assert round(float(page.mediabox.width)) == 842 and round(float(page.mediabox.height)) == 595
    assert any("/Image" in str(x.get("/Subtype")) for x in page["/Resources"]["/XObject"].values())


def test_office_downloads_decision_certificates_and_plaques(client, published, office, issued):
    client.force_login(office)
    base = f"/documents/campaigns/{published.pk}"
    response = client.get(f"{base}/decision.docx")
    assert response.status_code == 200 and "授予" in docx_text(response.content)
    response = client.get(f"{base}/certificates.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert issued[0].certificate_number in pdf_text(response.content)
    plaques = docx_text(client.get(f"{base}/plaques.docx").content)
    assert "奖牌镌刻清单" in plaques and "镌刻内容" in plaques
    from tests.factories import UserFactory

    outsider = UserFactory(unit=office.unit, roles=["nominating_body"])
    client.force_login(outsider)
    assert client.get(f"{base}/decision.docx").status_code == 403
    assert client.get(f"{base}/certificates.pdf").status_code == 403


def test_c8_decision_documents_wait_for_the_approval(client, published, office):
    """Issue 17 (the rules ``documents.download_*``): before the government's approval there is
    no decision to print — no document number, no date — so the office gets a refusal naming
    the reason, not a decision reading "决定，。"."""
    client.force_login(office)
    base = f"/documents/campaigns/{published.pk}"
    for name in ("decision.docx", "certificates.pdf", "plaques.docx"):
        response = client.get(f"{base}/{name}")
        assert response.status_code == 403, name
        assert "尚未记录审定结果" in response.content.decode(), name


def _runs(content: bytes, page_number: int = 0) -> list[tuple[float, float, str]]:
    """(x, y, text) of every piece of text on a page (points from the bottom left)."""
    from pypdf import PdfReader

    found = []

    def visitor(text, cm, tm, font_dict, font_size):
        if text.strip():
            found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text))

    PdfReader(io.BytesIO(content)).pages[page_number].extract_text(visitor_text=visitor)
    return found


def test_the_decision_pdf_keeps_gbt_9704_page_grid_and_fonts(published, issued):
    """Issue 21: A4; the type area 156 × 225 mm at 37 mm from the top and 28 mm from the
    binding edge; 22 lines a page; the CJK fonts embedded; the page number "— 1 —"."""
    from pypdf import PdfReader

    from laurel.documents.layout import Document, Para

    published.refresh_from_db()
    content = pdf.render([decision.decision(published)], duplex=False)
    reader = PdfReader(io.BytesIO(content))
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)
    runs = _runs(content)
    left = min(x for x, _y, _t in runs)
    assert abs(left - 28 / 25.4 * 72) < 2, sorted(runs)[:6]  # 订口 28 mm
    type_top = 842 - 37 / 25.4 * 72  # 天头 37 mm
    mark = next(y for _x, y, t in runs if "文件" in t)  # 发文机关标志, 35 mm into the type area
    assert type_top - 35 / 25.4 * 72 - 45 < mark < type_top - 35 / 25.4 * 72
    number = next(y for _x, y, t in runs if t.strip() == "— 1 —")
    assert number < 35 / 25.4 * 72  # the page number below the type area
    fonts = first["/Resources"]["/Font"]
    descriptors = [fonts[name].get_object() for name in fonts]
    assert any("CJK" in str(font.get("/BaseFont")) for font in descriptors)
    # the body in Fandol's 仿宋 (`make fonts` installs it), the titles in Noto Serif CJK
    assert pdf.fangsong_file() is not None, "run `make fonts` (texlive-lang-chinese)"
    assert any("Laurel-FangSong" in str(font.get("/BaseFont")) for font in descriptors)
    assert all(
        "/FontFile" in str(font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"])
        or "/FontFile" in str(font.get("/FontDescriptor", ""))
        for font in descriptors
        if "/DescendantFonts" in font
    )
    # the grid: a page holds 22 lines of 3号 text
    grid = Document(key="grid", title="grid", margins_cm=(3.7, 2.6, 3.5, 2.8), kind="decision")
    grid.add(*[Para(f"第{n}行", "gw-left") for n in range(1, 45)])
    lines = pdf.render([grid], duplex=False)
    assert PdfReader(io.BytesIO(lines)).pages.__len__() == 2
    on_first = {t.strip() for _x, _y, t in _runs(lines) if t.strip().startswith("第")}
    assert len(on_first) == 22 and "第22行" in on_first and "第23行" not in on_first


def test_no_decision_before_the_awards_and_a_long_wording_stays_on_one_sheet(
    client,
    published,
    office,
    awarded,  # noqa: F811
):
    """Issue 21 review: an approved campaign without awards yet has nobody to name — no
    decision is printed; a certificate's wording at its longest still fits its sheet."""
    approve(office, published, awarded)
    client.force_login(office)
    for suffix in ("decision.docx", "decision.pdf"):
        response = client.get(f"/documents/campaigns/{published.pk}/{suffix}", follow=True)
        assert "尚未颁发表彰，表彰决定的名单为空" in response.content.decode()
    awards = award_services.issue_awards(office, published)
    published.refresh_from_db()
    published.certificate_achievement = "全省保障性安居工程建设" * 18  # 198 characters
    for award in awards:
        award.nominee.campaign = published
    content = pdf.render(decision.certificate_documents(awards[:1]), duplex=False)
    from tests.documents.helpers import pdf_pages

    assert pdf_pages(content) == 1


def test_the_decision_docx_sets_words_22_by_28_document_grid(published, issued):
    """Issue 21: the .docx carries GB/T 9704's grid as Word's own 文档网格 (指定行和字符网格):
    the line pitch and the character pitch (Normal's 3号 plus charSpace/4096 pt) give exactly
    22 lines and 28 characters in the 156 × 225 mm type area; other forms keep no grid."""
    from docx import Document as Docx
    from docx.oxml.ns import qn

    document = Docx(io.BytesIO(docx.render(decision.decision(published))))
    section = document.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    height = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    assert (round(height / 20 / 72 * 25.4), round(width / 20 / 72 * 25.4)) == (225, 156)
    line_pitch = int(grid.get(qn("w:linePitch")))
    assert height // line_pitch == 22 and line_pitch == 579
    assert document.styles["Normal"].font.size.pt == 16
    char_pitch_twips = (16 + int(grid.get(qn("w:charSpace"))) / 4096) * 20
    assert width // char_pitch_twips == 28
    assert width / char_pitch_twips - 28 < 0.01  # the grid fills the line, no 29th character

    from laurel.documents.layout import Document as Layout

    other = Docx(io.BytesIO(docx.render(Layout(key="form", title="表"))))
    assert other.sections[0]._sectPr.find(qn("w:docGrid")).get(qn("w:type")) is None
