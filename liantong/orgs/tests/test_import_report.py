"""The import report names every problem of a row at once: a row with a malformed cell *and* an unknown
reference (园区, 产业链, 党组织…) gets both lines, so the user fixes the file in one round (issue 7,
"Fix first" 8)."""

import io

import pytest
from openpyxl import Workbook

from liantong.core.excel import import_workbook
from liantong.matching.excel import LISTING
from liantong.orgs.demo import credit_code
from liantong.orgs.excel import ENTERPRISE, MEMBER

pytestmark = pytest.mark.django_db


def book(spec, rows: list[dict]) -> io.BytesIO:
    wb = Workbook()
    wb.active.append([c.title for c in spec.columns])
    for r in rows:
        wb.active.append([r.get(c.title, "") for c in spec.columns])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_an_enterprise_row_reports_its_field_and_its_reference_errors_together(personas):
    row = {"企业名称": "乙", "统一社会信用代码": credit_code("乙", "321191"), "所属园区": "镇江",
           "所属产业链": "不存在的链", "企业规模": "超大型", "联系电话": "12345"}
    lines = import_workbook(ENTERPRISE, book(ENTERPRISE, [row]), actor=personas["zone_staff"]).error_lines()
    assert any(line.startswith("第2行 企业规模: 应为以下之一") for line in lines), lines
    assert "第2行 联系电话: 手机/电话号码格式不正确" in lines
    assert "第2行 所属产业链: 产业链“不存在的链”不存在" in lines  # hidden before: the row had field errors


def test_an_unknown_zone_is_reported_beside_the_row_s_field_errors(personas):
    row = {"企业名称": "丙", "统一社会信用代码": credit_code("丙", "321191"), "所属园区": "不存在园区",
           "是否高新技术企业": "也许"}
    lines = import_workbook(ENTERPRISE, book(ENTERPRISE, [row]), actor=personas["zone_staff"]).error_lines()
    assert sorted(lines) == sorted(["第2行 是否高新技术企业: 应填“是”或“否”",
                                    "第2行 所属园区: 园区“不存在园区”不存在或您无权导入"])


def test_a_member_row_with_a_bad_id_number_still_has_its_party_org_checked(personas):
    row = {"姓名": "张三", "性别": "男", "公民身份号码": "12345", "所在党组织": "不存在的支部", "人员类别": "正式党员"}
    lines = import_workbook(MEMBER, book(MEMBER, [row]), actor=personas["zone_staff"]).error_lines()
    assert any(line.startswith("第2行 公民身份号码:") for line in lines), lines
    assert any(line.startswith("第2行 所在党组织: 党组织“不存在的支部”不存在") for line in lines), lines
    # a check that needs the failed value (gender against the ID number) is not made on a blank
    assert not any(line.startswith("第2行 性别:") for line in lines), lines


def test_a_listing_row_reports_a_too_long_title_and_an_unknown_chain(personas):
    row = {"类型": "需求/采购", "标题": "长" * 300, "发布企业": "镇江船厂有限责任公司", "所属园区": "镇江", "产业链": "不存在的链"}
    lines = import_workbook(LISTING, book(LISTING, [row]), actor=personas["zone_staff"]).error_lines()
    assert any(line.startswith("第2行 标题: 不能超过") for line in lines), lines
    assert "第2行 产业链: 产业链“不存在的链”不在该园区" in lines, lines
