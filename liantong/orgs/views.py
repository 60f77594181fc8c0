"""Pages of the organisation strand, built on the shared base views (scoped, searchable, exportable)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html

from liantong.core import lists
from liantong.core.scoping import get_for_user
from liantong.core.services import ServiceError
from liantong.core.tables import Column
from liantong.core.views_generic import (
    GenericDetailView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    import_upload,
    template_download,
)

from . import diagram, excel, forms, services, tables, transfers
from .extensions import enterprise_panels
from .models import (
    Chain,
    ChainMembership,
    Cultivation,
    Department,
    Enterprise,
    Institution,
    Member,
    MemberTransfer,
    Pairing,
    PartyOrg,
    VanguardTeam,
)
from .transfers import TRANSFER

# --- chains ------------------------------------------------------------------------------------------


class ChainList(ObjectListView):
    model = Chain
    listing = tables.CHAINS
    title = "产业链"
    columns = tables.CHAIN_COLUMNS
    create_url = "orgs:chain_create"
    create_perm = "orgs.manage"


class ChainDetail(ObjectDetailView):
    model = Chain
    template_name = "orgs/chain_detail.html"
    select_related = ["zone", "chief_department"]

    def extra_context(self, chain):
        user = self.request.user
        memberships = (ChainMembership.objects.visible_to(user).filter(chain=chain).select_related("enterprise", "node")
                       .order_by("-role", "enterprise__name"))
        nodes = list(chain.nodes.all())
        by_node = {n.pk: [] for n in nodes}
        unplaced = []
        for m in memberships[:500]:
            (by_node.get(m.node_id) if m.node_id in by_node else unplaced).append(m)
        return {
            "nodes": [(n, by_node[n.pk]) for n in nodes],
            "unplaced": unplaced,
            "n_firms": memberships.count(),
            "party_orgs": PartyOrg.objects.visible_to(user).filter(chain=chain).select_related("parent")[:50],
            "vanguard_teams": VanguardTeam.objects.visible_to(user).filter(chain=chain).select_related("lead_org"),
            "pairings": Pairing.objects.visible_to(user).filter(
                Q(chain=chain) | Q(party_org__chain=chain)).select_related("party_org"),
            "diagram": diagram.one_plus_two_plus_n(chain),
        }


class ChainEdit(ObjectEditView):
    model = Chain
    form_class = forms.ChainForm
    success_url_name = "orgs:chain_detail"
    create_perm = "orgs.manage"


# --- enterprises -------------------------------------------------------------------------------------


class EnterpriseList(ObjectListView):
    model = Enterprise
    listing = tables.ENTERPRISES
    title = "企业"
    columns = tables.ENTERPRISE_COLUMNS
    excel_spec = excel.ENTERPRISE
    create_url = "orgs:enterprise_create"
    create_perm = "orgs.manage"


class EnterpriseDetail(ObjectDetailView):
    model = Enterprise
    template_name = "orgs/enterprise_detail.html"
    select_related = ["zone"]

    def extra_context(self, ent):
        user = self.request.user
        orgs = PartyOrg.objects.visible_to(user).filter(enterprise=ent)
        return {
            "memberships": ent.memberships.select_related("chain", "node"),
            "party_orgs": orgs,
            "members_count": Member.objects.visible_to(user).filter(party_org__enterprise=ent).count(),
            "panels": enterprise_panels(self.request, ent),  # other strands' (orgs.extensions)
        }


class EnterpriseEdit(ObjectEditView):
    model = Enterprise
    form_class = forms.EnterpriseForm
    success_url_name = "orgs:enterprise_detail"
    create_perm = "orgs.manage"


# --- party organisations -----------------------------------------------------------------------------


class PartyOrgList(ObjectListView):
    model = PartyOrg
    listing = tables.PARTY_ORGS
    perm = "orgs.view_party"
    title = "党组织"
    columns = tables.PARTYORG_COLUMNS
    excel_spec = excel.PARTY_ORG
    create_url = "orgs:partyorg_create"
    create_perm = "orgs.manage_party"


class PartyOrgDetail(ObjectDetailView):
    model = PartyOrg
    perm = "orgs.view_party"
    template_name = "orgs/partyorg_detail.html"
    select_related = ["parent", "zone", "chain", "enterprise", "department", "institution"]

    def extra_context(self, org):
        user = self.request.user
        return {
            "children": PartyOrg.objects.visible_to(user).filter(parent=org).annotate(n=Count("members")),
            "members_direct": Member.objects.visible_to(user).filter(party_org=org).count(),
            "members_total": Member.objects.visible_to(user).filter(party_org__path__startswith=org.path).count(),
            # the breadcrumb shows only the ancestors this user may open
            "ancestors": PartyOrg.objects.visible_to(user).filter(
                pk__in=[int(p) for p in org.path.strip("/").split("/")[:-1] if p]).order_by("depth"),
        }


class PartyOrgEdit(ObjectEditView):
    model = PartyOrg
    form_class = forms.PartyOrgForm
    success_url_name = "orgs:partyorg_detail"
    create_perm = "orgs.manage_party"


@login_required
def partyorg_tree(request):
    """The party organisation tree, lazily expanded with htmx (one level per request)."""
    if not request.user.has_perm_code("orgs.view_party"):
        raise Http404
    visible = PartyOrg.objects.visible_to(request.user)
    raw = (request.GET.get("parent") or "").strip()
    try:  # parsed at the edge like a list's parameters: a word or a huge number is a 400, not a 500
        parent = lists.parse_int("parent", "上级组织", raw) if raw else None
    except lists.BadParameter as exc:
        return render(request, "core/error.html", {"code": 400, "message": exc.message}, status=400)
    if parent:
        qs = visible.filter(parent_id=parent)
    else:
        # the user's top-most visible orgs: those whose parent is not visible to them
        qs = visible.exclude(parent__in=visible.values("pk")) if not request.user.is_platform_admin else visible.filter(
            parent__isnull=True)
    nodes = qs.annotate(n_children=Count("children", distinct=True)).order_by("kind", "name")[:300]
    template = "orgs/_tree_nodes.html" if parent else "orgs/partyorg_tree.html"
    return render(request, template, {"nodes": nodes, "title": "党组织树"})


# --- members -----------------------------------------------------------------------------------------


class MemberList(ObjectListView):
    model = Member
    listing = tables.MEMBERS
    perm = "orgs.view_party"
    title = "党员"
    columns = tables.MEMBER_COLUMNS
    excel_spec = excel.MEMBER
    create_url = "orgs:member_create"
    create_perm = "orgs.manage_party"

    def get_queryset(self):
        qs = super().get_queryset()
        chain = self.params["chain"]  # parsed at the edge: a positive id or None
        if chain is not None:
            # also the chain's zone (its members can be nowhere else): PostgreSQL then walks the
            # (zone, -id) index instead of every member backwards (0.3 s → ms at province scale)
            zone_id = (Chain.objects.visible_to(self.request.user).filter(pk=chain)
                       .values_list("zone_id", flat=True).first())
            if zone_id is not None:
                qs = qs.filter(zone_id=zone_id)
        return qs


class MemberDetail(ObjectDetailView):
    model = Member
    perm = "orgs.view_party"
    template_name = "orgs/member_detail.html"
    select_related = ["party_org", "zone"]

    def extra_context(self, member):
        return {"personal": services.personal_data(self.request.user, member),
                "moves": member.moves.select_related("from_org", "to_org", "transfer")}


class MemberEdit(ObjectEditView):
    model = Member
    form_class = forms.MemberForm
    success_url_name = "orgs:member_detail"
    create_perm = "orgs.manage_party"
    template_name = "orgs/member_form.html"

    def _render(self, form, obj, status=200):
        verbose = self.model._meta.verbose_name
        title = f"编辑{verbose}：{obj}" if obj else f"新增{verbose}"
        # the one refusal that needs a way on: an ID number registered outside the writer's scope
        transfer = services.TRANSFER_REQUIRED in (form.errors.get("id_number") or [])
        return render(self.request, self.template_name, {"form": form, "object": obj, "title": title,
                                                         "transfer_required": transfer}, status=status)


# --- 组织关系转接 ------------------------------------------------------------------------------------


class TransferList(ObjectListView):
    """Transfers in and out of the user's orgs — search, state / direction / date filters, Excel export, capped
    paging from the list machinery — with 同意/拒绝/撤销 (the declaration's buttons) for those who may. The
    sending org shows to the receiving side only once accepted; search never reaches it or the member's name
    (a requester could probe them)."""

    model = MemberTransfer
    listing = tables.TRANSFERS
    perm = "orgs.view_party"
    title = "组织关系转接"
    excel_spec = excel.TRANSFER
    template_name = "orgs/transfer_list.html"

    @property
    def columns(self) -> list[Column]:
        user, token = self.request.user, get_token(self.request)

        def from_org(t):
            shown = transfers.shown_from_org(t, user)
            return shown.name if shown else format_html('<span class="text-muted">{}</span>', "待转出方审核后显示")

        def actions(t):
            # no request: its context processors would run once per row; the form needs only the token
            return render_to_string("orgs/_transfer_actions.html",
                                    {"t": t, "actions": TRANSFER.allowed_actions(t, user), "csrf_token": token})

        return [
            Column("姓名（申请填写）", "requested_name", link="orgs:transfer_detail", order="requested_name"),
            Column("公民身份号码", "member.id_masked"),
            Column("转出党组织", "from_org", render=from_org),
            Column("转入党组织", "to_org.name"),
            Column("状态", "state", render=lambda t: t.get_state_display(), order="state"),
            Column("申请时间", "requested_at", order="requested_at",
                   render=lambda t: timezone.localtime(t.requested_at).strftime("%Y-%m-%d %H:%M")),
            Column("操作", "pk", render=actions),
        ]

    def extra_context(self) -> dict:
        return {"can_request": self.request.user.has_perm_code("orgs.manage_party")}


@login_required
def transfer_detail(request, pk):
    if not request.user.has_perm_code("orgs.view_party"):
        raise Http404("未找到该页面，或您无权访问")
    t = transfers.get_transfer_for_user(request.user, pk)
    return render(request, "orgs/transfer_detail.html", {
        "title": f"组织关系转接：{t.requested_name}", "t": t, "from_org": transfers.shown_from_org(t, request.user),
        "actions": TRANSFER.allowed_actions(t, request.user), "history": transfers.history_for(t, request.user)})


@login_required
def transfer_transition(request, pk):
    t = transfers.get_transfer_for_user(request.user, pk)  # out of scope: 404 before anything else
    if request.method != "POST":
        return redirect("orgs:transfer_detail", pk=t.pk)
    try:
        t = TRANSFER.transition(t, request.POST.get("action", ""), actor=request.user,
                                note=request.POST.get("note", ""),
                                expected_state=request.POST.get("expected_state") or None)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"组织关系转接{t.get_state_display()}")
    return redirect("orgs:transfer_detail", pk=t.pk)


@login_required
def transfer_create(request):
    """The receiving org's request (reached from the member form's refusal)."""
    if not request.user.has_perm_code("orgs.manage_party"):
        raise Http404("未找到该页面，或您无权访问")
    form = forms.TransferRequestForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            t = transfers.request_transfer(actor=request.user, id_number=d["id_number"], name=d["name"],
                                           to_org=d["to_org"], note=d["note"])
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "已发起组织关系转接，待转出方审核")
            return redirect("orgs:transfer_detail", pk=t.pk)
    return render(request, "core/object_form.html", {"form": form, "title": "发起组织关系转接"},
                  status=400 if form.errors else 200)


# --- the smaller lists -------------------------------------------------------------------------------


class CultivationList(ObjectListView):
    model = Cultivation
    listing = tables.CULTIVATIONS
    perm = "orgs.view_party"
    title = "双培养"
    columns = tables.CULTIVATION_COLUMNS
    create_url = "orgs:cultivation_create"
    create_perm = "orgs.manage_party"
    template_name = "orgs/cultivation_list.html"

    def extra_context(self):
        return {"funnel": services.cultivation_funnel(self.get_queryset().order_by())}


class CultivationDetail(ObjectDetailView):
    """One person in the pipeline: the stage, when the next step falls due and why, its moves and history."""

    model = Cultivation
    perm = "orgs.view_party"
    template_name = "orgs/cultivation_detail.html"
    select_related = ["party_org", "member"]

    def extra_context(self, c):
        from .cultivation import CULTIVATION, due_on, next_rule

        return {"actions": CULTIVATION.allowed_actions(c, self.request.user), "due_on": due_on(c),
                "rule": next_rule(c), "history": CULTIVATION.history(c),
                "today": timezone.localdate()}


@login_required
def cultivation_transition(request, pk):
    """One step of 双培养 (the rules refuse it in Chinese when its time is not up)."""
    from .cultivation import CULTIVATION

    c = get_for_user(Cultivation, request.user, pk)
    if request.method != "POST":
        return redirect("orgs:cultivation_detail", pk=c.pk)
    try:
        c = CULTIVATION.transition(c, request.POST.get("action", ""), actor=request.user,
                                   note=request.POST.get("note", ""),
                                   expected_state=request.POST.get("expected_state") or None)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{c.person_name}：{c.get_stage_display()}")
    return redirect("orgs:cultivation_detail", pk=c.pk)


class CultivationEdit(ObjectEditView):
    model = Cultivation
    form_class = forms.CultivationForm
    success_url_name = "orgs:cultivation_detail"
    create_perm = "orgs.manage_party"


class PairingList(ObjectListView):
    model = Pairing
    title = "结对共建"
    columns = [Column("本方党组织", "party_org.name", link="orgs:pairing_detail"),
               Column("类型", "kind", dict_code="pairing_kind"), Column("结对单位", "partner_name"),
               Column("产业链", "chain.name"), Column("签约日期", "signed_on", order="signed_on")]
    filters = [tables.ZONE, tables.CHAIN, tables.Filter("kind", "类型", "kind", "pairing_kind")]
    search_fields = ["partner_name", "content"]
    select_related = ["party_org", "chain"]
    create_url = "orgs:pairing_create"
    create_perm = "orgs.manage"


class PairingDetail(GenericDetailView):
    model = Pairing
    url_prefix = "orgs:pairing"


class PairingEdit(ObjectEditView):
    model = Pairing
    form_class = forms.PairingForm
    success_url_name = "orgs:pairing_detail"
    create_perm = "orgs.manage"


class VanguardList(ObjectListView):
    model = VanguardTeam
    title = "党员先锋队"
    columns = [Column("队伍名称", "name", link="orgs:vanguard_detail"), Column("类型", "kind", dict_code="vanguard_kind"),
               Column("产业链", "chain.name"), Column("牵头党组织", "lead_org.name"), Column("队长", "leader_name"),
               Column("成立日期", "established_on", order="established_on")]
    filters = [tables.ZONE, tables.CHAIN, tables.Filter("kind", "类型", "kind", "vanguard_kind")]
    search_fields = ["name", "focus"]
    select_related = ["chain", "lead_org"]
    create_url = "orgs:vanguard_create"
    create_perm = "orgs.manage"


class VanguardDetail(GenericDetailView):
    model = VanguardTeam
    url_prefix = "orgs:vanguard"


class VanguardEdit(ObjectEditView):
    model = VanguardTeam
    form_class = forms.VanguardTeamForm
    success_url_name = "orgs:vanguard_detail"
    create_perm = "orgs.manage"


class DepartmentList(ObjectListView):
    model = Department
    title = "职能部门"
    columns = [Column("部门名称", "name", link="orgs:department_detail", order="name"), Column("园区", "zone.name"),
               Column("简称", "short_name"), Column("联系人", "contact_name"), Column("联系电话", "contact_phone")]
    filters = [tables.ZONE]
    search_fields = ["name", "duties"]
    select_related = ["zone"]
    create_url = "orgs:department_create"
    create_perm = "orgs.manage"


class DepartmentDetail(GenericDetailView):
    model = Department
    url_prefix = "orgs:department"


class DepartmentEdit(ObjectEditView):
    model = Department
    form_class = forms.DepartmentForm
    success_url_name = "orgs:department_detail"
    create_perm = "orgs.manage"


class InstitutionList(ObjectListView):
    model = Institution
    title = "高校/院所"
    columns = [Column("名称", "name", link="orgs:institution_detail", order="name"),
               Column("类型", "kind", dict_code="institution_kind"), Column("合作园区", "zone.name"),
               Column("联系人", "contact_name")]
    filters = [tables.ZONE, tables.Filter("kind", "类型", "kind", "institution_kind")]
    search_fields = ["name"]
    select_related = ["zone"]
    create_url = "orgs:institution_create"
    create_perm = "orgs.manage"


class InstitutionDetail(GenericDetailView):
    model = Institution
    url_prefix = "orgs:institution"


class InstitutionEdit(ObjectEditView):
    model = Institution
    form_class = forms.InstitutionForm
    success_url_name = "orgs:institution_detail"
    create_perm = "orgs.manage"


# --- Excel import ------------------------------------------------------------------------------------


@login_required
def import_view(request):
    """Upload a workbook: every row is checked; any problem imports nothing and is listed per row and column."""
    if not request.user.has_perm_code("orgs.import"):
        raise Http404
    kind = request.POST.get("kind") or request.GET.get("kind") or "enterprises"
    if kind not in excel.SPECS:
        raise Http404
    result = import_upload(request, excel.SPECS[kind])
    return render(request, "orgs/import.html", {"kind": kind, "specs": excel.SPECS, "result": result,
                                                "title": "Excel 导入"})


@login_required
def import_template(request, kind):
    spec = excel.SPECS.get(kind)
    if spec is None:
        raise Http404
    return template_download(spec, spec.title + "导入模板")





# --- chain nodes and memberships ---------------------------------------------------------------------


@login_required
def chain_nodes(request, pk):
    """A chain's nodes: list, add and rename (chain committee, zone staff and admins)."""
    chain = get_for_user(Chain, request.user, pk, for_write=True)
    form = forms.ChainNodeForm(request.POST or None, user=request.user, chain=chain,
                               instance=chain.nodes.filter(pk=request.POST.get("node_id") or 0).first())
    if request.method == "POST" and form.is_valid():
        try:
            form.save(actor=request.user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "环节已保存")
            return redirect("orgs:chain_nodes", pk=chain.pk)
    nodes = chain.nodes.annotate(n=Count("memberships"))
    return render(request, "orgs/chain_nodes.html", {"chain": chain, "nodes": nodes, "form": form,
                                                     "title": f"{chain.name} · 环节管理"},
                  status=400 if request.method == "POST" else 200)


@login_required
def enterprise_membership(request, pk):
    """Put a firm on a chain (or change its node and role there)."""
    ent = get_for_user(Enterprise, request.user, pk, for_write=True)
    form = forms.MembershipForm(request.POST or None, user=request.user, enterprise=ent)
    if request.method == "POST" and form.is_valid():
        try:
            form.save(actor=request.user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "链上信息已保存")
            return redirect("orgs:enterprise_detail", pk=ent.pk)
    return render(request, "core/object_form.html", {"form": form, "object": ent,
                                                     "title": f"{ent.name} · 加入产业链/调整环节"},
                  status=400 if request.method == "POST" else 200)
