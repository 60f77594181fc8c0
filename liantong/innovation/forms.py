"""Forms of the innovation strand: choices in the user's scope (``ScopedModelForm``), saved through
``services`` with the user as actor."""

from __future__ import annotations

import json

from django import forms

from liantong.core import dicts
from liantong.core.forms import MultipleFileField, ScopedModelForm, bootstrap
from liantong.orgs.models import Enterprise, Institution, Zone

from . import rules, services
from .models import Achievement, Challenge, Coaching, IncubatedFirm, Policy, Qualification, TransferContract


class DictChoiceField(forms.ChoiceField):
    def __init__(self, code: str, *args, required=True, **kwargs):
        super().__init__(*args, choices=[("", "请选择")] + dicts.choices(code), required=required, **kwargs)
        self.widget.attrs["class"] = "form-select"


class _Base(ScopedModelForm):
    def _zone(self, *objs):
        for o in objs:
            if isinstance(o, Zone):
                return o
            if o is not None:
                return o.zone
        return self.zone

    def _default_unit(self, ent_field: str, inst_field: str) -> None:
        if self.user is None or self.record is not None:
            return
        if self.user.enterprise_id and ent_field in self.fields:
            self.fields[ent_field].initial = self.user.enterprise_id
        if self.user.institution_id and inst_field in self.fields:
            self.fields[inst_field].initial = self.user.institution_id


class ChallengeForm(_Base):
    writable_fks = {"publisher_enterprise": Enterprise, "publisher_institution": Institution}
    parents = ("publisher_enterprise", "publisher_institution", "chain", "zone")
    attachments = MultipleFileField(label="附件（需求说明、图纸等）", required=False)

    class Meta:
        model = Challenge
        fields = ["zone", "title", "field", "chain", "publisher_enterprise", "publisher_institution", "problem",
                  "indicators", "reward", "deadline"]
        widgets = {"problem": forms.Textarea(attrs={"rows": 4}), "indicators": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"] = DictChoiceField("challenge_field", label="技术领域")
        self.fields["publisher_enterprise"].help_text = "出题单位：企业、高校/院所中选一个；都不选则以产业链（或园区）党委名义发榜"
        self._default_unit("publisher_enterprise", "publisher_institution")

    def clean(self):
        d = super().clean()
        if d.get("publisher_enterprise") and d.get("publisher_institution"):
            raise forms.ValidationError("出题单位只能是一家企业或一所高校/院所")
        return d

    def save(self, *, actor):
        d = self.data_for_service()
        d["zone"] = self._zone(d.get("publisher_enterprise"), d.get("publisher_institution"), d.get("chain"),
                               d.get("zone"))
        return services.save_challenge(actor=actor, challenge=self.record, create_only=self.record is None, **d)


class BidForm(forms.Form):
    """揭榜: the team, its lead unit (the user's own), plan, budget, planned milestones and members — one
    member a line: ``姓名,单位,分工,党员(是/否),牵头(是/否)``."""

    team_name = forms.CharField(label="团队名称", max_length=100)
    leader_name = forms.CharField(label="负责人", max_length=50)
    partners = forms.CharField(label="参与单位", max_length=300, required=False)
    plan = forms.CharField(label="攻关方案", widget=forms.Textarea(attrs={"rows": 4}))
    budget = forms.DecimalField(label="预算（万元）", max_digits=14, decimal_places=2, min_value=0, required=False)
    planned_milestones = forms.CharField(label="计划节点（每行：节点名称,YYYY-MM-DD）", required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}))
    members = forms.CharField(label="团队成员（每行：姓名,单位,分工,党员是/否,牵头是/否）", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_members(self):
        out = []
        for i, line in enumerate((self.cleaned_data.get("members") or "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if not parts[0]:
                raise forms.ValidationError(f"第{i}行：请填写姓名")
            parts += [""] * (5 - len(parts))
            out.append({"name": parts[0], "unit": parts[1], "duty": parts[2], "party_member": parts[3] == "是",
                        "leads": parts[4] == "是"})
        return out


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=40)
    note = forms.CharField(required=False, max_length=2000)
    expected_state = forms.CharField(required=False, max_length=40)
    bid = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    payout = forms.DecimalField(required=False, max_digits=14, decimal_places=2, min_value=0)


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点名称", max_length=100)
    due_on = forms.DateField(label="完成时限")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class AchievementForm(_Base):
    writable_fks = {"owner_enterprise": Enterprise, "owner_institution": Institution}
    parents = ("owner_enterprise", "owner_institution")

    class Meta:
        model = Achievement
        fields = ["zone", "title", "field", "owner_enterprise", "owner_institution", "chain", "challenge",
                  "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"] = DictChoiceField("challenge_field", label="技术领域")
        self.fields["owner_enterprise"].help_text = "完成单位在企业、高校/院所中选择一个"
        self._default_unit("owner_enterprise", "owner_institution")

    def clean(self):
        d = super().clean()
        if bool(d.get("owner_enterprise")) == bool(d.get("owner_institution")):
            raise forms.ValidationError("完成单位须在企业、高校/院所中选择且只选择一个")
        return d

    def save(self, *, actor):
        d = self.data_for_service()
        d["zone"] = self._zone(d.get("owner_enterprise"), d.get("owner_institution"), d.get("zone"))
        return services.save_achievement(actor=actor, achievement=self.record, create_only=self.record is None, **d)


class ContractForm(_Base):
    writable_fks = {"achievement": Achievement}
    parents = ("achievement",)

    class Meta:
        model = TransferContract
        fields = ["achievement", "buyer", "centre", "amount", "signed_on"]

    def save(self, *, actor):
        d = dict(self.cleaned_data)
        return services.save_contract(actor=actor, contract=self.record, **d)


class IncubatedForm(_Base):
    class Meta:
        model = IncubatedFirm
        fields = ["zone", "name", "enterprise", "incubator", "achievement", "field", "incubated_on", "graduated_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"] = DictChoiceField("challenge_field", label="技术领域", required=False)

    def save(self, *, actor):
        return services.save_incubated(actor=actor, firm=self.record, create_only=self.record is None,
                                       **self.data_for_service())


class QualificationForm(_Base):
    class Meta:
        model = Qualification
        fields = ["zone", "kind", "level", "title", "enterprise", "institution", "holder_name", "certificate_no",
                  "granted_on", "expires_on"]

    def save(self, *, actor):
        d = self.data_for_service()
        d["zone"] = self._zone(d.get("enterprise"), d.get("institution"), d.get("zone"))
        return services.save_qualification(actor=actor, qualification=self.record, create_only=self.record is None,
                                           **d)


class RulesField(forms.CharField):
    """The policy's rule as JSON text; validated by ``rules.validate`` (Chinese messages)."""

    widget = forms.Textarea(attrs={"rows": 6, "class": "form-control font-monospace"})

    def prepare_value(self, value):
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False, indent=1) if value else ""
        return value

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return {}
        try:
            data = json.loads(text)
        except ValueError:
            raise forms.ValidationError("适用条件有误：不是有效的 JSON") from None
        try:
            return rules.validate(data)
        except rules.RuleError as exc:
            raise forms.ValidationError(exc.message) from None


class PolicyForm(_Base):
    rules = RulesField(label="适用条件（JSON）", required=False,
                       help_text='例：{"all": [{"field": "qualifications", "op": "has", "value": "hightech"}]}')

    class Meta:
        model = Policy
        fields = ["zone", "title", "package", "issuer", "summary", "rules", "valid_until"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def save(self, *, actor):
        d = self.data_for_service()
        d["rules_value"] = d.pop("rules")
        return services.save_policy(actor=actor, policy=self.record, create_only=self.record is None, **d)


class CoachingForm(_Base):
    class Meta:
        model = Coaching
        fields = ["zone", "kind", "enterprise", "held_on", "topic", "coach", "attendees", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def save(self, *, actor):
        return services.save_coaching(actor=actor, coaching=self.record, **self.data_for_service())


class AssessForm(forms.Form):
    """The self-assessment's input (the firm-side page); revenue and R&D figures oldest year first."""

    registered_on = forms.DateField(label="注册成立日期")
    assessed_on = forms.DateField(label="自评日期")
    core_ip = forms.BooleanField(label="拥有核心自主知识产权", required=False)
    field_in_catalogue = forms.BooleanField(label="属于《国家重点支持的高新技术领域》", required=False)
    staff_total = forms.IntegerField(label="职工总数", min_value=1, max_value=10_000_000)
    rd_staff = forms.IntegerField(label="科技人员数", min_value=0, max_value=10_000_000)
    revenue = forms.CharField(label="近三年销售收入（万元，由远及近，逗号分隔）", max_length=200)
    rd_spend = forms.CharField(label="近三年研发费用（万元）", max_length=200)
    rd_spend_domestic = forms.CharField(label="其中境内研发费用（万元）", max_length=200)
    hightech_revenue_last_year = forms.DecimalField(label="近一年高新技术产品（服务）收入（万元）", max_digits=14,
                                                    decimal_places=2, min_value=0)
    total_income_last_year = forms.DecimalField(label="近一年总收入（万元）", max_digits=14, decimal_places=2,
                                                min_value=0)
    innovation_score = forms.IntegerField(label="创新能力评价得分", min_value=0, max_value=100)
    major_violation = forms.BooleanField(label="近一年发生重大安全、质量事故或严重环境违法行为", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def _years(self, name):
        from decimal import Decimal, InvalidOperation

        parts = [p.strip() for p in (self.cleaned_data.get(name) or "").replace("，", ",").split(",") if p.strip()]
        try:
            return [Decimal(p) for p in parts]
        except InvalidOperation:
            raise forms.ValidationError("应为以逗号分隔的数字") from None

    def clean_revenue(self):
        return self._years("revenue")

    def clean_rd_spend(self):
        return self._years("rd_spend")

    def clean_rd_spend_domestic(self):
        return self._years("rd_spend_domestic")
