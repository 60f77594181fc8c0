"""Supply and demand (供需对接): listings, contact requests, deals, matchmaking meetings, revenues.

Listings keep pre-segmented search tokens beside their text (``tokens``, see docs/search.md); the
matching engine (the ``engine`` package) is fed from them through ``index.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liantong.core.models import ScopedManager, Zone
from liantong.core.scoping import Scope
from liantong.core.textsearch import Searchable
from liantong.orgs.models import Chain, ChainNode, Enterprise

DESCRIPTION_MAX = 5000
NOTE_MAX = 500


class ListingKind(models.TextChoices):
    SUPPLY = "supply", _("供给/产能")
    DEMAND = "demand", _("需求/采购")
    SCENARIO = "scenario", _("开放场景")


class ListingStatus(models.TextChoices):
    OPEN = "open", _("发布中")
    CLOSED = "closed", _("已关闭")
    EXPIRED = "expired", _("已过期")


class ContactStatus(models.TextChoices):
    PENDING = "pending", _("待回复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已婉拒")
    WITHDRAWN = "withdrawn", _("已撤回")


class ContractStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("洽谈中")
    SIGNED = "signed", _("已签约")
    PERFORMING = "performing", _("履约中")
    COMPLETED = "completed", _("已完成")
    TERMINATED = "terminated", _("已终止")


def _firm_side(*lookups: str):
    def q(enterprise_id) -> Q:
        out = Q(pk__in=[])
        for lk in lookups:
            out |= Q(**{lk: enterprise_id})
        return out

    return q


def _on_chain(lookup: str):
    def q(chain_id) -> Q:
        from liantong.orgs.models import ChainMembership

        return Q(**{f"{lookup}__in": ChainMembership.objects.filter(chain_id=chain_id).values("enterprise_id")})

    return q


class Listing(Searchable):
    """A firm's supply (供给/产能), demand (需求/采购) or a chain master's opened scenario (开放场景)."""

    # title and keywords by characters; title, keywords and description by the engine's concepts (``tokens``)
    search_sources = ("title", "keywords")
    search_extra_fields = ("tokens",)

    def search_extra(self) -> list[str]:
        return (self.tokens or "").split()

    @classmethod
    def search_concepts(cls, text: str) -> list[str]:
        from .engine import tokenize

        return [t for t in dict.fromkeys(tokenize(text)) if t.strip()]

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="listings",
                                   verbose_name=_("发布企业"))
    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="listings", verbose_name=_("产业链"))
    node = models.ForeignKey(ChainNode, null=True, blank=True, on_delete=models.SET_NULL, related_name="listings",
                             verbose_name=_("所在环节"))
    kind = models.CharField(_("类型"), max_length=10, choices=ListingKind.choices)
    title = models.CharField(_("标题"), max_length=120)
    description = models.TextField(_("详细说明"), max_length=DESCRIPTION_MAX, blank=True,
                                   validators=[MaxLengthValidator(DESCRIPTION_MAX)])
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    category = models.CharField(_("类别"), max_length=30, blank=True)
    quantity = models.CharField(_("数量/规模"), max_length=100, blank=True)
    region = models.CharField(_("地区"), max_length=60, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.OPEN)
    ref = models.CharField(_("外部编号"), max_length=40, blank=True,
                           help_text=_("导入时的编号，用于重复导入时更新同一条"))
    tokens = models.TextField(_("检索词"), blank=True, editable=False)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", enterprise="enterprise_id", owner="created_by", public=True)

    class Meta:
        verbose_name = _("供需信息")
        verbose_name_plural = _("供需信息")
        ordering = ["-id"]
        indexes = [models.Index(fields=["zone", "status", "kind"]), models.Index(fields=["zone", "-id"]),
                   models.Index(fields=["chain", "status"]), models.Index(fields=["enterprise", "status"])]
        constraints = [models.UniqueConstraint(fields=["zone", "ref"], condition=~Q(ref=""),
                                               name="listing_unique_ref")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_expired(self) -> bool:
        import datetime

        return bool(self.valid_until and self.valid_until < datetime.date.today())

    @property
    def is_matchable(self) -> bool:
        return self.status == ListingStatus.OPEN and not self.is_expired


class IndexState(models.Model):
    """One row: a version number that services bump on every listing change, so that every
    process's in-memory match index notices the change and applies it (see ``index.py``)."""

    version = models.PositiveBigIntegerField(default=0)
    removals = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("匹配索引版本")


class MatchmakingMeeting(models.Model):
    """A matchmaking meeting (对接会); deals made there point to it."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属园区"))
    chain = models.ForeignKey(Chain, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings",
                              verbose_name=_("产业链"))
    title = models.CharField(_("会议名称"), max_length=120)
    held_on = models.DateField(_("举办日期"))
    venue = models.CharField(_("地点"), max_length=120, blank=True)
    organiser = models.CharField(_("主办单位"), max_length=120, blank=True)
    description = models.TextField(_("会议简介"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX)])
    attendance = models.PositiveIntegerField(_("参会人次"), default=0)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", public=True)

    class Meta:
        verbose_name = _("对接会")
        verbose_name_plural = _("对接会")
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "title"], name="meeting_unique_title")]

    def __str__(self) -> str:
        return self.title


class ContactRequest(models.Model):
    """有意向: one side tells the other it is interested in a listing; the other side answers."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="contacts",
                                verbose_name=_("对方供需信息"))
    from_listing = models.ForeignKey(Listing, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("我方供需信息"))
    requester = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="contacts_sent",
                                  verbose_name=_("发起企业"))
    responder = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="contacts_received",
                                  verbose_name=_("回复企业"))
    message = models.CharField(_("留言"), max_length=500, blank=True)
    reply = models.CharField(_("回复"), max_length=500, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ContactStatus.choices, default=ContactStatus.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = ScopedManager()
    scope = Scope(chain="listing__chain_id", enterprise=_firm_side("requester_id", "responder_id"),
                  owner="created_by")

    class Meta:
        verbose_name = _("对接意向")
        verbose_name_plural = _("对接意向")
        ordering = ["-id"]
        indexes = [models.Index(fields=["zone", "status"]), models.Index(fields=["responder", "status"]),
                   models.Index(fields=["requester", "status"])]
        constraints = [models.UniqueConstraint(fields=["listing", "requester"], condition=Q(status="pending"),
                                               name="contact_one_pending")]

    def __str__(self) -> str:
        return f"{self.requester} → {self.listing}"


class Deal(models.Model):
    """A deal (对接成果/签约): an accepted match with its amount in 万元; feeds the revenue story."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    contact = models.OneToOneField(ContactRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="deal", verbose_name=_("对接意向"))
    chain = models.ForeignKey(Chain, null=True, blank=True, on_delete=models.SET_NULL, related_name="deals",
                              verbose_name=_("产业链"))
    supplier = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="deals_supplied",
                                 verbose_name=_("供方企业"))
    buyer = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="deals_bought",
                              verbose_name=_("需方企业"))
    title = models.CharField(_("签约内容"), max_length=120)
    amount = models.DecimalField(_("金额（万元）"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    signed_on = models.DateField(_("签约日期"))
    contract_status = models.CharField(_("合同状态"), max_length=12, choices=ContractStatus.choices,
                                       default=ContractStatus.SIGNED)
    meeting = models.ForeignKey(MatchmakingMeeting, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="deals", verbose_name=_("对接会"))
    note = models.CharField(_("备注"), max_length=NOTE_MAX, blank=True,
                            help_text=_("合同履约进展、变更原因等"))
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(chain="chain_id", enterprise=_firm_side("supplier_id", "buyer_id"), owner="created_by")

    class Meta:
        verbose_name = _("对接成果")
        verbose_name_plural = _("对接成果")
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["zone", "-signed_on"])]
        constraints = [models.UniqueConstraint(fields=["zone", "supplier", "buyer", "title"], name="deal_unique")]

    def __str__(self) -> str:
        return self.title


class EnterpriseRevenue(models.Model):
    """A firm's annual revenue (营业收入, 万元), so that supporting firms' growth is computed per chain."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="revenues",
                                   verbose_name=_("企业"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(1990)])
    revenue = models.DecimalField(_("营业收入（万元）"), max_digits=14, decimal_places=2,
                                  validators=[MinValueValidator(0)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = ScopedManager()
    scope = Scope(chain=_on_chain("enterprise_id"), enterprise="enterprise_id", owner="created_by")

    class Meta:
        verbose_name = _("企业营收")
        verbose_name_plural = _("企业营收")
        ordering = ["enterprise", "-year"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="revenue_unique_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"
