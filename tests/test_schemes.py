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
