from django.urls import path

from telly.releases import views

app_name = "releases"
urlpatterns = [
    path("", views.release_calendar, name="calendar"),
]
