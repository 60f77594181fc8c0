from django.urls import path

from liantong.orgs.urls import crud

from . import views

app_name = "people"

urlpatterns = [
    *crud("need", views.NeedList, views.NeedEdit, views.NeedDetail),
    *crud("program", views.ProgramList, views.ProgramEdit, views.ProgramDetail),
    *crud("mentor", views.MentorList, views.MentorEdit, views.MentorDetail),
    *crud("trainee", views.TraineeList, views.TraineeEdit, views.TraineeDetail),
    *crud("placement", views.PlacementList, views.PlacementEdit, views.PlacementDetail),
    *crud("venue", views.VenueList, views.VenueEdit, views.VenueDetail),
    *crud("activity", views.ActivityList, views.ActivityEdit, views.ActivityDetail),
    *crud("post", views.PostList, views.PostEdit, views.PostDetail),
    *crud("manager", views.ManagerList, views.ManagerEdit, views.ManagerDetail),
    path("activity/<int:pk>/checkin/", views.activity_checkin, name="activity_checkin"),
    path("activity/<int:pk>/photos/", views.activity_photos, name="activity_photos"),
    path("activity/calendar/", views.activity_calendar, name="activity_calendar"),
    path("attendance/import/", views.attendance_import, name="attendance_import"),
    path("attendance/import/template/", views.attendance_template, name="attendance_template"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("org/<int:pk>/record/", views.org_record, name="org_record"),
    path("housekeeping/", views.housekeeping, name="housekeeping"),
]
