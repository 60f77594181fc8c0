"""高新技术企业认定自评 (the high-tech enterprise self-assessment), computed with exact decimals.

The criteria of 《高新技术企业认定管理办法》（国科发火〔2016〕32号）第十一条 and its 《工作指引》
(国科发火〔2016〕195号); every boundary and its source is in ``docs/innovation.md``:

=========================  ===================================================================  ==========
code                       rule                                                                  boundary
=========================  ===================================================================  ==========
``registered_1y``          注册成立一年以上 (一年以上 includes exactly one year; 2/29 → 2/28)      ≥ 1 year
``core_ip``                拥有对主要产品（服务）发挥核心支持作用的知识产权的所有权
``field``                  属于《国家重点支持的高新技术领域》
``rd_staff_ratio``         科技人员占当年职工总数的比例                                             ≥ 10 %
``rd_spend_ratio``         近三个会计年度（不足三年按实际年限）研发费用总额占同期销售收入总额的比例：
                           最近一年销售收入 ≤ 5,000 万元 ≥ 5 %；≤ 2 亿元 ≥ 4 %；2 亿元以上 ≥ 3 %
``rd_domestic_ratio``      其中在中国境内发生的研发费用占全部研发费用的比例                         ≥ 60 %
``hightech_revenue_ratio`` 近一年高新技术产品（服务）收入占同期总收入的比例                         ≥ 60 %
``innovation_score``       企业创新能力评价：综合得分达到70分以上（不含70分）                         > 70
``no_violation``           申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为
=========================  ===================================================================  ==========

Ratios are compared by cross-multiplication (``rd × 100 ≥ 5 × revenue``), never by a rounded quotient, so
4.99 % fails and 5.00 % passes exactly; the shown value is cut (not rounded) to two places, so a value
shown as 5.00 % is never a failing 4.995 %. ``evaluate`` saves nothing.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from liantong.core.services import ServiceError

TEN_K = Decimal("5000")  # 5,000 万元
TWO_YI = Decimal("20000")  # 2 亿元 = 20,000 万元
SCORE_LINE = 70  # 综合得分 70 分以上（不含 70 分）

CODES = ("registered_1y", "core_ip", "field", "rd_staff_ratio", "rd_spend_ratio", "rd_domestic_ratio",
         "hightech_revenue_ratio", "innovation_score", "no_violation")
LABELS = {
    "registered_1y": "注册成立一年以上",
    "core_ip": "拥有核心自主知识产权",
    "field": "属于国家重点支持的高新技术领域",
    "rd_staff_ratio": "科技人员占职工总数比例",
    "rd_spend_ratio": "研发费用占销售收入比例",
    "rd_domestic_ratio": "境内研发费用占比",
    "hightech_revenue_ratio": "高新技术产品（服务）收入占比",
    "innovation_score": "创新能力评价得分",
    "no_violation": "近一年无重大安全、质量事故或严重环境违法行为",
}


@dataclass
class Criterion:
    code: str
    passed: bool
    value: str
    threshold: str
    gap: str = ""
    advice: str = ""

    @property
    def label(self) -> str:
        return LABELS[self.code]

    def as_dict(self) -> dict:
        return {"code": self.code, "passed": self.passed, "value": self.value, "threshold": self.threshold,
                "gap": self.gap, "advice": self.advice}


@dataclass
class Result:
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def qualified(self) -> bool:
        return all(c.passed for c in self.criteria)

    @property
    def failed(self) -> list[Criterion]:
        return [c for c in self.criteria if not c.passed]

    def as_dict(self) -> dict:
        return {"qualified": self.qualified, "criteria": [c.as_dict() for c in self.criteria]}


def anniversary(start: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; a 29 February without its day falls on 28 February (the month's last day,
    as 《民法典》第二百零二条 counts a period without a corresponding day)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def full_years(start: datetime.date, on: datetime.date) -> int:
    """Completed years from ``start`` to ``on`` (a year is complete on its anniversary)."""
    n = on.year - start.year
    if n > 0 and anniversary(start, n) > on:
        n -= 1
    return max(n, 0)


def pct(num: Decimal, den: Decimal) -> str:
    """``num / den`` as a percentage cut to two places (``"4.99%"``); ``"—"`` without a denominator."""
    if not den:
        return "—"
    return f"{(num * 100 / den).quantize(Decimal('0.01'), rounding=ROUND_FLOOR)}%"


def money(v: Decimal) -> str:
    v = v.quantize(Decimal("0.01"), rounding=ROUND_FLOOR) if v != v.to_integral() else v.quantize(Decimal(1))
    return f"{v:,} 万元"


def _ceil_money(v: Decimal) -> Decimal:
    """An amount still missing, up to the next 0.01 万元 (so adding it passes)."""
    return v.quantize(Decimal("0.01"), rounding="ROUND_CEILING")


def _dec(values, name: str, label: str) -> list[Decimal]:
    out = []
    for v in values or []:
        try:
            d = Decimal(str(v))
        except ArithmeticError:
            raise ServiceError(f"{label}应为数字", field=name) from None
        if not d.is_finite() or d < 0:
            raise ServiceError(f"{label}不能为负数", field=name)
        out.append(d)
    return out


def rd_threshold(latest_revenue: Decimal) -> int:
    """The R&D spending ratio (percent) the latest year's sales revenue (万元) calls for."""
    if latest_revenue <= TEN_K:
        return 5
    if latest_revenue <= TWO_YI:
        return 4
    return 3


def evaluate(*, registered_on: datetime.date, assessed_on: datetime.date, core_ip: bool, field_in_catalogue: bool,
             staff_total: int, rd_staff: int, revenue: list, rd_spend: list, rd_spend_domestic: list,
             hightech_revenue_last_year, total_income_last_year, innovation_score: int,
             major_violation: bool) -> Result:
    """Check every criterion; refuse malformed input with a Chinese ``ServiceError`` (400) naming the field."""
    if assessed_on < registered_on:
        raise ServiceError("自评日期不能早于注册成立日期", field="assessed_on")
    if staff_total is None or staff_total <= 0:
        raise ServiceError("职工总数应大于 0", field="staff_total")
    if rd_staff is None or rd_staff < 0:
        raise ServiceError("科技人员数不能为负数", field="rd_staff")
    if rd_staff > staff_total:
        raise ServiceError("科技人员数不能多于职工总数", field="rd_staff")
    if innovation_score is None or not 0 <= innovation_score <= 100:
        raise ServiceError("创新能力评价得分应在 0 至 100 分之间", field="innovation_score")
    rev = _dec(revenue, "revenue", "销售收入")
    rd = _dec(rd_spend, "rd_spend", "研发费用")
    dom = _dec(rd_spend_domestic, "rd_spend_domestic", "境内研发费用")
    if not 1 <= len(rev) <= 3:
        raise ServiceError("销售收入应填写最近一至三个会计年度（由远及近）", field="revenue")
    if len(rd) != len(rev):
        raise ServiceError("研发费用的年数应与销售收入相同", field="rd_spend")
    if len(dom) != len(rev):
        raise ServiceError("境内研发费用的年数应与销售收入相同", field="rd_spend_domestic")
    for i, (a, b) in enumerate(zip(dom, rd), 1):
        if a > b:
            raise ServiceError(f"第{i}年境内研发费用不能多于当年研发费用", field="rd_spend_domestic")
    ht, income = _dec([hightech_revenue_last_year], "hightech_revenue_last_year", "高新技术产品（服务）收入")[0], \
        _dec([total_income_last_year], "total_income_last_year", "总收入")[0]
    if ht > income:
        raise ServiceError("高新技术产品（服务）收入不能多于总收入", field="hightech_revenue_last_year")
    years = full_years(registered_on, assessed_on)
    needed = min(3, max(1, years))
    if len(rev) < needed:
        raise ServiceError(f"企业已成立{years}年，应填写最近{needed}个会计年度的销售收入与研发费用", field="revenue")

    out = Result()
    one_year = anniversary(registered_on, 1)
    ok = assessed_on >= one_year
    out.criteria.append(Criterion(
        "registered_1y", ok, f"{years} 年（注册于 {registered_on:%Y-%m-%d}）", "一年以上（含一年）",
        "" if ok else f"{(one_year - assessed_on).days} 天",
        "" if ok else f"{one_year:%Y-%m-%d} 起方可申请认定"))
    out.criteria.append(Criterion("core_ip", bool(core_ip), "是" if core_ip else "否", "是", "" if core_ip else "缺少",
                                  "" if core_ip else "通过自主研发、受让、并购等方式取得主要产品（服务）的核心知识产权"))
    out.criteria.append(Criterion("field", bool(field_in_catalogue), "是" if field_in_catalogue else "否", "是",
                                  "" if field_in_catalogue else "不属于",
                                  "" if field_in_catalogue else "对照《国家重点支持的高新技术领域》梳理主要产品（服务）的技术领域"))
    # 科技人员 ≥ 10 %: rd_staff × 10 ≥ staff_total
    ok = rd_staff * 10 >= staff_total
    missing = math.ceil(Decimal(staff_total) / 10) - rd_staff
    out.criteria.append(Criterion("rd_staff_ratio", ok, pct(Decimal(rd_staff), Decimal(staff_total)), "≥ 10%",
                                  "" if ok else f"{missing} 人",
                                  "" if ok else f"再认定科技人员 {missing} 人（或据实归集研发岗位人员）"))
    rev_sum, rd_sum, dom_sum = sum(rev, Decimal(0)), sum(rd, Decimal(0)), sum(dom, Decimal(0))
    line = rd_threshold(rev[-1])
    ok = rev_sum > 0 and rd_sum * 100 >= line * rev_sum
    short = _ceil_money(line * rev_sum / 100 - rd_sum) if not ok else Decimal(0)
    out.criteria.append(Criterion(
        "rd_spend_ratio", ok, pct(rd_sum, rev_sum), f"≥ {line}%（最近一年销售收入 {money(rev[-1])}）",
        "" if ok else money(short),
        "" if ok else f"近{len(rev)}年研发费用还差 {money(short)}；规范研发费用辅助账归集"))
    ok = rd_sum > 0 and dom_sum * 100 >= 60 * rd_sum
    short = _ceil_money(rd_sum * 60 / 100 - dom_sum) if not ok else Decimal(0)
    out.criteria.append(Criterion("rd_domestic_ratio", ok, pct(dom_sum, rd_sum), "≥ 60%",
                                  "" if ok else money(short),
                                  "" if ok else "境内研发费用占比不足，增加在中国境内发生的研发投入"))
    ok = income > 0 and ht * 100 >= 60 * income
    short = _ceil_money(income * 60 / 100 - ht) if not ok else Decimal(0)
    out.criteria.append(Criterion("hightech_revenue_ratio", ok, pct(ht, income), "≥ 60%",
                                  "" if ok else money(short),
                                  "" if ok else "高新技术产品（服务）收入占比不足，按产品（服务）据实归集收入"))
    ok = innovation_score > SCORE_LINE
    out.criteria.append(Criterion("innovation_score", ok, f"{innovation_score} 分", "70 分以上（不含 70 分）",
                                  "" if ok else f"{SCORE_LINE + 1 - innovation_score} 分",
                                  "" if ok else "从知识产权、科技成果转化、研发组织管理、企业成长性四方面提升得分"))
    ok = not major_violation
    out.criteria.append(Criterion("no_violation", ok, "无" if ok else "有", "无", "" if ok else "有违法记录",
                                  "" if ok else "申请认定前一年内不得发生重大安全、重大质量事故或严重环境违法行为"))
    return out
