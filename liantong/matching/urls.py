from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("listing/", views.ListingList.as_view(), name="listing_list"),
    path("listing/new/", views.ListingEdit.as_view(), name="listing_create"),
    path("listing/<int:pk>/", views.ListingDetail.as_view(), name="listing_detail"),
    path("listing/<int:pk>/edit/", views.ListingEdit.as_view(), name="listing_edit"),
    path("listing/<int:pk>/close/", views.listing_close, name="listing_close"),
    path("listing/<int:pk>/renew/", views.listing_renew, name="listing_renew"),
    path("listing/<int:pk>/interest/", views.listing_interest, name="listing_interest"),
    path("contact/", views.ContactList.as_view(), name="contact_list"),
    path("contact/<int:pk>/", views.ContactDetail.as_view(), name="contact_detail"),
    path("contact/<int:pk>/deal/", views.contact_deal, name="contact_deal"),
    path("contact/<int:pk>/<slug:action>/", views.contact_transition, name="contact_transition"),
    path("deal/", views.DealList.as_view(), name="deal_list"),
    path("deal/<int:pk>/", views.DealDetail.as_view(), name="deal_detail"),
    path("deal/<int:pk>/edit/", views.DealEdit.as_view(), name="deal_edit"),
    path("meeting/", views.MeetingList.as_view(), name="meeting_list"),
    path("meeting/new/", views.MeetingEdit.as_view(), name="meeting_create"),
    path("meeting/<int:pk>/", views.MeetingDetail.as_view(), name="meeting_detail"),
    path("meeting/<int:pk>/edit/", views.MeetingEdit.as_view(), name="meeting_edit"),
    path("revenue/", views.RevenueList.as_view(), name="revenue_list"),
    path("revenue/new/", views.RevenueEdit.as_view(), name="revenue_create"),
    path("revenue/<int:pk>/edit/", views.RevenueEdit.as_view(), name="revenue_edit"),
    path("chain/<int:pk>/growth/", views.chain_growth, name="chain_growth"),
    path("import/", views.import_view, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/template/<slug:kind>/", views.import_template, name="import_template"),
]
