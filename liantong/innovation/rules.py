"""Policy eligibility rules (政策适用条件) in a small declarative format, checked when saved and evaluated by
walking the data — no ``eval``, no ``exec``, no attribute access, no code of any kind.

A rule is JSON::

    {"all": [{"field": "qualifications", "op": "has", "value": "hightech"},
             {"any": [{"field": "revenue", "op": "lte", "value": 20000},
                      {"field": "scale", "op": "in", "value": ["small", "micro"]}]}]}

* a group is ``{"all": [...]}`` or ``{"any": [...]}`` (1–20 items, nested at most 3 deep);
* a condition is ``{"field", "op", "value"}`` with a field of ``FIELDS`` and an operator its kind allows;
* ``{}`` (no rule) fits every firm.

``validate(rule)`` raises ``RuleError`` with a Chinese message naming the position (``第2项``) of the first
fault; ``evaluate(rule, facts)`` answers ``(fits, missing)`` where ``missing`` lists, in Chinese, what the
firm lacks. ``facts`` come from rows (``services.firm_facts``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from liantong.core.services import ServiceError

from .models import QualificationKind

# field → (label, kind, choices or None)
FIELDS = {
    "qualifications": ("资质荣誉", "set", dict(QualificationKind.choices)),
    "scale": ("企业规模", "choice", {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}),
    "chain": ("所在产业链", "set_text", None),
    "is_hightech": ("高新技术企业", "bool", None),
    "revenue": ("最近一年销售收入（万元）", "number", None),
    "rd_ratio": ("研发费用占比（%）", "number", None),
    "hightech_ready": ("高企自评达标", "bool", None),
}
OPS = {
    "set": {"has": "具有", "lacks": "不具有"},
    "set_text": {"has": "属于", "lacks": "不属于"},
    "choice": {"eq": "为", "ne": "不为", "in": "为以下之一"},
    "bool": {"eq": "为"},
    "number": {"gt": "大于", "gte": "不低于", "lt": "小于", "lte": "不高于", "eq": "等于"},
}
MAX_DEPTH, MAX_ITEMS = 3, 20


class RuleError(ServiceError):
    """A malformed rule: 400, on the policy's ``rules`` field."""

    def __init__(self, message: str):
        super().__init__(f"适用条件有误：{message}", field="rules")


def _where(path: list[int]) -> str:
    return "".join(f"第{i}项" for i in path) or "条件"


def _number(v) -> Decimal | None:
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        return None
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def validate(rule) -> dict:
    """The rule as given when well formed; else ``RuleError`` (Chinese, names the faulty item)."""
    if rule in (None, "", {}):
        return {}
    if not isinstance(rule, dict):
        raise RuleError("应为 {\"all\": [...]} 或 {\"any\": [...]} 形式的 JSON 对象")
    _check(rule, [], 1)
    return rule


def _check(node, path: list[int], depth: int) -> None:
    where = _where(path)
    if not isinstance(node, dict):
        raise RuleError(f"{where}应为 JSON 对象")
    keys = set(node)
    if keys in ({"all"}, {"any"}):
        if depth > MAX_DEPTH:
            raise RuleError(f"{where}嵌套超过 {MAX_DEPTH} 层")
        items = node[next(iter(keys))]
        if not isinstance(items, list) or not items:
            raise RuleError(f"{where}的“{next(iter(keys))}”应为非空列表")
        if len(items) > MAX_ITEMS:
            raise RuleError(f"{where}的条件超过 {MAX_ITEMS} 项")
        for i, item in enumerate(items, 1):
            _check(item, [*path, i], depth + 1)
        return
    if keys != {"field", "op", "value"}:
        extra = "、".join(sorted(keys - {"field", "op", "value", "all", "any"}))
        raise RuleError(f"{where}应为条件组 {{\"all\"/\"any\": [...]}} 或条件 {{\"field\", \"op\", \"value\"}}"
                        + (f"，不支持“{extra}”" if extra else ""))
    field, op, value = node["field"], node["op"], node["value"]
    if not isinstance(field, str) or field not in FIELDS:
        raise RuleError(f"{where}的字段“{field}”不存在，可选：{'、'.join(FIELDS)}")
    label, kind, choices = FIELDS[field]
    if not isinstance(op, str) or op not in OPS[kind]:
        raise RuleError(f"{where}：{label}不支持运算“{op}”，可选：{'、'.join(OPS[kind])}")
    if kind == "number":
        if _number(value) is None:
            raise RuleError(f"{where}：{label}的取值应为数字")
    elif kind == "bool":
        if not isinstance(value, bool):
            raise RuleError(f"{where}：{label}的取值应为 true 或 false")
    elif kind == "choice" and op == "in":
        if not isinstance(value, list) or not value or any(v not in choices for v in value):
            raise RuleError(f"{where}：{label}的取值应为列表，可选：{'、'.join(choices)}")
    else:
        if not isinstance(value, str) or not value.strip() or (choices is not None and value not in choices):
            hint = f"，可选：{'、'.join(choices)}" if choices else ""
            raise RuleError(f"{where}：{label}的取值无效{hint}")


def describe(node) -> str:
    """A condition or group in Chinese (for the policy page and the “what is missing” list)."""
    if not node:
        return "不限"
    if "all" in node or "any" in node:
        joiner = "且" if "all" in node else "或"
        parts = [describe(n) for n in node.get("all") or node.get("any")]
        return f"（{f' {joiner} '.join(parts)}）" if len(parts) > 1 else parts[0]
    label, kind, choices = FIELDS[node["field"]]
    op = OPS[kind][node["op"]]
    value = node["value"]
    if isinstance(value, list):
        value = "、".join(str((choices or {}).get(v, v)) for v in value)
    elif isinstance(value, bool):
        value = "是" if value else "否"
    elif choices:
        value = choices.get(value, value)
    return f"{label}{op}{value}"


def _test(node, facts: dict) -> bool:
    field, op, value = node["field"], node["op"], node["value"]
    kind = FIELDS[field][1]
    have = facts.get(field)
    if kind in ("set", "set_text"):
        have = set(have or ())
        return (value in have) if op == "has" else (value not in have)
    if have is None:
        return False
    if kind == "choice":
        return {"eq": have == value, "ne": have != value, "in": have in (value or [])}[op]
    if kind == "bool":
        return bool(have) == value
    a, b = Decimal(str(have)), _number(value)
    return {"gt": a > b, "gte": a >= b, "lt": a < b, "lte": a <= b, "eq": a == b}[op]


def evaluate(rule, facts: dict) -> tuple[bool, list[str]]:
    """``(fits, missing)``: whether the firm's ``facts`` meet ``rule`` and, if not, what is missing."""
    if not rule:
        return True, []
    return _eval(rule, facts)


def _eval(node, facts) -> tuple[bool, list[str]]:
    if "all" in node:
        missing = []
        for item in node["all"]:
            ok, miss = _eval(item, facts)
            missing += miss
        return not missing, missing
    if "any" in node:
        results = [_eval(item, facts) for item in node["any"]]
        if any(ok for ok, _ in results):
            return True, []
        return False, ["满足其一：" + "；".join(describe(n) for n in node["any"])]
    ok = _test(node, facts)
    return ok, [] if ok else [describe(node)]
