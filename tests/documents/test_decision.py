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
    assert "附件：1.吉林省保障性安居工程先进集体名单" in text
    assert "二〇二三年四月二十日" in text
    assert "附件1\n吉林省保障性安居工程先进个人名单" in text
    body = issued[0].nominee.body.name
    assert f"{body}（2名）" in text
    assert text.index(names[0]) < text.index(names[1])


def test_certificates_pdf_one_page_each_with_number_name_title_issuer_date(published, issued):
    content = pdf.render(decision.certificate_documents(issued), duplex=False)
    from tests.documents.helpers import pdf_pages

    assert pdf_pages(content) == len(issued) == 2  # one sheet each, no blank pages between
    text = pdf_text(content).replace("\n", "")
    for award in issued:
        assert award.certificate_number in text and f"{award.nominee.name}同志：" in text
    assert "吉林省保障性安居工程先进个人" in text and "荣誉证书" in text.replace(" ", "")
    assert "吉林省人民政府" in text and "二〇二三年四月二十日" in text
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
        assert "尚未记录省政府审定" in response.content.decode(), name
