"""Issue 8: the official forms filled from the data — every label of the seed's forms, the
values, the recorded opinions in the review rows, blank rows for tiers that do not apply."""

import datetime
import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from laurel.core.validators import mask_resident_id
from laurel.documents import docx, official, pdf
from laurel.nominations import tiers
from laurel.nominations.models import Nominee
from laurel.nominations.services import nominees as nominee_service
from laurel.nominations.services import review
from tests.documents.helpers import docx_text, pdf_pages, pdf_text
from tests.nominations.conftest import complete_collective, complete_individual

pytestmark = pytest.mark.django_db

FORM2_LABELS = [
    "附件2",
    "吉林省保障性安居建设工作先进集体推荐审批表",
    "集体名称：",
    "所属单位：",
    "推荐单位：",
    "填报时间：",
    "填 表 说 明",
    "1、本表是吉林省保障性安居建设工作先进集体推荐用表，必须如实填写，不得作假，违者取消评选资格。",
    "8、本表上报一式3份，规格为A4纸双面打印成册中间骑缝装订。",
    "集体名称",
    "集体类型",
    "集体级别",
    "集体人数",
    "所在行政区划",
    "集体主要负责人姓名",
    "集体主要负责人单位和职务",
    "集体主要负责人联系电话",
    "集体所属单位",
    "集体所属单位联系电话",
    "单位地址",
    "拟授予称号",
    "表彰层级",
    "何时何地受过何种奖励",
    "何时何地受过何种处分",
    "基本情况介绍",
    "主要事迹",
    "申报单位意    见",
    "县（市、区）人社、住建部门审核意见",
    "市（州）人社、住建部门审核意见",
    "省人社、住建部门审核意见",
    "省政府（省委、省政府）审批意见",
]
FORM3_LABELS = [
    "附件3",
    "吉林省保障性安居建设工作先进个人",
    "推荐审批表",
    "姓    名：",
    "工作单位：",
    "填报时间：",
    "四、“简历”从学徒或高中毕业填起，精确到月，不得断档。",
    "八、本表上报一式3份，规格为A4纸双面打印成册中间骑缝装订。",
    "姓名",
    "性别",
    "民族",
    "籍贯",
    "出生日期",
    "政治面貌",
    "学历学位",
    "参加工作时间",
    "身份证号码",
    "编制性质",
    "职务职级",
    "主要兼任职务",
    "专业技术职务",
    "技术等级",
    "职称",
    "职称等级",
    "工作单位",
    "工作单位隶属关系",
    "工作单位性质",
    "工作单位行政区划",
    "工作单位地址",
    "工作单位联系电话",
    "个人联系电话",
    "拟授予称号",
    "表彰层级",
    "个人简历",
    "何时何地受过何种奖励",
    "何时何地受过何种处分",
    "主要事迹",
    "所在单位意    见",
    "县（市、区）人社、住建部门审核意见",
    "市（州）人社、住建部门审核意见",
    "省人社、住建部门审核意见",
    "省政府（省委、省政府）审批意见",
]


def _flat(text: str) -> str:
    """Labels broken over lines in the cells compare without the breaks."""
    return re.sub(r"\n", "", text)


def _prefetched(nominee):
    return official.prefetch(Nominee.objects.filter(pk=nominee.pk)).get()


def test_form3_individual_has_every_seed_label_the_values_and_the_photo(
    published, cc_staff, nanguan_unit, reviewers
):
    nominee = complete_individual(cc_staff, published, nanguan_unit, name="赵晓梅")
    nominee_service.set_records(
        cc_staff,
        nominee,
        "award",
        [
            {
                "date": datetime.date(2019, 5, 1),
                "issuer": "长春市人民政府",
                "text": "长春市劳动模范",
                "level": "prefecture",
            }
        ],
    )
    nominee = nominee_service.submit_nominee(cc_staff, nominee)
    for function in ("hr", "housing"):
        nominee = review.record_review(
            reviewers[("county", function)],
            nominee,
            decision="agree",
            text="同意推荐。",
            officer_name=f"县{function}经办人",
            decided_on=datetime.date(2026, 6, 20),
        )
    content = docx.render(official.individual_form(_prefetched(nominee)))
    text = _flat(docx_text(content))
    for label in FORM3_LABELS:
        assert _flat(label) in text, label
    for value in (
        "赵晓梅",
        "女" if nominee.gender == "2" else "男",
        "汉族",
        "吉林省农安县",
        "1980.05",
        "中国共产党党员",
        nominee.id_number,
        "保障科科长",
        "长春市南关区住房保障服务中心",
        "0431-88888888",
        "13812345678",
        "吉林省保障性安居建设工作先进个人",
        "省级",
        "1998.09—2002.07  吉林建筑大学学生",
        "2015.03—至今  南关区住房保障服务中心科长",
        "2019.05 长春市人民政府 长春市劳动模范",
    ):
        assert value in text, value
    # County row: both departments' recorded opinions, marked as given online, with name and
    # date, and the seal box left for the stamp — never "已盖章" (issue 21).
    assert "人社部门：（网上审核意见）同意推荐。  2026年6月20日" in text and "县hr经办人" in text
    assert "已盖章" not in text
    # The unit's box: the body submitted, so nothing is said for the unit (its opinion and
    # seal are given on paper); no opinion written for it.
    assert "网上报送" not in text
    assert "同意推荐。长春" not in text
    # Body type: 仿宋 小四 with a FangSong fallback in the font table.
    document = Document(io.BytesIO(content))
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 12
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert document.inline_shapes[0].width > 0  # the photo is in the form
    font_table = document.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    ).blob.decode()
    assert 'w:name="仿宋_GB2312"' in font_table and 'w:altName w:val="仿宋"' in font_table


def test_form2_collective_city_level_leaves_the_county_row_blank(
    published, cc_staff, cc_unit, reviewers
):
    nominee = complete_collective(cc_staff, published, cc_unit, name="长春市保障房管理中心")
    assert tiers.tiers_for(nominee) == ["city", "province"]
    nominee = nominee_service.submit_nominee(cc_staff, nominee)
    nominee = review.record_review(
        reviewers[("city", "hr")],
        nominee,
        decision="agree",
        text="经审核，同意。",
        officer_name="市人社经办人",
        decided_on=datetime.date(2026, 6, 25),
    )
    document = official.collective_form(_prefetched(nominee))
    text = _flat(docx_text(docx.render(document)))
    for label in FORM2_LABELS:
        assert _flat(label) in text, label
    for value in (
        "长春市保障房管理中心",
        "事业单位",
        "正科级",
        "25",
        "长春市南关区",
        "李某",
        "主任",
        "13912345678",
        "长春市南关区住房和城乡建设局",
        "长春市南关区人民大街1号",
        "中心负责全区保障房分配。",
    ):
        assert value in text, value
    table = next(p for p in document.parts if hasattr(p, "rows"))
    rows = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert rows["县（市、区）人社、住建部门审核意见"] == ""  # tier does not apply: blank
    city = rows["市（州）人社、住建部门审核意见"]
    assert "人社部门：（网上审核意见）经审核，同意。  2026年6月25日" in city
    assert "已盖章" not in city
    assert city.count("盖  章") == 2  # the seed's two seal boxes: one kept, one blank
    assert "住建部门：\n\n盖  章" in city  # applies, not yet reviewed: blanks to sign on paper
    assert "盖  章" in rows["省人社、住建部门审核意见"]


def test_form4_and_form5_carry_the_clearance_opinions(published, cc_staff, cc_unit):
    nominee = complete_collective(
        cc_staff,
        published,
        cc_unit,
        name="长春某建设集团有限公司",
        collective_type="enterprise",
        ownership="state_owned",
    )
    nominee = _prefetched(nominee)
    form4 = _flat(docx_text(docx.render(official.clearance_form(nominee))))
    for label in (
        "附件4",
        "先进集体征求意见表",
        "集体名称：长春某建设集团有限公司",
        "集体性质及所属单位：",
        "组织人事部门意见",
        "纪检监察机关意见",
        "公安部门意见",
        "民政部门和业务主管单位（行业管理部门）意见",
        "3.所有先进集体推荐对象均需征求公安部门意见",
    ):
        assert label in form4, label
    assert "经办人：经办人" in form4 and "（网上审核意见）" in form4  # agreed by pass_procedure
    assert "已盖章" not in form4
    assert nominee.is_enterprise
    form5 = _flat(docx_text(docx.render(official.enterprise_form(nominee))))
    for label in (
        "附件5",
        "企业和企业负责人征求意见表",
        "企业名称（企业负责人姓名及职务）：",
        "企业类型：国有",
        "生态环境部门意见：",
        "人力资源和社会保障部门意见：",
        "税务部门意见：",
        "市场监管部门意见：",
        "应急管理部门意见：",
        "统战部门意见：",
        "工商联意见：",
        "审计部门意见：",
        "2.对国有企业及其负责人，不征求统战部门、工商联意见",
    ):
        assert label in form5, label


def test_form6_summary_lists_the_body_and_masks_for_readers(
    published, cc_staff, cc_unit, nanguan_unit
):
    person = complete_individual(cc_staff, published, nanguan_unit, name="钱多多")
    group = complete_collective(cc_staff, published, cc_unit, name="长春市某服务中心")
    body = person.body
    full = _flat(
        docx_text(docx.render(official.summary_form(published, body, [person, group], full=True)))
    )
    for label in (
        "附件6",
        "推荐对象汇总表",
        f"推荐单位：{body.name}",
        "填表日期：",
        "一、吉林省保障性安居建设工作先进集体推荐对象汇总表",
        "二、吉林省保障性安居建设工作先进个人推荐对象汇总表",
        "先进集体名称",
        "集体性质",
        "集体负责人姓名及职务",
        "联系人及电话",
        "政治面貌",
        "身份证号",
        "通讯地址",
        "4.需说明事项请在备注栏中注明。",
        "联系人单位、 姓名及职务：",
    ):
        assert label in full, label
    assert person.id_number in full and "钱多多" in full and "长春市某服务中心" in full
    masked = docx_text(
        docx.render(official.summary_form(published, body, [person, group], full=False))
    )
    assert person.id_number not in masked and mask_resident_id(person.id_number) in masked
    assert group.leader_phone not in masked and "139****5678" in masked


def test_h6_collective_form_masks_the_leader_and_parent_unit_phones_for_readers(
    published, cc_staff, cc_unit
):
    group = _prefetched(complete_collective(cc_staff, published, cc_unit, name="某服务中心"))
    full = docx_text(docx.render(official.collective_form(group, full=True)))
    assert "13912345678" in full and "0431-88888888" in full
    masked = docx_text(docx.render(official.collective_form(group, full=False)))
    assert "13912345678" not in masked and "139****5678" in masked
    assert "0431-88888888" not in masked


def test_pdf_booklet_starts_each_document_on_an_odd_page_and_prints_three_copies(
    published, cc_staff, nanguan_unit
):
    nominee = _prefetched(complete_individual(cc_staff, published, nanguan_unit, name="孙红"))
    documents = official.nominee_documents(nominee)
    one = pdf.render(documents)
    text = pdf_text(one)
    for value in ("推荐审批表", "孙红", "个人简历", "先进个人征求意见表", "公安部门意见"):
        assert value in text.replace("\n", ""), value
    starts = _starts(one, "附件4")
    assert len(starts) == 1 and starts[0] % 2 == 1  # page numbers from 1: a right-hand page
    three = pdf.render(documents, copies=3)
    covers = _starts(three, "附件3")
    assert len(covers) == 3 and all(page % 2 == 1 for page in covers)
    assert all(page % 2 == 1 for page in _starts(three, "附件4"))
    assert pdf_pages(three) >= 3 * pdf_pages(one)


def _starts(content, marker) -> list[int]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return [
        number
        for number, page in enumerate(reader.pages, start=1)
        if page.extract_text().replace("\n", "").startswith(marker)
    ]


def test_pdf_without_the_cjk_fonts_says_which_package_to_install(monkeypatch):
    monkeypatch.setattr(pdf, "REQUIRED_FAMILIES", ("No Such CJK Font SC",))
    with pytest.raises(pdf.FontsMissing) as error:
        pdf.render([])
    assert "fonts-noto-cjk" in str(error.value) and "No Such CJK Font SC" in str(error.value)


def test_a_paper_opinion_is_printed_as_paper_not_as_a_seal_given_in_laurel(
    published, cc_staff, nanguan_unit, office
):
    from django.utils import timezone

    from laurel.core.models import Division
    from laurel.nominations.services import clearance as clearance_service
    from laurel.orgs.models import UnitFunction
    from tests.factories import UnitFactory
    from tests.nominations.test_clearance import _scan

    UnitFactory(
        name="长春市公安局南关分局",
        division=Division.objects.get(code="220102"),
        tier="county",
        functions=[UnitFunction.Function.PUBLIC_SECURITY],
    )
    nominee = complete_individual(cc_staff, published, nanguan_unit, procedure=False)
    clearance_service.open_clearances(cc_staff, nominee)
    request = nominee.clearances.get(function="public_security")
    clearance_service.record_paper_opinion(
        office,
        request,
        state="agreed",
        opinion="无违法犯罪记录",
        officer_name="张警官",
        decided_on=timezone.localdate(),
        scan=_scan(),
    )
    text = official.clearance_text([request.__class__.objects.get(pk=request.pk)])
    assert "签发人：张警官" in text and "纸质意见，盖章原件存档" in text and "已盖章" not in text


def _seal_boxes(text: str) -> int:
    return text.count("盖  章")


def test_c12_a_draft_prints_every_seal_box_of_the_seed_and_no_opinion(
    published, cc_staff, nanguan_unit
):
    """Issue 21: nothing is claimed that nobody gave — a draft's 附件3 has the seed's nine seal
    boxes (unit 1; county, city, province two each, 人社 and 住建; 省政府 two) and no opinion;
    its 附件4 the four of the seed's individual form (组织人事 two; 纪检监察, 公安 one each)."""
    nominee = _prefetched(
        complete_individual(cc_staff, published, nanguan_unit, name="钱程", procedure=False)
    )
    form3 = docx_text(docx.render(official.individual_form(nominee)))
    assert _seal_boxes(form3) == 9
    assert "同意" not in form3.split("审核意见", 1)[-1]  # no opinion in any box
    assert "已盖章" not in form3 and "网上报送" not in form3
    form4 = docx_text(docx.render(official.clearance_form(nominee)))
    assert _seal_boxes(form4) == 4  # 组织人事 2, 纪检监察 1, 公安 1
    assert "已盖章" not in form4 and "经办人" not in form4


def test_c12_the_approval_box_keeps_both_seals_and_names_the_recorded_document(
    published, cc_staff, nanguan_unit
):
    """The 省政府（省委、省政府）row has two seal boxes in the seed; before an award it is
    blank, and Laurel never writes 同意 there for the government."""
    nominee = _prefetched(complete_individual(cc_staff, published, nanguan_unit, name="孙立"))
    form3 = docx.render(official.individual_form(nominee))
    document = official.individual_form(nominee)
    table = next(p for p in document.parts if hasattr(p, "rows"))
    rows = {row.cells[0].text: row.cells[-1].text for row in table.rows}
    approval = rows["省政府（省委、省政府）\n审批意见"]
    assert _seal_boxes(approval) == 2 and "同意" not in approval
    assert "已盖章" not in docx_text(form3)


def test_c12_the_approval_row_names_the_plans_approving_body_not_jilins(
    published, cc_staff, nanguan_unit
):
    """The seed's forms print 省政府（省委、省政府）审批意见 (the Jilin definition says so in
    `approval_label`); a plan commended in another body's name prints that body, and one that
    gives its own label prints the label — on 附件2 and 附件3 alike."""
    from laurel.campaigns.services.definitions import definition_data

    assert definition_data(published)["approval_label"] == "省政府（省委、省政府）"
    person = _prefetched(complete_individual(cc_staff, published, nanguan_unit, name="孙立"))
    collective = _prefetched(complete_collective(cc_staff, published, nanguan_unit))

    def labels(nominee):
        form = official.individual_form if nominee.is_individual else official.collective_form
        document = form(nominee)
        table = next(p for p in document.parts if hasattr(p, "rows"))
        return [row.cells[0].text for row in table.rows if "审批意见" in row.cells[0].text]

    assert labels(person) == labels(collective) == ["省政府（省委、省政府）\n审批意见"]
    published.approval_label = ""
    published.commended_in_name_of = "吉林省人力资源和社会保障厅"
    published.save()
    for nominee in (person, collective):
        nominee.campaign = published
    assert labels(person) == labels(collective) == ["吉林省人力资源和社会保障厅\n审批意见"]
    assert "省政府（省委、省政府）" not in docx_text(docx.render(official.individual_form(person)))


def test_the_decision_and_certificates_use_the_campaigns_own_wording(published):
    """Issue 21: a name with a suffix no longer breaks the title; the office's wording wins,
    the derivation stays the default."""
    from laurel.documents import decision

    published.name = "吉林省保障性安居工程建设工作先进集体、先进个人评选表彰（2019年度，演示）"
    assert decision.subject(published).endswith("（2019年度，演示）")  # the derivation's limit
    published.decision_subject = "全省保障性安居工程建设工作先进集体和先进个人"
    published.certificate_achievement = "全省保障性安居工程建设工作"
    assert decision.subject(published) == "全省保障性安居工程建设工作先进集体和先进个人"
    assert published.achievement_on_certificates == "全省保障性安居工程建设工作"
    document = decision.decision(published)
    assert (
        document.title == "吉林省人民政府关于表彰全省保障性安居工程建设工作先进集体和先进个人的决定"
    )


def test_a_10000_character_text_prints_whole_in_the_fixed_table_layout():
    """Issue 21: every table states its width, so WeasyPrint lays it out by its columns (the
    automatic layout took ~590 s for 10,000 characters); the whole text is still printed,
    over as many pages as it needs. Speed is measured in benchmarks/, not here."""
    from laurel.documents.layout import Cell, Document, Row, Table

    long_text = "该同志扎实工作，成绩突出。" * 770  # 10,010 characters
    doc = Document(key="long", title="长文本")
    doc.add(Table([2.5, 13.4], [Row([Cell("主要事迹", label=True), Cell(long_text)])]))
    assert 'style="width:15.90cm"' in pdf.document_html(doc)
    content = pdf.render([doc])
    assert pdf_text(content).replace("\n", "").count("成绩突出") == 770
    assert pdf_pages(content) >= 9


def test_booklet_keeps_numbers_whole_seal_boxes_together_and_the_photo_two_inches(
    published, cc_staff, nanguan_unit
):
    """Issue 21: an ID number or phone never wraps mid-number; a review row (label, opinion,
    盖章, date) never splits across pages; the photo prints 3.5 cm wide (a 2-inch photo)."""
    nominee = _prefetched(complete_individual(cc_staff, published, nanguan_unit, name="郑和"))
    html = pdf.document_html(official.individual_form(nominee))
    assert f'<td class="number">{nominee.id_number}</td>' in html
    assert re.search(r'<td colspan="2" class="number">138[0-9*]{4}5678</td>', html)
    assert '<td class="number">0431-88888888</td>' in html
    approval_row = html[: html.index("审批意见")].rsplit("<tr", 1)[1]
    assert approval_row.startswith(' class="keep"')
    assert 'style="width:3.5cm"' in html


def test_c12_a_long_deeds_text_runs_on_under_a_continued_label(published, cc_staff, nanguan_unit):
    """Issue 21: where 主要事迹 runs onto the next page, that page's row is labelled
    "主要事迹（续）"; the text is printed whole, once, and a short text has no such row."""
    nominee = complete_individual(cc_staff, published, nanguan_unit, name="郑和")
    sentences = [f"第{number}项：该同志扎实工作，成绩突出。" for number in range(1, 121)]
    Nominee.objects.filter(pk=nominee.pk).update(deeds="\n".join(sentences))
    content = pdf.render([official.individual_form(_prefetched(nominee))])
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    assert len(pages) >= 2
    first = next(n for n, page in enumerate(pages) if "主要事迹\n第1项" in page)
    continued = [n for n, page in enumerate(pages) if "主要事迹\n（续）" in page]
    assert continued and continued[0] == first + 1
    assert all(pages[n].lstrip().startswith("主要事迹\n（续）") for n in continued)
    printed = re.sub(r"\s", "", "".join(pages)).replace("主要事迹（续）", "")
    for sentence in sentences:
        assert printed.count(sentence) == 1, sentence

    short = _prefetched(complete_individual(cc_staff, published, nanguan_unit, name="李白"))
    assert "（续）" not in pdf_text(pdf.render([official.individual_form(short)]))


def test_the_forms_print_the_plans_own_text_limits(published, cc_staff, nanguan_unit):
    """附件2/附件3's notes print the character limits of the plan being run (300/800 are
    Jilin's), on the form a unit prints and seals."""
    published.profile_max_chars, published.deeds_max_chars = 500, 1500
    published.save()
    group = complete_collective(cc_staff, published, nanguan_unit, name="限额集体")
    person = complete_individual(cc_staff, published, nanguan_unit, name="限额个人")
    form2 = _flat(docx_text(docx.render(official.collective_form(_prefetched(group)))))
    form3 = _flat(docx_text(docx.render(official.individual_form(_prefetched(person)))))
    assert "字数控制在500字以内" in form2 and "字数控制在1500字以内" in form2
    assert "字数控制在1500字左右" in form3
    assert "300字" not in form2 and "800字" not in form2 + form3


def test_the_certificates_achievement_strips_the_plans_own_category_names(published):
    """Another plan commends 模范集体 and 优秀个人: the certificates' “在（…）中成绩突出” drops
    those names as it drops Jilin's 先进集体/先进个人."""
    collective, individual = published.categories.order_by("kind")
    collective.name, individual.name = "模范集体", "优秀个人"
    collective.save()
    individual.save()
    published.name = "全省人社系统窗口服务模范集体和优秀个人评选表彰"
    published.certificate_achievement = ""
    assert published.achievement_on_certificates == "全省人社系统窗口服务"
    published.name = "全省人社系统窗口服务优秀个人评选表彰"
    assert published.achievement_on_certificates == "全省人社系统窗口服务"
    published.name = "吉林省保障性安居工程建设工作先进集体、先进个人评选表彰"
    assert published.achievement_on_certificates == "吉林省保障性安居工程建设工作"


def test_c12_a_form_sent_back_prints_no_earlier_rounds_opinion(
    published, cc_staff, nanguan_unit, reviewers
):
    """Probe: county and city agreed, the province sent the nominee back and the unit put
    another person in the place; the form printed the county's and city's 同意 for them."""
    from tests.nominations.conftest import _fresh_id
    from tests.nominations.test_review import _agree

    nominee = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit)
    )
    nominee = _agree(reviewers, "city", _agree(reviewers, "county", nominee))
    assert "同意" in official.review_text(nominee, "county", True)
    nominee = review.send_back(reviewers[("province", "hr")], nominee, "请补充材料")
    nominee = nominee_service.save_draft(
        cc_staff, nominee, name="李某某", id_number=_fresh_id(datetime.date(1980, 5, 17))
    )
    nominee.refresh_from_db()
    for tier in ("county", "city", "province"):
        printed = official.review_text(nominee, tier, True)
        assert "同意" not in printed and "经办人" not in printed, (tier, printed)
        assert printed.count("盖  章") == 2  # the blank boxes to be signed on paper


def test_form3_the_units_box_says_it_submitted_online_only_when_its_own_account_did(
    published, cc_staff, nanguan_unit
):
    """Probe: the unit's box said the nominating unit had submitted online when its
    nominating body had (a printed box must not claim what the unit did not do)."""
    from laurel.core.roles import Role
    from tests.factories import UserFactory

    def unit_box(nominee):
        return docx_text(docx.render(official.nominee_documents(nominee, full=True)[0]))

    by_body = nominee_service.submit_nominee(
        cc_staff, complete_individual(cc_staff, published, nanguan_unit, name="甲")
    )
    assert by_body.submitted_by_unit == cc_staff.unit
    assert "网上报送" not in unit_box(by_body)
    officer = UserFactory(unit=nanguan_unit, roles=[Role.NOMINATING_UNIT])
    draft = complete_individual(cc_staff, published, nanguan_unit, name="乙")
    by_unit = nominee_service.submit_nominee(officer, draft)
    assert f"（{nanguan_unit.name}已于" in unit_box(by_unit)
    withdrawn = nominee_service.withdraw_nominee(officer, by_unit, "补充材料")
    assert withdrawn.submitted_by_unit is None and "网上报送" not in unit_box(withdrawn)
