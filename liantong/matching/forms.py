"""Forms of the supply–demand strand: choices narrowed to what the user may see or write; saves go
through the services (``save(actor=…)``) and their Chinese errors come back on the fields."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from liantong.core import dicts
from liantong.core.forms import ScopedModelForm, bootstrap
from liantong.orgs.models import Chain, ChainNode, Enterprise

from . import services
from .models import (
    DESCRIPTION_MAX,
    NOTE_MAX,
    ContractStatus,
    Deal,
    EnterpriseRevenue,
    Listing,
    MatchmakingMeeting,
)


class ListingForm(ScopedModelForm):
    writable_fks = {"enterprise": Enterprise}
    parents = ("enterprise",)
    keywords = forms.CharField(label="关键词", required=False, max_length=600,
                               help_text="以顿号、逗号或空格分隔，例如：PA66、注塑级、切片")
    category = forms.ChoiceField(label="类别", required=False)
    description = forms.CharField(label="详细说明", required=False, max_length=DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 6, "maxlength": DESCRIPTION_MAX}),
                                  help_text=f"不超过 {DESCRIPTION_MAX} 字：产品/需求、规格牌号、认证、数量、交付要求")

    class Meta:
        model = Listing
        fields = ["enterprise", "kind", "chain", "node", "title", "description", "keywords", "category", "quantity",
                  "region", "valid_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + dicts.choices("listing_category")
        self.fields["category"].widget.attrs["class"] = "form-select"
        self.fields["node"].queryset = ChainNode.objects.visible_to(self.user).select_related("chain")
        self.fields["node"].label_from_instance = lambda n: f"{n.chain.name} · {n}"
        if self.instance.pk:
            self.initial["keywords"] = "、".join(self.instance.keywords or [])
        user = self.user
        # the publishing firm is not a choice for a firm user (its own) nor on an edit (it stays): server-side
        if self.record is not None or (user is not None and user.enterprise_id and not user.is_platform_admin):
            del self.fields["enterprise"]
        if user is not None and user.enterprise_id and not user.is_platform_admin:
            offered = Q(pk__in=Chain.objects.filter(memberships__enterprise_id=user.enterprise_id).values("pk"))
            if self.record is not None:
                offered |= Q(pk=self.record.chain_id)  # the current value stays selectable
            chains = Chain.objects.visible_to(user).filter(offered)
            if chains.exists():
                self.fields["chain"].queryset = chains

    @property
    def enterprise(self):
        if "enterprise" in self.fields:
            return self.cleaned_data.get("enterprise")
        return self.record.enterprise if self.record is not None else self.user.enterprise

    def save(self, *, actor):
        d = self.cleaned_data
        return services.save_listing(
            actor=actor, listing=self.record, enterprise=self.enterprise,
            chain=d["chain"], node=d["node"], kind=d["kind"], title=d["title"], description=d["description"],
            keywords=d["keywords"], category=d["category"] or "", quantity=d["quantity"], region=d["region"],
            valid_until=d["valid_until"])


class MeetingForm(ScopedModelForm):
    writable_fks = {"chain": Chain}
    parents = ("zone", "chain")

    class Meta:
        model = MatchmakingMeeting
        fields = ["zone", "title", "chain", "held_on", "venue", "organiser", "attendance", "description"]

    def save(self, *, actor):
        return services.save_meeting(actor=actor, meeting=self.record, new=self.record is None,
                                     **self.data_for_service())


class RevenueForm(ScopedModelForm):
    writable_fks = {"enterprise": Enterprise}
    parents = ("enterprise",)

    class Meta:
        model = EnterpriseRevenue
        fields = ["enterprise", "year", "revenue"]

    def save(self, *, actor):
        d = self.cleaned_data
        return services.save_revenue(actor=actor, enterprise=d["enterprise"], year=d["year"], revenue=d["revenue"],
                                     record=self.record, new=self.record is None)


class DealForm(forms.Form):
    """Record the deal of an accepted contact."""

    title = forms.CharField(label="签约内容", max_length=120)
    amount = forms.DecimalField(label="金额（万元）", min_value=0, max_digits=12, decimal_places=2)
    signed_on = forms.DateField(label="签约日期", widget=forms.DateInput(attrs={"type": "date"}))
    contract_status = forms.ChoiceField(label="合同状态", choices=ContractStatus.choices, initial="signed")
    meeting = forms.ModelChoiceField(label="对接会", queryset=MatchmakingMeeting.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = MatchmakingMeeting.objects.visible_to(user)
        bootstrap(self)


class DealEditForm(ScopedModelForm):
    """Change a recorded deal: contract status, amount, signing date and a note (``services.update_deal``)."""

    note = forms.CharField(label="备注", required=False, max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}),
                           help_text=f"不超过 {NOTE_MAX} 字：履约进展、金额或日期变更的原因等")

    class Meta:
        model = Deal
        fields = ["contract_status", "amount", "signed_on", "note"]

    def save(self, *, actor):
        d = self.cleaned_data
        return services.update_deal(self.record, actor=actor, contract_status=d["contract_status"],
                                    amount=d["amount"], signed_on=d["signed_on"], note=d["note"])
