"""Enterprise and party-org workbooks, and export → import round trips."""

import io

from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from liantong.core.excel import import_workbook, write_workbook
from liantong.orgs.demo import credit_code
from liantong.orgs.excel import ENTERPRISE, PARTY_ORG
from liantong.orgs.models import ChainMembership, Enterprise, PartyOrg


def book(headers, rows):
    wb = Workbook()
    wb.active.append(headers)
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


ENT_HEADERS = ["企业名称*", "统一社会信用代码*", "所属园区*", "所属产业链", "链上角色", "所在环节", "注册地址", "企业规模",
               "是否高新技术企业", "联系人", "联系电话"]


def test_enterprises_import_with_their_chain_place_and_reimport_changes_nothing(personas):
    code = credit_code("镇江新航船舶科技有限公司", "321191")
    rows = [["镇江新航船舶科技有限公司", code.lower(), "镇江", "高技术船舶海工装备", "配套", "船用核心部件", "镇江市", "小型", "是",
             "王工", "13800000000"]]
    result = import_workbook(ENTERPRISE, book(ENT_HEADERS, rows), actor=personas["zone_staff"])
    assert result.ok, result.error_lines()
    ent = Enterprise.objects.get(credit_code=code)
    assert ent.is_hightech and ent.scale == "small"
    assert ChainMembership.objects.get(enterprise=ent).node.name == "船用核心部件"
    again = import_workbook(ENTERPRISE, book(ENT_HEADERS, rows), actor=personas["zone_staff"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_enterprise_rows_with_problems_are_all_named(personas):
    rows = [["甲", "91350100M000100Y44", "镇江", "", "", "", "", "", "", "", ""],
            ["乙", credit_code("乙", "321191"), "不存在园区", "", "", "", "", "超大型", "也许", "", "12345"],
            ["丙", credit_code("丙", "321191"), "镇江", "不存在的链", "链主", "", "", "", "", "", ""]]
    lines = import_workbook(ENTERPRISE, book(ENT_HEADERS, rows), actor=personas["zone_staff"]).error_lines()
    assert "第2行 统一社会信用代码: 统一社会信用代码校验位错误" in lines
    assert any(line.startswith("第3行 企业规模: 应为以下之一") for line in lines)
    assert "第3行 是否高新技术企业: 应填“是”或“否”" in lines
    assert "第3行 联系电话: 手机/电话号码格式不正确" in lines
    assert "第4行 所属产业链: 产业链“不存在的链”不存在" in lines
    assert not Enterprise.objects.filter(name__in=["甲", "乙", "丙"]).exists()


def test_a_zone_user_cannot_import_into_another_zone(personas):
    rows = [["某企业", credit_code("某企业", "620402"), "白银", "", "", "", "", "", "", "", ""]]
    lines = import_workbook(ENTERPRISE, book(ENT_HEADERS, rows), actor=personas["zone_staff"]).error_lines()
    assert lines == ["第2行 所属园区: 园区“白银”不存在或您无权导入"]


def test_party_orgs_import_parents_defined_earlier_in_the_same_file(personas):
    headers = ["组织名称*", "组织类别*", "上级组织*", "所属园区*", "所属单位", "所属产业链", "成立日期", "书记", "换届日期"]
    rows = [["镇江海帆船舶配件党总支", "党总支", "高技术船舶海工装备产业链联合党委", "镇江", "镇江海帆船舶配件有限公司",
             "高技术船舶海工装备", "2021-07-01", "赵一", "2026年6月30日"],
            ["镇江海帆船舶配件党总支第一支部", "党支部", "镇江海帆船舶配件党总支", "镇江", "镇江海帆船舶配件有限公司",
             "高技术船舶海工装备", "2021/7/1", "钱二", ""]]
    result = import_workbook(PARTY_ORG, book(headers, rows), actor=personas["chain_staff"])
    assert result.ok, result.error_lines()
    parent = PartyOrg.objects.get(name="镇江海帆船舶配件党总支")
    child = PartyOrg.objects.get(name="镇江海帆船舶配件党总支第一支部")
    assert child.path == f"{parent.path}{child.pk}/"


def test_an_exported_workbook_imports_back_unchanged(personas, tmp_path):
    user = personas["zone_staff"]
    path = tmp_path / "enterprises.xlsx"
    call_command("export_data", "enterprises", str(path), "--user", "zj_zone", stdout=io.StringIO())
    ws = load_workbook(path).active
    assert ws.max_row - 1 == Enterprise.objects.visible_to(user).count()
    with open(path, "rb") as fh:
        result = import_workbook(ENTERPRISE, fh, actor=user)
    assert result.ok, result.error_lines()[:5]
    assert result.created == 0 and result.updated == 0
    data = write_workbook(PARTY_ORG, PARTY_ORG.queryset(user))
    assert load_workbook(io.BytesIO(data)).active.max_row - 1 == PartyOrg.objects.visible_to(user).count()
