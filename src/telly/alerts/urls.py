from django.urls import path

from telly.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("rotate/", views.rotate_secret, name="rotate"),
    path("<str:secret>/calendar.ics", views.ical_feed, name="ical"),
    path("<str:secret>/guide.xml", views.xmltv_feed, name="xmltv"),
]
