"""Policy rules: a small declarative format, validated on save with a Chinese message, evaluated without code;
matched firms per policy, policies per firm with what is missing, and a firm told when a new policy fits it."""

import json

import pytest

from liantong.innovation import rules, services
from liantong.innovation.models import Policy

HIGHTECH = {"field": "qualifications", "op": "has", "value": "hightech"}


@pytest.mark.parametrize(("rule", "words"), [
    ("not a dict", "JSON 对象"),
    ({"all": []}, "非空列表"),
    ({"all": [{"field": "revenue", "op": "gte"}]}, "第1项"),
    ({"all": [{"field": "__class__", "op": "eq", "value": 1}]}, "字段“__class__”不存在"),
    ({"any": [HIGHTECH, {"field": "revenue", "op": "has", "value": 1}]}, "第2项：最近一年销售收入（万元）不支持运算“has”"),
    ({"all": [{"field": "revenue", "op": "gte", "value": "__import__('os').system('id')"}]}, "应为数字"),
    ({"all": [{"field": "scale", "op": "in", "value": ["huge"]}]}, "可选"),
    ({"all": [{"field": "is_hightech", "op": "eq", "value": "yes"}]}, "true 或 false"),
    ({"all": [{"all": [{"all": [{"all": [HIGHTECH]}]}]}]}, "嵌套超过"),
    ({"all": [HIGHTECH], "lambda": 1}, "应为条件组"),
])
def test_a_malformed_rule_is_refused_with_a_chinese_message(rule, words):
    with pytest.raises(rules.RuleError) as exc:
        rules.validate(rule)
    assert exc.value.field == "rules" and exc.value.message.startswith("适用条件有误：") and words in exc.value.message


def test_a_rule_is_data_evaluated_by_walking_it_never_code(monkeypatch):
    import builtins

    def refuse(*a, **k):
        raise AssertionError("a rule must not run code")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    rule = {"all": [HIGHTECH, {"any": [{"field": "revenue", "op": "lte", "value": 20000},
                                       {"field": "scale", "op": "in", "value": ["small", "micro"]}]}]}
    assert rules.evaluate(rule, {"qualifications": {"hightech"}, "revenue": 20000, "scale": "large"}) == (True, [])
    ok, missing = rules.evaluate(rule, {"qualifications": set(), "revenue": 30000, "scale": "large"})
    assert not ok and missing == ["资质荣誉具有高新技术企业",
                                  "满足其一：最近一年销售收入（万元）不高于20000；企业规模为以下之一小型、微型"]


def test_an_attribute_the_firm_has_no_data_for_does_not_fit():
    assert rules.evaluate({"all": [{"field": "rd_ratio", "op": "gte", "value": 3}]}, {"rd_ratio": None})[0] is False


@pytest.mark.django_db
def test_the_policy_page_refuses_a_malformed_rule_in_chinese_and_saves_nothing(personas, client_for):
    before = Policy.objects.count()
    r = client_for(personas["zone_staff"]).post("/innovation/policy/new/", {
        "title": "坏规则政策", "issuer": "科技局", "rules": json.dumps({"all": [{"field": "x", "op": "eq", "value": 1}]})})
    assert r.status_code == 400 and "适用条件有误：第1项的字段“x”不存在" in r.content.decode()
    r = client_for(personas["zone_staff"]).post("/innovation/policy/new/", {
        "title": "坏规则政策", "issuer": "科技局", "rules": "{not json"})
    assert r.status_code == 400 and "不是有效的 JSON" in r.content.decode()
    assert Policy.objects.count() == before


@pytest.mark.django_db
def test_the_api_refuses_a_malformed_rule_with_400_on_the_rules_field(personas, client_for):
    r = client_for(personas["zone_staff"]).post("/api/v1/policies", {
        "title": "坏规则", "issuer": "科技局", "rules": {"any": [{"field": "scale", "op": "gt", "value": 1}]}},
        content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "rules" and "不支持运算" in r.json()["detail"]


@pytest.mark.django_db
def test_a_new_policy_tells_each_firm_it_fits_and_the_firm_sees_what_it_misses(personas, client_for):
    from liantong.services.models import Notification

    zone_staff, firm_a, firm_b = personas["zone_staff"], personas["firm_a"], personas["firm_b"]
    assert (firm_a.enterprise.scale, firm_b.enterprise.scale) == ("large", "medium")  # the demo's data
    p = services.save_policy(actor=zone_staff, zone=zone_staff.zone, title="高企研发补助（测试）", issuer="科技局",
                             rules_value={"all": [HIGHTECH, {"field": "scale", "op": "eq", "value": "large"}]})
    told = set(Notification.objects.filter(kind="policy_fit", title__contains="高企研发补助（测试）")
               .values_list("user__enterprise_id", flat=True))
    assert firm_a.enterprise_id in told and firm_b.enterprise_id not in told
    assert firm_a.enterprise in services.firms_for(p, zone_staff)
    assert firm_b.enterprise not in services.firms_for(p, zone_staff)
    rows = {pol.title: (fits, missing) for pol, fits, missing in services.policies_for(firm_b.enterprise, firm_b)}
    assert rows["高企研发补助（测试）"] == (False, ["企业规模为大型"])
    r = client_for(firm_b).get(f"/api/v1/enterprises/{firm_b.enterprise_id}/policies")
    assert {"policy_id": p.pk, "title": p.title, "fits": False, "missing": ["企业规模为大型"]} in r.json()
