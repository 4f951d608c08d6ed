import pytest
from django.test import Client

from telly.accounts.models import ApiToken, Follow
from telly.alerts.models import Alert


@pytest.mark.parametrize(
    "path",
    [
        "accounts/profile",
        "accounts/follow",
        "accounts/watchlistitem",
        "accounts/episodewatch",
        "accounts/apitoken",
        "alerts/alert",
        "alerts/alertsettings",
    ],
)
def test_editors_can_list_accounts_and_alerts(editor, owner, heartstopper, path):
    Follow.objects.create(user=owner, title=heartstopper)
    ApiToken.issue(owner)
    Alert.objects.create(user=owner, key="k", kind="new_credit", headline="h")
    client = Client()
    client.force_login(editor)
    assert client.get(f"/admin/{path}/").status_code == 200


def test_the_admin_needs_staff(owner_client):
    assert owner_client.get("/admin/alerts/alert/").status_code == 302
