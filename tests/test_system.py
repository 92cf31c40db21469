"""System operations that need no accounts: ping, timezones, client config and license."""
from conftest import FakeSession


def test_ping_basic(client):
    response = client.get("/api/v4/system/ping")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.get_json() == {"ActiveSearchBackend": "database", "AndroidLatestVersion": "",
                                   "AndroidMinVersion": "", "IosLatestVersion": "", "IosMinVersion": "",
                                   "status": "OK"}


def test_ping_with_server_status(client):
    body = client.get("/api/v4/system/ping?get_server_status=true").get_json()
    assert body["status"] == "OK"
    assert body["database_status"] == "OK"
    assert body["filestore_status"] == "OK"
    assert "root_status" not in body


def test_ping_root_status_for_admins(client, sessions):
    sessions["admin"] = FakeSession(permissions={"manage_system"})
    body = client.get("/api/v4/system/ping?get_server_status=true",
                      headers={"Authorization": "Bearer admin"}).get_json()
    assert isinstance(body["root_status"], bool)


def test_ping_device_id(client):
    assert client.get("/api/v4/system/ping?device_id=abc").get_json()["CanReceiveNotifications"] == "unknown"


def test_ping_unhealthy_filestore(tmp_path, app_factory):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    c = app_factory(FileSettings={"Directory": str(blocker / "files")}).test_client()
    response = c.get("/api/v4/system/ping?get_server_status=true")
    assert response.status_code == 500
    assert response.get_json()["filestore_status"] == "UNHEALTHY"
    assert response.get_json()["status"] == "UNHEALTHY"
    rest = c.get("/api/v4/system/ping?get_server_status=true&use_rest_semantics=true")
    assert rest.status_code == 200 and rest.get_json()["status"] == "UNHEALTHY"
    assert c.get("/api/v4/system/ping").status_code == 200


def test_timezones_need_a_session(client):
    assert client.get("/api/v4/system/timezones").status_code == 401


def test_timezones(client, sessions):
    sessions["tok"] = FakeSession()
    zones = client.get("/api/v4/system/timezones", headers={"Authorization": "Bearer tok"}).get_json()
    assert zones == sorted(zones)
    assert {"America/New_York", "Europe/Kyiv", "Asia/Tokyo", "UTC"} <= set(zones)
    assert "Factory" not in zones
    assert len(zones) > 590


def test_client_config_anonymous(client):
    body = client.get("/api/v4/config/client?format=old").get_json()
    for key in ("Version", "BuildNumber", "SiteName", "SiteURL", "EnableSignInWithEmail",
                "EnableSignInWithUsername", "EnableSignUpWithEmail", "EnableUserCreation",
                "EnableOpenServer", "WebsocketURL", "DiagnosticId", "NoAccounts"):
        assert key in body, key
    assert all(isinstance(v, str) for v in body.values())
    assert body["SiteName"] == "Mattermost"
    assert body["EnableUserCreation"] == "true"
    assert body["NoAccounts"] == "true"
    assert "EnableCommands" not in body  # only logged-in users see the full config
    assert client.get("/api/v4/config/client").get_json() == body


def test_client_config_for_a_session(client, sessions):
    sessions["tok"] = FakeSession()
    body = client.get("/api/v4/config/client?format=old", headers={"Authorization": "Bearer tok"}).get_json()
    assert body["EnableCommands"] == "true"
    assert body["SchemaVersion"] == str(__import__("store.migrations").migrations.MIGRATIONS[-1][0])
    assert body["InstallationDate"].isdigit()


def test_client_config_follows_the_config(app_factory):
    app = app_factory(TeamSettings={"SiteName": "Elsewhere", "EnableOpenServer": True})
    body = app.test_client().get("/api/v4/config/client?format=old").get_json()
    assert body["SiteName"] == "Elsewhere" and body["EnableOpenServer"] == "true"


def test_client_config_unknown_format(client):
    assert client.get("/api/v4/config/client?format=new").status_code == 400


def test_client_license_unlicensed(client):
    response = client.get("/api/v4/license/client?format=old")
    assert response.status_code == 200
    assert response.get_json() == {"IsLicensed": "false"}


def test_client_logs(client, sessions):
    assert client.post("/api/v4/logs", json={"level": "ERROR", "message": "x"}).status_code == 403
    sessions["tok"] = FakeSession()
    response = client.post("/api/v4/logs", json={"level": "ERROR", "message": "m" * 500},
                           headers={"Authorization": "Bearer tok"})
    assert response.status_code == 200
    assert response.get_json()["message"].startswith("Client Logs API Endpoint Message: ")
    assert len(response.get_json()["message"]) < 450
    forged = client.post("/api/v4/logs", json={"level": "INFO", "message": "a\nERROR forged"},
                         headers={"Authorization": "Bearer tok"}).get_json()["message"]
    assert "\n" not in forged


def test_websocket_without_upgrade(client):
    response = client.get("/api/v4/websocket")
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.web_socket.connect.upgrade.app_error"
