from django.urls import path

from telly.streaming import views

app_name = "streaming"
urlpatterns = [
    path("", views.index, name="index"),
    path("titles/", views.titles, name="titles"),
    path("<slug:slug>/", views.provider_detail, name="provider"),
]
