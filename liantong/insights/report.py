"""The work report (工作报告): a Word document shaped like the seed article — 组织固链, 服务优链, 创新强链, 人才,
招商 — written from one zone's data for one year. Every figure and named example is read from the data
(``core.stats`` for the figures, so each strand's keys are used as soon as it registers them); a section
without data says so. Two charts are drawn as PNG images (no plotting library: ``_bar_png``)."""

from __future__ import annotations

import io
import struct
import zlib
from decimal import Decimal

from docx import Document
from docx.shared import Cm, Pt

from liantong.core import guarantees, stats
from liantong.core.stats import Period

NO_DATA = "本年度该方面暂无登记数据。"


def _num(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return f"{v:,}" if isinstance(v, int) else f"{v}"


def _yi(wan) -> str:
    """万元 → 亿元, as the article writes it (20亿元)."""
    yi = Decimal(str(wan or 0)) / Decimal(10000)
    text = f"{yi:.2f}".rstrip("0").rstrip(".")
    return f"{text}亿元"


def collect(zone, year: int) -> dict:
    """The report's figures and named examples for ``zone`` in ``year``."""
    from liantong.orgs.models import Chain, Pairing, VanguardTeam

    from .models import InvestmentProject, ProjectStage, TaskForce

    period = Period.year(year)
    fig = stats.figures(zone, period)
    to_date = stats.figures(zone, Period.until(period.end))  # 截至年底累计
    totals = stats.zone_stats(zone)

    def get(key):
        return fig[key] if key in fig else totals.get(key)

    def cumulative(key):
        return to_date.get(key)

    with guarantees.unscoped("the zone's work report, written for its committee"):
        chains = list(Chain.objects.filter(zone=zone).order_by("id").values_list("name", flat=True))
        teams = list(VanguardTeam.objects.filter(zone=zone).order_by("id").values_list("name", flat=True))
        partners = list(Pairing.objects.filter(zone=zone).order_by("id").values_list("partner_name", flat=True))
        forces = list(TaskForce.objects.filter(zone=zone).order_by("id").values_list("name", flat=True))
        signed = list(InvestmentProject.objects.filter(
            zone=zone, stage__in=[ProjectStage.SIGNED, ProjectStage.STARTED, ProjectStage.PRODUCING],
            signed_on__gte=period.start, signed_on__lt=period.end).order_by("-amount", "id")
            .values_list("name", "investor", "amount"))
    trend = stats.monthly(zone, period.start, period.end, keys=("investment_projects", "orders_resolved"))
    return {"zone": zone, "year": year, "get": get, "cumulative": cumulative, "chains": chains, "teams": teams, "partners": partners,
            "forces": forces, "signed": signed, "trend": trend}


def _short(investor: str) -> str:
    for word in ("集团有限公司", "有限公司", "（演示）", "集团"):
        investor = investor.replace(word, "")
    return investor[:6]


def paragraphs(data: dict) -> list[tuple[str, list[str]]]:
    """``[(section title, [paragraph …])]``: the report's text, each figure computed."""
    get, cumulative, zone, year = data["get"], data["cumulative"], data["zone"], data["year"]
    out = []
    intro = (f"{year}年，{zone.name}围绕产业链党建“组织固链、服务优链、创新强链”工作模式，"
             f"共有产业链{_num(get('chains'))}条（{'、'.join(data['chains'][:5]) or '暂无'}），"
             f"链上企业{_num(get('enterprises'))}家。")
    out.append(("总体情况", [intro]))
    org = [f"组建产业链联合党委{_num(get('chain_committees'))}个，企业党组织{_num(get('party_orgs'))}个，"
           f"统筹管理党员{_num(get('members'))}名。"]
    if data["teams"]:
        org.append(f"成立{'、'.join(data['teams'])}等党员先锋队{_num(get('vanguard_teams'))}支。")
    if data["partners"]:
        org.append(f"与{'、'.join(data['partners'][:3])}等开展结对共建{_num(get('pairings'))}项。")
    if get("joint_activities"):
        line = (f"全年开展{stats.LABELS['joint_activities']}{_num(get('joint_activities'))}场，"
                f"覆盖党员职工{_num(get('joint_attendance'))}人次")
        if get("activities") and get("activities") != get("joint_activities"):
            line += f"；各类组织生活与活动共{_num(get('activities'))}场、参加{_num(get('attendance'))}人次"
        org.append(line + "。")
    elif get("activities"):
        org.append(f"全年开展各类组织生活与活动{_num(get('activities'))}场，参加{_num(get('attendance'))}人次。")
    else:
        org.append("党建活动：" + NO_DATA)
    out.append(("一、组织固链：建强战斗堡垒", org))
    svc = []
    if get("orders"):
        svc.append(f"深化“企业点单、党委派单、部门接单”闭环服务，受理企业诉求{_num(get('orders'))}件，"
                   f"联动职能部门解决企业诉求{_num(get('orders_resolved'))}项；响应率{_num(get('response_rate'))}%，"
                   f"按时办结率{_num(get('on_time_rate'))}%，满意率{_num(get('satisfaction_rate'))}%。")
    elif get("orders_resolved"):
        svc.append(f"联动职能部门解决企业诉求{_num(get('orders_resolved'))}项。")
    if get("deals"):
        svc.append(f"组织供需对接，促成上下游企业签约{_num(get('deals'))}项，签约金额{_num(get('deal_amount'))}万元。")
    out.append(("二、服务优链：深化精准服务", svc or [NO_DATA]))
    inno = []
    if cumulative("incubated_enterprises"):
        inno.append(f"截至{year}年底累计孵化科技型企业{_num(cumulative('incubated_enterprises'))}家"
                    f"（当年新入孵{_num(get('incubated_enterprises'))}家）。")
    if cumulative("achievements_industrialised"):
        inno.append(f"累计推动{_num(cumulative('achievements_industrialised'))}项科研成果实现产业化"
                    f"（当年{_num(get('achievements_industrialised'))}项）。")
    if get("challenges") is not None:
        inno.append(f"发布技术攻坚榜题{_num(get('challenges'))}项。")
    out.append(("三、创新强链：强化科技支撑", inno or [NO_DATA]))
    talent = []
    if get("training_programs"):
        talent.append(f"开设“车间课堂”等实训项目{_num(get('training_programs'))}个（当年在训）。")
    if get("placements"):
        talent.append(f"定向输送专业人才{_num(get('placements'))}名。")
    out.append(("四、人才：党建链赋能人才链", talent or [NO_DATA]))
    inv = []
    n, amount = get("investment_projects") or 0, get("investment_amount") or 0
    if n:
        named = "、".join(dict.fromkeys(_short(i) for _, i, _ in data["signed"][:2]))
        force = f"组建{'、'.join(data['forces'])}，" if data["forces"] else ""
        inv.append(f"{force}绘制产业链招商图谱，引进{named}等强链配套项目{_num(n)}个，总投资额{_yi(amount)}"
                   f"（{_num(amount)}万元）。")
        if get("projects_producing"):
            inv.append(f"其中当年投产项目{_num(get('projects_producing'))}个。")
    if get("gaps") is not None:
        inv.append(f"图谱显示当前产业链缺口（补链、强链、延链）{_num(get('gaps'))}个，"
                   f"跟踪招商目标企业{_num(get('target_firms'))}家。")
    out.append(("五、招商：延链补链强链", inv or [NO_DATA]))
    return out


# --- a bar chart as a PNG, without a plotting library ----------------------------------------------------

def _bar_png(values: list[float], width: int = 720, height: int = 240) -> bytes:
    pad, n = 20, max(len(values), 1)
    top = max([v for v in values if v is not None] + [1])
    rows = []
    bar_w = (width - 2 * pad) // n
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            colour = (255, 255, 255)
            if y == height - pad:
                colour = (120, 120, 120)
            i = (x - pad) // bar_w if x >= pad else -1
            if 0 <= i < len(values) and (x - pad) % bar_w < bar_w * 0.7:
                h = int((height - 2 * pad) * (values[i] or 0) / top)
                if height - pad - h <= y < height - pad:
                    colour = (179, 22, 28)
            row += bytes(colour)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def build(zone, year: int) -> bytes:
    data = collect(zone, year)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(11)
    doc.add_heading(f"{zone.name}{year}年产业链党建工作报告", 0)
    doc.add_paragraph("本报告由链通平台根据本园区登记的工作数据自动生成，文中数字均由数据计算得出。")
    for title, paras in paragraphs(data):
        doc.add_heading(title, 1)
        for p in paras:
            doc.add_paragraph(p)
    for key, caption in (("investment_projects", "各月签约强链配套项目数"), ("orders_resolved", "各月办结企业诉求数")):
        series = data["trend"].get(key)
        if series and any(series):
            doc.add_picture(io.BytesIO(_bar_png(series)), width=Cm(15))
            doc.add_paragraph(f"图：{year}年{caption}（1—12月：{'、'.join(_num(v) for v in series)}）")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def text_of(docx_bytes: bytes) -> str:
    """The document's text (for tests and checks)."""
    return "\n".join(p.text for p in Document(io.BytesIO(docx_bytes)).paragraphs)
