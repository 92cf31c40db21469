"""Ancillary permissions of the System Console's subsections."""
from conftest import auth, create, login
from store import roles


def test_ancillary_permissions(client, admin):
    user = login(client, create(client, admin)["username"])
    asked = ["sysconsole_read_user_management_teams", "sysconsole_write_environment_smtp", "create_post"]
    answer = client.post("/api/v4/permissions/ancillary", json=asked, headers=auth(user))
    assert answer.status_code == 200
    assert answer.get_json() == asked + ["list_private_teams", "list_public_teams", "view_team", "test_email"]
    assert client.post("/api/v4/permissions/ancillary", json=[], headers=auth(user)).status_code == 400
    assert client.post("/api/v4/permissions/ancillary", json=asked).status_code == 401


def test_ancillary_table_names_only_known_permissions():
    known = roles.known_permissions()
    for subsection, brought in roles.ancillary_permissions().items():
        assert subsection in known and set(brought) <= known, subsection
