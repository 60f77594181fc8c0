from django.urls import path

from . import views

app_name = "resources"


def crud(prefix, list_view, edit_view, detail_view=None):
    out = [path(f"{prefix}/", list_view.as_view(), name=f"{prefix}_list"),
           path(f"{prefix}/new/", edit_view.as_view(), name=f"{prefix}_create"),
           path(f"{prefix}/<int:pk>/edit/", edit_view.as_view(), name=f"{prefix}_edit")]
    if detail_view is not None:
        out.append(path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{prefix}_detail"))
    return out


urlpatterns = [
    *crud("deptresource", views.DeptResourceList, views.DeptResourceEdit, views.DeptResourceDetail),
    path("deptresource/<int:pk>/cite/", views.deptresource_cite, name="deptresource_cite"),
    *crud("project", views.ProjectList, views.ProjectEdit, views.ProjectDetail),
    path("project/<int:pk>/milestone/", views.milestone_save, name="milestone_save"),
    path("project/<int:pk>/cite/", views.project_cite, name="project_cite"),
    *crud("shared", views.SharedList, views.SharedEdit, views.SharedDetail),
    path("shared/<int:pk>/book/", views.booking_create, name="booking_create"),
    path("booking/", views.BookingList.as_view(), name="booking_list"),
    path("booking/<int:pk>/transition/", views.booking_transition, name="booking_transition"),
    *crud("squad", views.SquadList, views.SquadEdit, views.SquadDetail),
    *crud("visit", views.VisitList, views.VisitEdit, views.VisitDetail),
    *crud("meeting", views.MeetingList, views.MeetingEdit, views.MeetingDetail),
    path("meeting/<int:pk>/resolution/", views.resolution_add, name="resolution_add"),
    path("resolution/", views.ResolutionList.as_view(), name="resolution_list"),
    path("resolution/<int:pk>/transition/", views.resolution_transition, name="resolution_transition"),
]
