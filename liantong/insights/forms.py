"""Forms of the investment strand: each saves through its service (``core.forms.ScopedModelForm``)."""

from django import forms

from liantong.core.forms import ScopedModelForm, bootstrap
from liantong.orgs.models import Chain

from . import services
from .models import InvestmentProject, TargetFirm, TaskForce


class _ChainForm(ScopedModelForm):
    writable_fks = {"chain": Chain}
    parents = ("chain",)

    def clean(self):
        d = super().clean()
        node, chain = d.get("node"), d.get("chain")
        if node is not None and chain is not None and node.chain_id != chain.pk:
            self.add_error("node", "所选环节不属于该产业链")
        return d

    def _common(self) -> dict:
        d = self.data_for_service()
        d.pop("zone", None)
        return d


class TaskForceForm(_ChainForm):
    class Meta:
        model = TaskForce
        fields = ["chain", "name", "leader_name", "established_on", "duties"]

    def save(self, *, actor):
        return services.save_task_force(actor=actor, task_force=self.record, new=self.record is None, **self._common())


class TargetForm(_ChainForm):
    class Meta:
        model = TargetFirm
        fields = ["chain", "node", "gap_kind", "name", "region", "product", "contact_name", "task_force", "status",
                  "note"]

    def save(self, *, actor):
        return services.save_target(actor=actor, target=self.record, new=self.record is None, **self._common())


class ProjectForm(_ChainForm):
    class Meta:
        model = InvestmentProject
        fields = ["chain", "node", "name", "investor", "amount", "talks_on", "task_force", "target", "enterprise",
                  "note"]

    def save(self, *, actor):
        return services.save_project(actor=actor, project=self.record, new=self.record is None, **self._common())


class FollowUpForm(forms.Form):
    on = forms.DateField(label="跟进日期")
    by_name = forms.CharField(label="跟进人", max_length=50, required=False)
    content = forms.CharField(label="跟进情况", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label="下一步", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class MemberForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    unit = forms.CharField(label="所在单位", max_length=100, required=False)
    post = forms.CharField(label="专班职务", max_length=30, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class BranchForm(forms.Form):
    name = forms.CharField(label="支部名称", max_length=100, required=False, help_text="留空则为“项目名称＋党支部”")
    secretary_name = forms.CharField(label="书记", max_length=50, required=False)
    established_on = forms.DateField(label="成立日期", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


