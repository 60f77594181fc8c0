"""Forms of the resources app. Choices are limited to what the user may see (or write); every form
saves through ``services`` with the user as actor, so rules and audit are the same as in the API."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from liantong.core import dicts
from liantong.core.forms import MultipleFileField, ScopedModelForm, bootstrap
from liantong.orgs.models import Chain, Department, Enterprise, Member, PartyOrg

from . import services
from .models import (
    ActionProject,
    DepartmentResource,
    JointMeeting,
    Milestone,
    ServiceSquad,
    ServiceVisit,
    SharedResource,
)
from .workflow import BOOKING, RESOLUTION


class DictChoiceField(forms.ChoiceField):
    """A select whose options come from an admin-editable dictionary (read when the form is built)."""

    def __init__(self, code: str, *args, **kwargs):
        super().__init__(*args, choices=[("", "请选择")] + dicts.choices(code), **kwargs)


class _Base(ScopedModelForm):
    def _zone(self, *objs):
        for o in objs:
            if o is not None:
                return o.zone
        return self.zone


class DepartmentResourceForm(_Base):
    writable_fks = {"department": Department}
    parents = ("department",)

    class Meta:
        model = DepartmentResource
        fields = ["department", "kind", "title", "description", "conditions", "quota_amount", "quota_unit",
                  "contact_name", "contact_phone", "valid_from", "valid_until", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "conditions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = DictChoiceField("dept_resource_kind", label="资源类别")
        self.fields["kind"].widget.attrs["class"] = "form-select"
        if self.user is not None and self.user.department_id and not self.instance.pk:
            self.fields["department"].initial = self.user.department_id

    def clean(self):
        d = super().clean()
        if d.get("valid_from") and d.get("valid_until") and d["valid_until"] < d["valid_from"]:
            self.add_error("valid_until", "有效期止不能早于有效期起")
        return d

    def save(self, *, actor):
        d = dict(self.cleaned_data)
        return services.save_department_resource(actor=actor, resource=self.record,
                                                 create_only=self.record is None, **d)


class ActionProjectForm(_Base):
    writable_fks = {"enterprise": Enterprise, "department": Department, "party_org": PartyOrg}
    parents = ("enterprise", "department", "party_org")

    class Meta:
        model = ActionProject
        fields = ["title", "owner_name", "enterprise", "department", "party_org", "chain", "flagship", "status",
                  "started_on", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep = self.record.party_org_id if self.record is not None else None
        self.fields["party_org"].queryset = self.fields["party_org"].queryset.filter(Q(depth__lte=2) | Q(pk=keep))
        self.fields["enterprise"].help_text = "责任单位在企业、部门、党组织中选择一个"

    def clean(self):
        d = super().clean()
        if len([k for k in ("enterprise", "department", "party_org") if d.get(k)]) != 1:
            raise forms.ValidationError("责任单位须在企业、部门、党组织中选择且只选择一个")
        return d

    def save(self, *, actor):
        d = dict(self.cleaned_data)
        zone = self._zone(d.get("enterprise"), d.get("department"), d.get("party_org"))
        return services.save_action_project(actor=actor, zone=zone, project=self.record,
                                            create_only=self.record is None, **d)


class MilestoneForm(forms.ModelForm):
    """Only gathers a milestone's input: ``services.save_milestone`` writes it (never ``save()``)."""

    class Meta:
        model = Milestone
        fields = ["title", "due_on", "done_on", "sort"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}), "done_on": forms.DateInput(attrs={"type": "date"})}

    def save(self, commit=True):
        raise NotImplementedError("milestones are written by services.save_milestone")


class SharedResourceForm(_Base):
    writable_fks = {"owner": Enterprise}
    parents = ("owner",)

    class Meta:
        model = SharedResource
        fields = ["owner", "chain", "category", "name", "description", "terms", "location", "contact_name",
                  "contact_phone", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = DictChoiceField("shared_category", label="资源类别")
        self.fields["category"].widget.attrs["class"] = "form-select"
        if self.user is not None and self.user.enterprise_id and not self.instance.pk:
            self.fields["owner"].initial = self.user.enterprise_id

    def save(self, *, actor):
        d = dict(self.cleaned_data)
        return services.save_shared_resource(actor=actor, resource=self.record,
                                             create_only=self.record is None, **d)


class BookingForm(forms.Form):
    start_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    end_on = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    purpose = forms.CharField(label="用途", max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}))


class BookingDecisionForm(forms.Form):
    action = forms.ChoiceField(label="操作", choices=[(a, BOOKING.label(a)) for a in BOOKING.actions])
    reason = forms.CharField(label="处理意见", max_length=200, required=False)


class SquadForm(_Base):
    writable_fks = {"chain": Chain}
    parents = ("chain", "zone")

    class Meta:
        model = ServiceSquad
        fields = ["zone", "chain", "name", "leader_name", "members", "member_names", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = Member.objects.visible_to(self.user)
        if self.instance.pk and self.instance.chain_id:
            members = members.filter(party_org__chain_id=self.instance.chain_id)
            self.fields["members"].help_text = "本链党员，可多选"
        else:
            members = members.filter(pk__in=self.instance.members.values("pk")) if self.instance.pk else members.none()
            self.fields["members"].help_text = "选择产业链并保存后，可从该链党员中选择队员"
        self.fields["members"].queryset = members.select_related("party_org")
        self.fields["members"].widget.attrs["size"] = 8

    def save(self, *, actor):
        d = self.data_for_service()
        d["members"] = list(d.get("members") or [])
        return services.save_squad(actor=actor, squad=self.record, create_only=self.record is None, **d)


class VisitForm(_Base):
    writable_fks = {"squad": ServiceSquad}
    parents = ("squad",)
    photos = MultipleFileField(label="现场照片/附件", required=False, accept="image/*,.pdf",
                               help_text="可多选；类型与大小按系统附件规则检查")

    class Meta:
        model = ServiceVisit
        fields = ["squad", "enterprise", "kind", "visited_on", "hours", "participants", "result"]
        widgets = {"result": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = DictChoiceField("visit_kind", label="服务类型")
        self.fields["kind"].widget.attrs["class"] = "form-select"
        self.fields["photos"].widget.attrs["class"] = "form-control"

    def save(self, *, actor):
        d = dict(self.cleaned_data)
        photos = d.pop("photos", []) or []
        return services.record_visit(actor=actor, visit=self.record, create_only=self.record is None,
                                     photos=photos, **d)


class MeetingForm(_Base):
    writable_fks = {"chain": Chain}
    parents = ("chain",)

    class Meta:
        model = JointMeeting
        fields = ["chain", "title", "held_on", "location", "host", "attending_orgs", "minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = PartyOrg.objects.visible_to(self.user).filter(depth__lte=3)
        if self.instance.pk:
            orgs = orgs.filter(chain_id=self.instance.chain_id)
        self.fields["attending_orgs"].queryset = orgs
        self.fields["attending_orgs"].widget.attrs["size"] = 8

    def save(self, *, actor):
        d = dict(self.cleaned_data)
        d["attending_orgs"] = list(d.get("attending_orgs") or [])
        return services.save_meeting(actor=actor, meeting=self.record, create_only=self.record is None, **d)


class ResolutionForm(forms.Form):
    content = forms.CharField(label="议定事项", max_length=300)
    owner_enterprise = forms.ModelChoiceField(label="责任企业", queryset=Enterprise.objects.none(), required=False)
    owner_department = forms.ModelChoiceField(label="责任部门", queryset=Department.objects.none(), required=False)
    owner_party_org = forms.ModelChoiceField(label="责任党组织", queryset=PartyOrg.objects.none(), required=False)
    owner_name = forms.CharField(label="责任人", max_length=50, required=False)
    workdays = forms.IntegerField(label="办理时限（工作日）", min_value=1, max_value=250, initial=10)

    def __init__(self, *args, meeting: JointMeeting, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name, qs in services.resolution_owner_choices(user, zone_id=meeting.zone_id,
                                                          chain_id=meeting.chain_id).items():
            self.fields[name].queryset = qs
        bootstrap(self)

    def clean(self):
        d = super().clean()
        if len([k for k in ("owner_enterprise", "owner_department", "owner_party_org") if d.get(k)]) != 1:
            raise forms.ValidationError("责任单位须在企业、部门、党组织中选择且只选择一个")
        return d


class ResolutionActionForm(forms.Form):
    action = forms.ChoiceField(label="操作", choices=[(a, RESOLUTION.label(a)) for a in RESOLUTION.actions])
    result = forms.CharField(label="办理结果", required=False, max_length=2000)


class CitationForm(forms.Form):
    order = forms.CharField(label="工单编号或 ID", max_length=32)
    note = forms.CharField(label="说明", max_length=200, required=False)
