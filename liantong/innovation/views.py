"""Pages of the innovation strand, on the shared base views (scoped, searchable, exportable). Every write
goes through ``services`` or a ``workflow`` move with the user as actor; refusals come back in Chinese."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liantong.core.scoping import get_for_user
from liantong.core.services import ServiceError, may_write
from liantong.core.views_generic import GenericDetailView, ObjectDetailView, ObjectEditView, ObjectListView
from liantong.orgs.models import Enterprise

from . import assess, forms, rules, services, tables
from .models import (
    Achievement,
    Assessment,
    Bid,
    Challenge,
    ChallengeMilestone,
    ChallengeState,
    Coaching,
    Consortium,
    IncubatedFirm,
    Policy,
    Qualification,
    TransferContract,
)
from .workflow import ACHIEVEMENT, CHALLENGE, MILESTONE, PUBLISHER, TEAM


def _errors(form) -> str:
    return "；".join(f"{form.fields[k].label if k in form.fields else ''}{'：' if k in form.fields else ''}"
                    f"{'；'.join(v)}" for k, v in form.errors.items())


def _move(request, workflow, obj, **params) -> None:
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return
    d = form.cleaned_data
    extra = {k: v for k, v in params.items() if v is not None}
    try:
        workflow.transition(obj, d["action"], actor=request.user, note=d["note"],
                            expected_state=d["expected_state"] or None, **extra)
        messages.success(request, f"已{workflow.label(d['action'])}")
    except ServiceError as exc:
        messages.error(request, exc.message)


# --- 攻坚榜 ---------------------------------------------------------------------------------------------


class ChallengeList(ObjectListView):
    listing = tables.CHALLENGES
    model = Challenge
    title = "技术攻坚榜"
    columns = tables.CHALLENGE_COLUMNS
    create_url = "innovation:challenge_create"


def _may_bid(user, c: Challenge) -> bool:
    return (c.state == ChallengeState.PUBLISHED and user.has_perm_code("innovation.bid")
            and bool(user.enterprise_id or user.institution_id) and user.zone_id == c.zone_id
            and not (user.enterprise_id and user.enterprise_id == c.publisher_enterprise_id)
            and not (user.institution_id and user.institution_id == c.publisher_institution_id))


class ChallengeDetail(ObjectDetailView):
    model = Challenge
    template_name = "innovation/challenge_detail.html"
    select_related = ["chain", "publisher_enterprise", "publisher_institution", "zone"]

    def extra_context(self, obj):
        user = self.request.user
        roles = CHALLENGE.roles_of(obj, user)
        bids = list(Bid.objects.visible_to(user).filter(challenge=obj)
                    .select_related("lead_enterprise", "lead_institution").prefetch_related("members"))
        consortium = Consortium.objects.visible_to(user).filter(challenge=obj).first()
        actions = CHALLENGE.buttons(obj, user)
        return {
            "actions": [(a, lbl) for a, lbl in actions if a != "select"],
            "may_select": any(a == "select" for a, _ in actions),
            "bids": bids,
            "consortium": consortium,
            "milestones": (list(consortium.milestones.all()) if consortium else []),
            "bid_form": forms.BidForm() if _may_bid(user, obj) else None,
            "attachments": obj.attachments.all(),
            "history": CHALLENGE.history(obj),
            "roles": [CHALLENGE.role_labels[r] for r in sorted(roles)],
            "needs_note": {m.action for m in CHALLENGE.moves if m.needs_note},
        }


class ChallengeEdit(ObjectEditView):
    model = Challenge
    form_class = forms.ChallengeForm
    success_url_name = "innovation:challenge_detail"
    perm = "innovation.publish"


@login_required
@require_POST
def challenge_transition(request, pk):
    c = get_for_user(Challenge, request.user, pk)
    bid = None
    if request.POST.get("action") == "select" and request.POST.get("bid"):
        form = forms.TransitionForm(request.POST)
        if form.is_valid() and form.cleaned_data["bid"]:
            bid = Bid.objects.visible_to(request.user).filter(pk=form.cleaned_data["bid"], challenge=c).first()
            if bid is None:
                messages.error(request, "所选团队未揭此榜")
                return redirect("innovation:challenge_detail", pk=c.pk)
    payout = request.POST.get("payout") or None
    _move(request, CHALLENGE, c, bid=bid, payout=payout if request.POST.get("action") == "pay" else None)
    return redirect("innovation:challenge_detail", pk=c.pk)


@login_required
@require_POST
def bid_create(request, pk):
    c = get_for_user(Challenge, request.user, pk)
    user = request.user
    form = forms.BidForm(request.POST)
    if not _may_bid(user, c):
        messages.error(request, "您不能揭此榜：榜单须处于已发榜状态，且由企业或高校/院所以本单位名义揭榜")
    elif not form.is_valid():
        messages.error(request, _errors(form))
    else:
        lead = {"lead_enterprise": user.enterprise} if user.enterprise_id else {"lead_institution": user.institution}
        try:
            services.submit_bid(actor=user, challenge=c, **lead, **form.cleaned_data)
            messages.success(request, "揭榜申请已提交，等待出题单位评审")
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("innovation:challenge_detail", pk=c.pk)


class BidList(ObjectListView):
    listing = tables.BIDS
    model = Bid
    title = "揭榜申请"
    columns = tables.BID_COLUMNS


# --- 攻关联合体、节点 -----------------------------------------------------------------------------------


class ConsortiumList(ObjectListView):
    listing = tables.CONSORTIA
    model = Consortium
    title = "攻关联合体"
    columns = tables.CONSORTIUM_COLUMNS


class ConsortiumDetail(ObjectDetailView):
    model = Consortium
    template_name = "innovation/consortium_detail.html"
    select_related = ["challenge", "bid__lead_enterprise", "bid__lead_institution"]

    def extra_context(self, obj):
        user = self.request.user
        roles = CHALLENGE.roles_of(obj.challenge, user)
        milestones = list(obj.milestones.prefetch_related("cards"))
        return {
            "members": list(obj.bid.members.all()),
            "milestones": [(m, m.card_level(), MILESTONE.buttons(m, user)) for m in milestones],
            "milestone_form": forms.MilestoneForm() if roles and obj.challenge.state == ChallengeState.RESEARCHING
            else None,
            "is_team": TEAM in roles, "is_publisher": PUBLISHER in roles,
        }


@login_required
@require_POST
def milestone_add(request, pk):
    consortium = get_for_user(Consortium, request.user, pk)
    form = forms.MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        try:
            services.add_milestone(actor=request.user, consortium=consortium, **form.cleaned_data)
            messages.success(request, "已添加攻关节点")
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("innovation:consortium_detail", pk=consortium.pk)


@login_required
@require_POST
def milestone_transition(request, pk):
    m = get_for_user(ChallengeMilestone, request.user, pk)
    _move(request, MILESTONE, m)
    return redirect("innovation:consortium_detail", pk=m.consortium_id)


class MilestoneList(ObjectListView):
    listing = tables.MILESTONES
    model = ChallengeMilestone
    title = "攻关节点督办"
    columns = tables.MILESTONE_COLUMNS


# --- 科研成果、转化、孵化 -------------------------------------------------------------------------------


class AchievementList(ObjectListView):
    listing = tables.ACHIEVEMENTS
    model = Achievement
    title = "科研成果"
    columns = tables.ACHIEVEMENT_COLUMNS
    create_url = "innovation:achievement_create"


class AchievementDetail(ObjectDetailView):
    model = Achievement
    template_name = "innovation/achievement_detail.html"
    select_related = ["owner_enterprise", "owner_institution", "chain", "challenge"]

    def extra_context(self, obj):
        user = self.request.user
        return {"actions": ACHIEVEMENT.buttons(obj, user), "history": ACHIEVEMENT.history(obj),
                "contracts": list(TransferContract.objects.visible_to(user).filter(achievement=obj)
                                  .select_related("buyer", "centre")),
                "incubated": list(IncubatedFirm.objects.visible_to(user).filter(achievement=obj))}


class AchievementEdit(ObjectEditView):
    model = Achievement
    form_class = forms.AchievementForm
    success_url_name = "innovation:achievement_detail"
    perm = "innovation.result"


@login_required
@require_POST
def achievement_transition(request, pk):
    a = get_for_user(Achievement, request.user, pk)
    _move(request, ACHIEVEMENT, a)
    return redirect("innovation:achievement_detail", pk=a.pk)


class ContractList(ObjectListView):
    listing = tables.CONTRACTS
    model = TransferContract
    title = "成果转化合同"
    columns = tables.CONTRACT_COLUMNS
    create_url = "innovation:contract_create"


class ContractDetail(GenericDetailView):
    model = TransferContract
    url_prefix = "innovation:contract"
    select_related = ["achievement", "buyer", "centre"]


class ContractEdit(ObjectEditView):
    model = TransferContract
    form_class = forms.ContractForm
    success_url_name = "innovation:contract_detail"
    perm = "innovation.result"

    @classmethod
    def may_edit(cls, user, obj) -> bool:
        """A contract is kept by whoever may write its result (the service's rule); the buyer only reads it."""
        return super().may_edit(user, obj) and may_write(user, obj.achievement)


class IncubatedList(ObjectListView):
    listing = tables.INCUBATED
    model = IncubatedFirm
    title = "孵化企业"
    columns = tables.INCUBATED_COLUMNS
    create_url = "innovation:incubated_create"


class IncubatedDetail(GenericDetailView):
    model = IncubatedFirm
    url_prefix = "innovation:incubated"


class IncubatedEdit(ObjectEditView):
    model = IncubatedFirm
    form_class = forms.IncubatedForm
    success_url_name = "innovation:incubated_detail"
    perm = "innovation.incubate"


# --- 资质荣誉 -------------------------------------------------------------------------------------------


class QualificationList(ObjectListView):
    listing = tables.QUALIFICATIONS
    model = Qualification
    title = "资质荣誉"
    columns = tables.QUALIFICATION_COLUMNS
    create_url = "innovation:qualification_create"


class QualificationDetail(GenericDetailView):
    model = Qualification
    url_prefix = "innovation:qualification"
    select_related = ["enterprise", "institution"]


class QualificationEdit(ObjectEditView):
    model = Qualification
    form_class = forms.QualificationForm
    success_url_name = "innovation:qualification_detail"
    perm = "innovation.qualify"


# --- 政策 -----------------------------------------------------------------------------------------------


class PolicyList(ObjectListView):
    listing = tables.POLICIES
    model = Policy
    title = "政策匹配"
    columns = tables.POLICY_COLUMNS
    create_url = "innovation:policy_create"
    template_name = "innovation/policy_list.html"


class PolicyDetail(ObjectDetailView):
    model = Policy
    template_name = "innovation/policy_detail.html"

    def extra_context(self, obj):
        user = self.request.user
        mine = None
        if user.enterprise_id and user.zone_id == obj.zone_id:
            mine = rules.evaluate(obj.rules, services.firm_facts(user.enterprise))
        return {"rule_text": rules.describe(obj.rules), "firms": services.firms_for(obj, user), "mine": mine}


class PolicyEdit(ObjectEditView):
    model = Policy
    form_class = forms.PolicyForm
    success_url_name = "innovation:policy_detail"
    perm = "innovation.policy"


@login_required
def firm_policies(request, pk):
    """For one firm the user may see: each policy, whether it fits, and what is missing."""
    firm = get_for_user(Enterprise, request.user, pk)
    return render(request, "innovation/firm_policies.html",
                  {"firm": firm, "rows": services.policies_for(firm, request.user), "title": f"{firm.name}·适用政策"})


# --- 高企认定自评 ---------------------------------------------------------------------------------------


class AssessmentList(ObjectListView):
    listing = tables.ASSESSMENTS
    model = Assessment
    title = "高企认定自评"
    columns = tables.ASSESSMENT_COLUMNS
    template_name = "innovation/assessment_list.html"

    def extra_context(self):
        return {"may_assess": _assess_firms(self.request.user).exists()}


class AssessmentDetail(ObjectDetailView):
    model = Assessment
    template_name = "innovation/assessment_detail.html"
    select_related = ["enterprise"]

    def extra_context(self, obj):
        labels = assess.LABELS
        history = list(Assessment.objects.visible_to(self.request.user).filter(enterprise_id=obj.enterprise_id)
                       .order_by("-assessed_on", "-id")[:20])
        return {"criteria": [dict(c, label=labels.get(c["code"], c["code"])) for c in obj.criteria],
                "history": history}


def _assess_firms(user):
    """The firms the user may assess: their own, or — for a committee — those it may write."""
    firms = Enterprise.objects.visible_to(user, for_write=True).order_by("name")
    return firms if user.has_perm_code("innovation.assess") else firms.none()


@login_required
def assess_page(request):
    """The firm-side self-assessment: the criteria, the gap and the advice; kept in the firm's history."""
    user = request.user
    firms = list(_assess_firms(user)[:300])
    if not firms:
        raise Http404("未找到该页面，或您无权访问")
    firm = firms[0]
    wanted = request.POST.get("enterprise") or request.GET.get("enterprise")
    if wanted:
        firm = next((f for f in firms if str(f.pk) == wanted), None)
        if firm is None:
            raise Http404("未找到该企业，或您无权访问")
    result, status = None, 200
    if request.method == "POST":
        form = forms.AssessForm(request.POST)
        if form.is_valid():
            try:
                saved = services.save_assessment(actor=user, enterprise=firm, data=dict(form.cleaned_data))
                messages.success(request, "自评结果已保存")
                return redirect("innovation:assessment_detail", pk=saved.pk)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        status = 400
    else:
        form = forms.AssessForm()
    history = list(Assessment.objects.visible_to(user).filter(enterprise=firm).order_by("-assessed_on", "-id")[:20])
    return render(request, "innovation/assess.html", {"form": form, "firm": firm, "firms": firms, "result": result,
                                                       "history": history, "title": "高企认定自评"}, status=status)


@login_required
def pool(request):
    """The committee's cultivation pool (培育库)."""
    if not request.user.has_perm_code("innovation.coach"):
        raise Http404("未找到该页面，或您无权访问")
    close, certified = services.cultivation_pool(request.user)
    return render(request, "innovation/pool.html", {"close": close, "certified": certified, "title": "高企培育库",
                                                     "labels": assess.LABELS})


class CoachingList(ObjectListView):
    listing = tables.COACHINGS
    model = Coaching
    title = "辅导与政策解读会"
    columns = tables.COACHING_COLUMNS
    create_url = "innovation:coaching_create"


class CoachingDetail(GenericDetailView):
    model = Coaching
    url_prefix = "innovation:coaching"
    select_related = ["enterprise"]


class CoachingEdit(ObjectEditView):
    model = Coaching
    form_class = forms.CoachingForm
    success_url_name = "innovation:coaching_detail"
    perm = "innovation.coach"



