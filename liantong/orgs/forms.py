"""Forms of the organisation strand. Each form limits its choices to what the user may see and
saves through the services (``save(actor=…)``); field errors come back in Chinese."""

from django import forms

from liantong.core import services as core

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


class ScopedModelForm(forms.ModelForm):
    """A ModelForm that knows its user, narrows every choice to what that user may see or write,
    and renders with Bootstrap classes."""

    writable_fks: dict[str, type] = {}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        from liantong.core import dicts

        for name, field in self.fields.items():
            code = dicts.code_for(self._meta.model, name)
            if code and hasattr(field, "choices"):
                current = getattr(self.instance, name, "") if self.instance.pk else ""
                opts = [(v, lbl) for v, lbl in dicts.choices(code, include_inactive=True)
                        if v == current or dicts.item(code, v)["active"]]
                field.choices = ([] if field.required else [("", "---------")]) + opts
            if isinstance(field, forms.ModelChoiceField):
                model = field.queryset.model
                write = name in self.writable_fks or name == "zone"
                field.queryset = model.objects.visible_to(user, for_write=write)
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else (
                "form-select" if isinstance(field.widget, forms.Select) else "form-control")
            field.widget.attrs.setdefault("class", css)
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")

    def _post_clean(self):
        """Django's model validation, its constraint messages in Chinese (no constraint names)."""
        super()._post_clean()
        model = self._meta.model
        for field, errors in list(self._errors.items()):
            texts = [core.humane(str(e), model) for e in errors]
            if texts != [str(e) for e in errors]:
                self._errors[field] = self.error_class(
                    texts, error_class="nonfield" if field == forms.forms.NON_FIELD_ERRORS else None)

    def save(self, *, actor):  # noqa: D401 - services do the write
        data = {k: v for k, v in self.cleaned_data.items()}
        if self.instance.pk:
            return core.update(self.instance, actor=actor, **data)
        return core.create(self._meta.model, actor=actor, **data)


class ZoneFieldMixin:
    """New rows default to the user's zone; users of one zone do not see the zone field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "zone" in self.fields and self.user is not None and self.user.zone_id and not self.user.is_platform_admin:
            self.fields["zone"].initial = self.user.zone_id
            self.fields["zone"].widget = forms.HiddenInput()


class ChainForm(ZoneFieldMixin, ScopedModelForm):
    class Meta:
        model = Chain
        fields = ["zone", "name", "chief_name", "chief_department", "description"]

    def save(self, *, actor):
        d = self.cleaned_data
        return services.save_chain(actor=actor, chain=self.instance if self.instance.pk else None, zone=d["zone"],
                                   name=d["name"], chief_name=d["chief_name"], chief_department=d["chief_department"],
                                   description=d["description"])


class EnterpriseForm(ZoneFieldMixin, ScopedModelForm):
    class Meta:
        model = Enterprise
        fields = ["zone", "name", "credit_code", "scale", "is_hightech", "address", "contact_name", "contact_phone"]

    def clean_credit_code(self):
        from liantong.core.identifiers import normalise, uscc_error

        code = normalise(self.cleaned_data["credit_code"])
        err = uscc_error(code)
        if err:
            raise forms.ValidationError(err)
        return code

    def save(self, *, actor):
        d = dict(self.cleaned_data)
        ent, _ = services.save_enterprise(actor=actor, enterprise=self.instance if self.instance.pk else None, **d)
        return ent


class PartyOrgForm(ZoneFieldMixin, ScopedModelForm):
    writable_fks = {"parent": PartyOrg}

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
        d = dict(self.cleaned_data)
        return services.save_party_org(actor=actor, org=self.instance if self.instance.pk else None, **d)


class MemberForm(ScopedModelForm):
    writable_fks = {"party_org": PartyOrg}
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
        from liantong.core.identifiers import id_error, normalise

        number = normalise(self.cleaned_data.get("id_number"))
        if number:
            err = id_error(number)
            if err:
                raise forms.ValidationError(err)
        return number

    def clean_phone(self):
        from liantong.core.identifiers import PHONE_RE, normalise

        phone = normalise(self.cleaned_data.get("phone"))
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError("手机号码格式不正确")
        return phone

    def save(self, *, actor):
        d = dict(self.cleaned_data)
        member = self.instance if self.instance.pk else None
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
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-select" if isinstance(f.widget, forms.Select) else "form-control")


class DepartmentForm(ZoneFieldMixin, ScopedModelForm):
    class Meta:
        model = Department
        fields = ["zone", "name", "short_name", "duties", "contact_name", "contact_phone"]


class InstitutionForm(ZoneFieldMixin, ScopedModelForm):
    class Meta:
        model = Institution
        fields = ["zone", "name", "kind", "address", "contact_name", "contact_phone"]


class PairingForm(ZoneFieldMixin, ScopedModelForm):
    writable_fks = {"party_org": PartyOrg}

    class Meta:
        model = Pairing
        fields = ["zone", "kind", "party_org", "chain", "partner_org", "partner_institution", "partner_name",
                  "signed_on", "content"]


class VanguardTeamForm(ZoneFieldMixin, ScopedModelForm):
    writable_fks = {"lead_org": PartyOrg}

    class Meta:
        model = VanguardTeam
        fields = ["zone", "name", "kind", "chain", "lead_org", "leader_name", "established_on", "focus"]


class CultivationForm(ScopedModelForm):
    writable_fks = {"party_org": PartyOrg}

    class Meta:
        model = Cultivation
        fields = ["person_name", "party_org", "track", "stage", "post", "mentor_name", "started_on", "stage_since"]

    def save(self, *, actor):
        d = dict(self.cleaned_data)
        d["zone_id"] = d["party_org"].zone_id
        if self.instance.pk:
            return core.update(self.instance, actor=actor, **d)
        return core.create(Cultivation, actor=actor, **d)


class ChainNodeForm(ScopedModelForm):
    class Meta:
        model = ChainNode
        fields = ["name", "stage", "parent", "sort"]

    def __init__(self, *args, chain=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.chain = chain
        self.fields["parent"].queryset = ChainNode.objects.filter(chain=chain)

    def save(self, *, actor):
        d = self.cleaned_data
        return services.save_chain_node(actor=actor, chain=self.chain, node=self.instance if self.instance.pk else None,
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
        self.fields["node"].queryset = ChainNode.objects.filter(chain__in=chains).select_related("chain")
        self.fields["node"].label_from_instance = lambda n: f"{n.chain.name} · {n}"
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select"

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



