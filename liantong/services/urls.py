from django.urls import path

from . import views

app_name = "services"

urlpatterns = [
    path("orders/", views.OrderList.as_view(), name="order_list"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/<int:pk>/", views.OrderDetail.as_view(), name="order_detail"),
    path("orders/<int:pk>/move/", views.order_move, name="order_move"),
    path("orders/<int:pk>/cite/", views.order_cite, name="order_cite"),
    path("queue/", views.DispatchQueue.as_view(), name="queue"),
    path("dept/", views.DeptInbox.as_view(), name="dept_inbox"),
    path("board/", views.SupervisionBoard.as_view(), name="board"),
    path("figures/", views.figures, name="figures"),
    path("inbox/", views.Inbox.as_view(), name="inbox"),
    path("inbox/<int:pk>/", views.notification_open, name="notification_open"),
    path("bundles/", views.BundleList.as_view(), name="bundle_list"),
    path("bundles/new/", views.bundle_create, name="bundle_create"),
    path("bundles/<int:pk>/", views.BundleDetail.as_view(), name="bundle_detail"),
    path("bundles/<int:pk>/rate/", views.bundle_rate, name="bundle_rate"),
]
