"""Forms of the services strand: the phone-friendly 点单 form, dispatch and the other moves.
Each form only gathers input; the services check it and write (errors come back in Chinese)."""

from django import forms

from liantong.core import dicts
from liantong.core.forms import MultipleFileField, bootstrap
from liantong.orgs.models import Department

from .models import Satisfaction, Urgency


class OrderForm(forms.Form):
    """企业点单: category, title, description, urgency, contact, attachments (and the chain when several)."""

    chain = forms.TypedChoiceField(label="所属产业链", required=False, coerce=int)
    category = forms.ChoiceField(label="诉求类别")
    title = forms.CharField(label="诉求标题", max_length=100, required=False,
                            widget=forms.TextInput(attrs={"placeholder": "一句话说明需要解决的问题"}))
    description = forms.CharField(label="诉求内容", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    attachments = MultipleFileField(label="附件", required=False,
                                    help_text="可多选；支持 PDF、Word、Excel、图片、压缩包")

    def __init__(self, *args, chains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "请选择")] + dicts.choices("service_category")
        if len(chains) > 1:
            self.fields["chain"].choices = [("", "请选择")] + [(c.pk, c.name) for c in chains]
            self.fields["chain"].required = True
        else:
            del self.fields["chain"]
        bootstrap(self)


class DispatchForm(forms.Form):
    lead = forms.ModelChoiceField(label="主办部门", queryset=Department.objects.none(), empty_label="请选择")
    assists = forms.ModelMultipleChoiceField(label="协办部门", queryset=Department.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label="派单说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, zone_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Department.objects.filter(zone_id=zone_id).order_by("id").unscoped(
            "dispatch: an order goes to any department of its own zone, whoever of the committees dispatches it")
        self.fields["lead"].queryset = qs
        self.fields["assists"].queryset = qs
        bootstrap(self)


class MoveForm(forms.Form):
    """Any other move: the action, a note, and the parameters some moves need."""

    action = forms.CharField(widget=forms.HiddenInput)
    state = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    days = forms.IntegerField(label="延期工作日", required=False, min_value=1, max_value=30)
    satisfaction = forms.TypedChoiceField(label="满意度", required=False, coerce=int,
                                          choices=[("", "请选择")] + list(Satisfaction.choices))
    into = forms.CharField(label="并入工单编号", required=False, max_length=32)


class BundleForm(forms.Form):
    title = forms.CharField(label="事项名称", max_length=100, required=False,
                            widget=forms.TextInput(attrs={"placeholder": "如：新建厂房项目开工"}))
    description = forms.CharField(label="事项说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, rows=4, **kwargs):
        super().__init__(*args, **kwargs)
        cats = [("", "请选择")] + dicts.choices("service_category")
        for i in range(rows):
            self.fields[f"item{i}_category"] = forms.ChoiceField(label=f"第{i + 1}项 类别", choices=cats, required=False)
            self.fields[f"item{i}_title"] = forms.CharField(label=f"第{i + 1}项 内容", max_length=100, required=False)
        self.rows = rows
        bootstrap(self)

    def items(self):
        d = self.cleaned_data
        return [{"category": d.get(f"item{i}_category") or "", "title": d.get(f"item{i}_title") or ""}
                for i in range(self.rows)]
