"""Forms of the people strand (``core.forms.ScopedModelForm``: choices in scope, writes through the services)."""

from django import forms

from liantong.core.forms import MultipleFileField, ScopedModelForm, bootstrap
from liantong.orgs.models import Chain, Enterprise, Institution, PartyOrg

from . import services
from .models import (
    Activity,
    CommitteePost,
    Manager,
    Mentor,
    Placement,
    TalentNeed,
    Trainee,
    TrainingProgram,
    Venue,
)


class _Base(ScopedModelForm):
    def zone_of(self, *objs):
        for o in objs:
            if o is not None:
                return o.zone
        return self.zone

    def values(self) -> dict:
        d = self.data_for_service()
        d.pop("zone", None)
        return d


class TalentNeedForm(_Base):
    writable_fks = {"chain": Chain, "enterprise": Enterprise}
    parents = ("chain", "enterprise")

    class Meta:
        model = TalentNeed
        fields = ["chain", "enterprise", "post", "major", "degree", "headcount", "salary_min", "salary_max",
                  "urgency", "valid_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # a firm writes its own lines on any chain it sees; the chain is a read choice then
        self.fields["chain"].queryset = Chain.objects.visible_to(self.user)

    def save(self, *, actor):
        d = self.values()
        return services.save_talent_need(actor=actor, need=self.record, zone=self.zone_of(d["chain"]), **d)


class ProgramForm(_Base):
    writable_fks = {"host": Enterprise}
    parents = ("host",)

    class Meta:
        model = TrainingProgram
        fields = ["name", "host", "institution", "chain", "starts_on", "ends_on", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def save(self, *, actor):
        d = self.values()
        return services.save_program(actor=actor, program=self.record, zone=self.zone_of(d["host"]), **d)


class MentorForm(_Base):
    writable_fks = {"enterprise": Enterprise}
    parents = ("enterprise", "zone")

    class Meta:
        model = Mentor
        fields = ["zone", "name", "kind", "enterprise", "institution", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.visible_to(self.user)

    def save(self, *, actor):
        d = self.data_for_service()
        return services.save_mentor(actor=actor, mentor=self.record, **d)


class TraineeForm(_Base):
    writable_fks = {"program": TrainingProgram}
    parents = ("program",)

    class Meta:
        model = Trainee
        fields = ["program", "name", "major", "degree", "graduates_on", "enterprise_mentor", "professor"]

    def save(self, *, actor):
        return services.save_trainee(actor=actor, trainee=self.record, **self.values())


class PlacementForm(_Base):
    writable_fks = {"trainee": Trainee}
    parents = ("trainee",)

    class Meta:
        model = Placement
        fields = ["trainee", "enterprise", "post", "placed_on"]

    def save(self, *, actor):
        return services.place(actor=actor, placement=self.record, **self.values())


class VenueForm(_Base):
    writable_fks = {"enterprise": Enterprise}
    parents = ("enterprise", "zone")

    class Meta:
        model = Venue
        fields = ["zone", "name", "kind", "enterprise", "capacity", "facilities", "address"]

    def save(self, *, actor):
        return services.save_venue(actor=actor, venue=self.record, **self.data_for_service())


class ActivityForm(_Base):
    writable_fks = {"lead_org": PartyOrg}
    parents = ("lead_org",)
    photos = MultipleFileField(label="活动照片", required=False, accept="image/*",
                               help_text="可多选；类型与大小按系统附件规则检查")

    class Meta:
        model = Activity
        fields = ["title", "kind", "lead_org", "organisers", "chain", "vanguard_team", "held_on", "place", "venue",
                  "guests", "summary", "cities", "firms", "signed"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"organisers": "联合开展的各党组织（可多选；牵头党组织自动计入）",
                      "cities": "引才宣介：前往的城市", "firms": "引才宣介：参加的企业（可多选）"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisers"].required = False
        for name in ("organisers", "firms"):
            self.fields[name].widget.attrs["size"] = 6
        bootstrap(self)

    def save(self, *, actor):
        d = self.values()
        photos = d.pop("photos", []) or []
        d["organisers"] = list(d.get("organisers") or [])
        d["firms"] = list(d.get("firms") or [])
        activity = services.save_activity(actor=actor, activity=self.record, zone=self.zone_of(d["lead_org"]), **d)
        if photos:
            services.attach_photos(actor=actor, activity=activity, uploads=photos)
        return activity


class ManagerForm(_Base):
    writable_fks = {"enterprise": Enterprise}
    parents = ("enterprise",)

    class Meta:
        model = Manager
        fields = ["enterprise", "name", "level", "title"]

    def save(self, *, actor):
        return services.save_manager(actor=actor, manager=self.record, **self.values())


class CommitteePostForm(_Base):
    writable_fks = {"party_org": PartyOrg}
    parents = ("party_org",)

    class Meta:
        model = CommitteePost
        fields = ["party_org", "post", "person_name", "manager", "term_start", "term_end"]

    def save(self, *, actor):
        return services.save_committee_post(actor=actor, committee_post=self.record, **self.values())


class CheckInForm(forms.Form):
    """The QR code's self check-in: name and 公民身份号码 (checked against the organising orgs' members)."""

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码", max_length=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class MemberCheckInForm(forms.Form):
    """The secretary checks members in at the door (or signs them up beforehand)."""

    members = forms.ModelMultipleChoiceField(label="党员", queryset=None)
    action = forms.ChoiceField(label="操作", choices=[("check_in", "签到"), ("sign_up", "报名")], initial="check_in")

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda m: f"{m.name}（{m.party_org.name}）"
        self.fields["members"].widget.attrs["size"] = 8
        bootstrap(self)


class PhotoForm(forms.Form):
    photos = MultipleFileField(label="活动照片", accept="image/*")
