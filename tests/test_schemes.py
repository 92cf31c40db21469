"""Schemes on a server without a license."""
from conftest import auth, create, login
from store import models


def test_schemes_as_unlicensed(client, admin):
    user = login(client, create(client, admin)["username"])
    assert client.get("/api/v4/schemes", headers=auth(user)).status_code == 403
    assert client.get("/api/v4/schemes", headers=auth(admin)).get_json() == []
    assert client.get("/api/v4/schemes?scope=other", headers=auth(admin)).status_code == 400
    created = client.post("/api/v4/schemes", json={"name": "s", "display_name": "S", "scope": "team"},
                          headers=auth(admin))
    assert created.status_code == 501 and created.get_json()["id"] == "api.scheme.create_scheme.license.error"
    # A scheme migrated from a licensed server is readable.
    models.Scheme.insert(id="s" * 26, name="migrated", display_name="Migrated", create_at=1, update_at=1,
                         scope="channel").execute()
    listed = client.get("/api/v4/schemes?scope=channel", headers=auth(admin)).get_json()
    assert [s["name"] for s in listed] == ["migrated"]
    assert client.get("/api/v4/schemes?scope=team", headers=auth(admin)).get_json() == []
    assert client.get("/api/v4/schemes/" + "s" * 26, headers=auth(admin)).get_json()["scope"] == "channel"
    assert client.get("/api/v4/schemes/" + "z" * 26, headers=auth(admin)).status_code == 404
    assert client.get("/api/v4/schemes/%s/teams" % ("s" * 26), headers=auth(admin)).status_code == 400
    assert client.put("/api/v4/schemes/%s/patch" % ("s" * 26), json={"name": "x"},
                      headers=auth(admin)).status_code == 501
    assert client.delete("/api/v4/schemes/" + "s" * 26, headers=auth(admin)).status_code == 501
    assert client.get("/api/v4/schemes").status_code == 401


def test_teams_and_channels_of_a_migrated_scheme(app, client, admin):
    from store import channels, teams
    scheme_id = "t" * 26
    models.Scheme.insert(id=scheme_id, name="teamscheme", display_name="Team scheme", create_at=1, update_at=1,
                         scope="team", default_team_user_role="team_user", default_channel_user_role="channel_user").execute()
    with app.app_context():
        team = teams.create({"display_name": "Schemed", "name": "schemed", "type": "O"})
        teams.update(team.id, {"scheme_id": scheme_id})
        teams.create({"display_name": "Plain", "name": "plainteam", "type": "O"})
    listed = client.get("/api/v4/schemes/%s/teams" % scheme_id, headers=auth(admin)).get_json()
    assert [t["id"] for t in listed] == [team.id]
    assert client.get("/api/v4/schemes/%s/channels" % scheme_id, headers=auth(admin)).status_code == 400
    channel_scheme = "s" * 26  # the channel scheme of the test above
    with app.app_context():
        town = channels.get_by_name(team.id, "town-square")
        channels.update(town.id, {"scheme_id": channel_scheme})
    listed = client.get("/api/v4/schemes/%s/channels" % channel_scheme, headers=auth(admin)).get_json()
    assert [c["id"] for c in listed] == [town.id]
    user = login(client, create(client, admin)["username"])
    assert client.get("/api/v4/schemes/%s/teams" % scheme_id, headers=auth(user)).status_code == 403
