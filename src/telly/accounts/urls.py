from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from telly.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path(
        "logout/",
        auth_views.LogoutView.as_view(template_name="accounts/logged_out.html"),
        name="logout",
    ),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset.txt",
            html_email_template_name="accounts/email/password_reset.html",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("profile/", views.profile_edit, name="profile"),
    path("watchlist/", views.watchlist_page, name="watchlist"),
    path("watchlist/<int:title_id>/", views.watchlist_toggle, name="watchlist_toggle"),
    path("follows/", views.follows_page, name="follows"),
    path("follows/<int:follow_id>/delete/", views.unfollow, name="unfollow"),
    path("follow/title/<int:title_id>/", views.follow_title, name="follow_title"),
    path("follow/person/<int:person_id>/", views.follow_person, name="follow_person"),
    path("progress/", views.progress_page, name="progress"),
    path("watched/", views.mark_watched, name="mark_watched"),
    path("calendar/", views.my_calendar, name="calendar"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("export/", views.export_data, name="export"),
    path("delete/", views.delete_account, name="delete"),
]
