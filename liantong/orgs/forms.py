"""Forms of the organisation strand, on the one form base (``core.forms.ScopedModelForm``): choices in the
user's scope, no zone field (set from the user or kept), saved through ``services`` (which authorise and
audit); field errors come back in Chinese."""

from django import forms

from liantong.core.forms import ScopedModelForm, bootstrap
from liantong.core.identifiers import PHONE_RE, id_error, normalise, uscc_error

from . import services
from .models import (
    Chain,
    ChainNode,
    ChainRole,
    Cultivation,
    Department,
    Enterprise,
    Institution,
    Member,
    Pairing,
    PartyOrg,
    VanguardTeam,
)


class ChainForm(ScopedModelForm):
    class Meta:
        model = Chain
        fields = ["zone", "name", "chief_name", "chief_department", "description"]

    def save(self, *, actor):
        return services.save_chain(actor=actor, chain=self.record, **self.data_for_service())


class EnterpriseForm(ScopedModelForm):
    class Meta:
        model = Enterprise
        fields = ["zone", "name", "credit_code", "scale", "is_hightech", "address", "contact_name", "contact_phone"]

    def clean_credit_code(self):
        code = normalise(self.cleaned_data["credit_code"])
        err = uscc_error(code)
        if err:
            raise forms.ValidationError(err)
        return code

    def save(self, *, actor):
        ent, _ = services.save_enterprise(actor=actor, enterprise=self.record, **self.data_for_service())
        return ent


class PartyOrgForm(ScopedModelForm):
    writable_fks = {"parent": PartyOrg}
    parents = ("parent",)

    class Meta:
        model = PartyOrg
        fields = ["zone", "name", "kind", "parent", "chain", "enterprise", "department", "institution",
                  "project_name", "established_on", "term_end", "secretary_name"]

    def clean(self):
        d = super().clean()
        owners = [k for k in ("enterprise", "department", "institution") if d.get(k)]
        if len(owners) > 1:
            raise forms.ValidationError("所属单位只能选择企业、部门、高校中的一个")
        if d.get("established_on") and d.get("term_end") and d["term_end"] < d["established_on"]:
            self.add_error("term_end", "换届日期早于成立日期")
        return d

    def save(self, *, actor):
        return services.save_party_org(actor=actor, org=self.record, **self.data_for_service())


class MemberForm(ScopedModelForm):
    writable_fks = {"party_org": PartyOrg}
    parents = ("party_org",)
    id_number = forms.CharField(label="公民身份号码", max_length=18, required=False,
                                help_text="修改已有党员时留空表示不变")
    phone = forms.CharField(label="手机号码", max_length=20, required=False)

    class Meta:
        model = Member
        fields = ["name", "party_org", "status", "joined_on", "post", "is_tech_backbone", "is_mgmt_backbone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["id_number"].required = True
            self.fields["id_number"].help_text = ""

    def clean_id_number(self):
        number = normalise(self.cleaned_data.get("id_number"))
        if number:
            err = id_error(number)
            if err:
                raise forms.ValidationError(err)
        return number

    def clean_phone(self):
        phone = normalise(self.cleaned_data.get("phone"))
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError("手机号码格式不正确")
        return phone

    def save(self, *, actor):
        d = dict(self.cleaned_data)
        member = self.record
        number = d.pop("id_number") or (member.id_number if member else "")
        phone = d.pop("phone") or (member.phone if member else "")
        m, _ = services.save_member(actor=actor, member=member, id_number=number, phone=phone, **d)
        return m


class TransferRequestForm(forms.Form):
    """组织关系转接 request: the receiving org (one the user manages) asks for the member with this ID number."""

    id_number = forms.CharField(label="公民身份号码", max_length=30)
    name = forms.CharField(label="姓名", max_length=50)
    to_org = forms.ModelChoiceField(label="转入党组织", queryset=PartyOrg.objects.none())
    note = forms.CharField(label="申请说明", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="如：该同志已入职本单位，请转出方党组织审核")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = PartyOrg.objects.visible_to(user, for_write=True).order_by("path")
        bootstrap(self)


class DepartmentForm(ScopedModelForm):
    class Meta:
        model = Department
        fields = ["zone", "name", "short_name", "duties", "contact_name", "contact_phone"]

    def save(self, *, actor):
        return services.save_department(actor=actor, department=self.record, **self.data_for_service())


class InstitutionForm(ScopedModelForm):
    class Meta:
        model = Institution
        fields = ["zone", "name", "kind", "address", "contact_name", "contact_phone"]

    def save(self, *, actor):
        return services.save_institution(actor=actor, institution=self.record, **self.data_for_service())


class PairingForm(ScopedModelForm):
    writable_fks = {"party_org": PartyOrg}
    parents = ("party_org",)

    class Meta:
        model = Pairing
        fields = ["zone", "kind", "party_org", "chain", "partner_org", "partner_institution", "partner_name",
                  "signed_on", "content"]

    def save(self, *, actor):
        return services.save_pairing(actor=actor, pairing=self.record, **self.data_for_service())


class VanguardTeamForm(ScopedModelForm):
    writable_fks = {"lead_org": PartyOrg}
    parents = ("lead_org",)

    class Meta:
        model = VanguardTeam
        fields = ["zone", "name", "kind", "chain", "lead_org", "leader_name", "established_on", "focus"]

    def save(self, *, actor):
        return services.save_vanguard_team(actor=actor, team=self.record, **self.data_for_service())


class CultivationForm(ScopedModelForm):
    writable_fks = {"party_org": PartyOrg}
    parents = ("party_org",)

    class Meta:
        model = Cultivation
        fields = ["person_name", "party_org", "track", "post", "mentor_name", "started_on"]

    def save(self, *, actor):
        return services.save_cultivation(actor=actor, cultivation=self.record, **self.data_for_service())


class ChainNodeForm(ScopedModelForm):
    class Meta:
        model = ChainNode
        fields = ["name", "stage", "parent", "sort"]

    def __init__(self, *args, chain, **kwargs):
        super().__init__(*args, **kwargs)
        self.chain = chain
        self.fields["parent"].queryset = chain.nodes.all()  # the chain's own, read through the chain

    def save(self, *, actor):
        d = self.cleaned_data
        return services.save_chain_node(actor=actor, chain=self.chain, node=self.record,
                                        name=d["name"], stage=d["stage"], parent=d["parent"], sort=d["sort"] or 0)


class MembershipForm(forms.Form):
    """A firm's place on a chain: which chain, which node, which role."""

    chain = forms.ModelChoiceField(label="产业链", queryset=Chain.objects.none())
    node = forms.ModelChoiceField(label="所在环节", queryset=ChainNode.objects.none(), required=False)
    role = forms.ChoiceField(label="链上角色", choices=ChainRole.choices)

    def __init__(self, *args, user=None, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        chains = Chain.objects.visible_to(user).filter(zone=enterprise.zone)
        self.fields["chain"].queryset = chains
        self.fields["node"].queryset = (ChainNode.objects.visible_to(user).filter(chain__in=chains)
                                        .select_related("chain"))
        self.fields["node"].label_from_instance = lambda n: f"{n.chain.name} · {n}"
        bootstrap(self)

    def clean(self):
        d = super().clean()
        if d.get("node") and d.get("chain") and d["node"].chain_id != d["chain"].pk:
            self.add_error("node", "该环节不属于所选产业链")
        return d

    def save(self, *, actor):
        d = self.cleaned_data
        membership, _ = services.set_membership(actor=actor, enterprise=self.enterprise, chain=d["chain"],
                                                role=d["role"], node=d["node"])
        return membership
