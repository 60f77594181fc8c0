from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("map/", views.map_index, name="map_index"),
    path("map/<int:pk>/", views.chain_map, name="map"),
    path("project/", views.ProjectList.as_view(), name="project_list"),
    path("project/new/", views.ProjectEdit.as_view(), name="project_create"),
    path("project/<int:pk>/", views.ProjectDetail.as_view(), name="project_detail"),
    path("project/<int:pk>/edit/", views.ProjectEdit.as_view(), name="project_edit"),
    path("project/<int:pk>/move/", views.project_move, name="project_move"),
    path("project/<int:pk>/follow-up/", views.project_follow_up, name="project_follow_up"),
    path("project/<int:pk>/branch/", views.project_branch, name="project_branch"),
    path("target/", views.TargetList.as_view(), name="target_list"),
    path("target/new/", views.TargetEdit.as_view(), name="target_create"),
    path("target/import/", views.target_import, name="target_import"),
    path("target/<int:pk>/", views.TargetDetail.as_view(), name="target_detail"),
    path("target/<int:pk>/edit/", views.TargetEdit.as_view(), name="target_edit"),
    path("target/<int:pk>/follow-up/", views.target_follow_up, name="target_follow_up"),
    path("taskforce/", views.TaskForceList.as_view(), name="taskforce_list"),
    path("taskforce/new/", views.TaskForceEdit.as_view(), name="taskforce_create"),
    path("taskforce/<int:pk>/", views.TaskForceDetail.as_view(), name="taskforce_detail"),
    path("taskforce/<int:pk>/edit/", views.TaskForceEdit.as_view(), name="taskforce_edit"),
    path("taskforce/<int:pk>/member/", views.taskforce_member, name="taskforce_member"),
    path("dashboard/", views.zone_dashboard, name="zone_dashboard_mine"),
    path("dashboard/zone/<int:pk>/", views.zone_dashboard, name="zone_dashboard"),
    path("dashboard/chain/<int:pk>/", views.chain_dashboard, name="chain_dashboard"),
    path("screen/", views.big_screen, name="screen_mine"),
    path("screen/<int:pk>/", views.big_screen, name="screen"),
    path("report/<int:pk>/", views.report_download, name="report"),
]
