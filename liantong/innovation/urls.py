from django.urls import path

from . import views

app_name = "innovation"


def crud(prefix, list_view, edit_view, detail_view):
    return [path(f"{prefix}/", list_view.as_view(), name=f"{prefix}_list"),
            path(f"{prefix}/new/", edit_view.as_view(), name=f"{prefix}_create"),
            path(f"{prefix}/<int:pk>/edit/", edit_view.as_view(), name=f"{prefix}_edit"),
            path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{prefix}_detail")]


urlpatterns = [
    *crud("challenge", views.ChallengeList, views.ChallengeEdit, views.ChallengeDetail),
    path("challenge/<int:pk>/transition/", views.challenge_transition, name="challenge_transition"),
    path("challenge/<int:pk>/bid/", views.bid_create, name="bid_create"),
    path("bid/", views.BidList.as_view(), name="bid_list"),
    path("consortium/", views.ConsortiumList.as_view(), name="consortium_list"),
    path("consortium/<int:pk>/", views.ConsortiumDetail.as_view(), name="consortium_detail"),
    path("consortium/<int:pk>/milestone/", views.milestone_add, name="milestone_add"),
    path("milestone/", views.MilestoneList.as_view(), name="milestone_list"),
    path("milestone/<int:pk>/transition/", views.milestone_transition, name="milestone_transition"),
    *crud("achievement", views.AchievementList, views.AchievementEdit, views.AchievementDetail),
    path("achievement/<int:pk>/transition/", views.achievement_transition, name="achievement_transition"),
    *crud("contract", views.ContractList, views.ContractEdit, views.ContractDetail),
    *crud("incubated", views.IncubatedList, views.IncubatedEdit, views.IncubatedDetail),
    *crud("qualification", views.QualificationList, views.QualificationEdit, views.QualificationDetail),
    *crud("policy", views.PolicyList, views.PolicyEdit, views.PolicyDetail),
    path("firm/<int:pk>/policies/", views.firm_policies, name="firm_policies"),
    path("assessment/", views.AssessmentList.as_view(), name="assessment_list"),
    path("assessment/<int:pk>/", views.AssessmentDetail.as_view(), name="assessment_detail"),
    path("assess/", views.assess_page, name="assess"),
    path("pool/", views.pool, name="pool"),
    *crud("coaching", views.CoachingList, views.CoachingEdit, views.CoachingDetail),
]
