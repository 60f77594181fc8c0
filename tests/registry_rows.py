"""The sample row of each registered scoped model (``liantong/core/guarantees.py``): a row of the demo named
by the entry's ``sample`` lookups, or, where the demo has none, one made here through the strand's services."""

import datetime

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from liantong.core import guarantees, pii
from liantong.orgs import transfers
from liantong.orgs.models import Member, MemberMove, PartyOrg
from liantong.resources.models import Resolution, ResolutionCard

# --- rows the demo does not have --------------------------------------------------------------------------


def _transfer(personas):
    """A 白银 member asked for by firm_a's branch (镇江): seen from both sides."""
    member = Member.objects.filter(zone__short_name="白银").order_by("pk").first()
    to_org = PartyOrg.objects.get(name="镇江船厂设计所党支部")
    return transfers.request_transfer(actor=personas["firm_a"], id_number=pii.decrypt(member.id_encrypted),
                                      name=member.name, to_org=to_org)


def _move(personas):
    """Accepting that transfer moves the member into firm_a's branch and writes its move."""
    t = _transfer(personas)
    transfers.TRANSFER.transition(t, "accept", actor=personas["by_zone"])
    return MemberMove.objects.get(member_id=t.member_id)


def _resolution_card(personas):
    """A red card on dept_staff's resolution of the first joint meeting (the demo raised none)."""
    r = Resolution.objects.get(meeting__title="跨企党组织联席会（第一次）", owner_department__name="自然资源和规划分局")
    now = timezone.now()
    return ResolutionCard.objects.create(zone_id=r.zone_id, resolution=r, level="red", raised_at=now,
                                         due_at=now - datetime.timedelta(days=1))


FACTORIES = {"orgs.MemberTransfer": _transfer, "orgs.MemberMove": _move, "resources.ResolutionCard": _resolution_card}


def sample(entry, personas):
    model = apps.get_model(entry.model)
    if entry.sample is None:
        assert entry.model in FACTORIES, f"{entry.model}: the demo has no row, give it a factory here"
        return FACTORIES[entry.model](personas)
    row = model._base_manager.filter(**entry.sample).order_by("pk").first()
    assert row is not None, f"{entry.model}: no demo row matches {entry.sample}"
    return row


# --- the pages of the registry, shared by the query-count pins and the unscoped-read guard ---------------

# who opens the pages: the first of these who reads the sample row
OPENERS = ("zone_staff", "by_zone", "chain_staff", "dept_staff", "firm_a", "firm_b", "admin")


def _cases():
    out = []
    for e in guarantees.entries():
        if e.list_page:
            out.append((f"{e.model} list", e, "list"))
        if e.api_list:
            out.append((f"{e.model} api list", e, "api_list"))
        if e.page:
            out.append((f"{e.model} page", e, "page"))
        out += [(f"{e.model} api {path}", e, path) for path in e.api]
    return out


# (key, entry, what): what is "list", "api_list", "page" or an API detail path with ``{pk}``
CASES = _cases()


def opener(entry) -> str:
    return next(p for p in OPENERS if p in entry.readers)


def case_url(entry, what, personas) -> str:
    """The URL of one case: the list page, the API list, or the sample row's page / API detail."""
    if what == "list":
        return reverse(entry.list_page)
    if what == "api_list":
        return f"{entry.api_list}?page_size=50"
    row = sample(entry, personas)
    return reverse(entry.page, kwargs={"pk": row.pk}) if what == "page" else what.format(pk=row.pk)
