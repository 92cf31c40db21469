"""Operations that answer without a session."""
import pytest

from conftest import FakeSession


def test_logout_expires_the_session_cookie(client):
    response = client.post("/api/v4/users/logout")
    assert response.status_code == 200
    assert response.get_json() == {"status": "OK"}
    cookies = response.headers.getlist("Set-Cookie")
    # Mattermost expires the session cookie only.
    assert any(c.startswith("MMAUTHTOKEN=;") and "Max-Age=0" in c and "HttpOnly" in c for c in cookies), cookies
    assert not any(c.startswith(("MMUSERID", "MMCSRF")) for c in cookies)


def test_webapp_plugins_none_installed(client):
    response = client.get("/api/v4/plugins/webapp")
    assert response.status_code == 200 and response.get_json() == []


def test_brand_image(client, app):
    assert client.get("/api/v4/brand/image").status_code == 404
    from store.files import FileStore
    png = b"\x89PNG\r\n\x1a\nfake"
    FileStore(app.config["MM_CONFIG"]["FileSettings"]["Directory"]).write("brand/image.png", png)
    response = client.get("/api/v4/brand/image")
    assert response.status_code == 200 and response.data == png and response.mimetype == "image/png"


@pytest.mark.parametrize("path", ["../../etc/passwd", "", "a\0b", "link/secret", "link/new"])
def test_file_store_refuses_paths_outside(tmp_path, path):
    from store.files import FileStore, FileStoreError
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text("s")
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    (store_dir / "link").symlink_to(outside)
    store = FileStore(str(store_dir))
    with pytest.raises(FileStoreError):
        store.read(path)
    with pytest.raises(FileStoreError):
        store.write(path, b"x")
    assert not (outside / "new").exists()


def test_file_store_reads_and_writes(tmp_path):
    from store.files import FileStore
    store = FileStore(str(tmp_path))
    assert store.read("a/b.txt") is None
    store.write("a/b.txt", b"one")
    store.write("a/b.txt", b"two")
    assert store.read("a/b.txt") == b"two"
    assert store.read("a") is None  # a directory is not a file
    assert store.check()


def test_cws_needs_enterprise(client):
    response = client.get("/api/v4/cloud/check-cws-connection")
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.server.cws.needs_enterprise_edition"


def test_saml_unavailable_as_on_team_edition(client):
    response = client.get("/api/v4/saml/metadata")
    assert response.status_code == 501
    assert response.get_json()["id"] == "api.admin.saml.not_available.app_error"


def test_marketplace_visit_needs_admin(client, sessions):
    body = {"name": "FirstAdminVisitMarketplace", "value": "true"}
    assert client.post("/api/v4/plugins/marketplace/first_admin_visit", json=body).status_code == 403
    sessions["user"] = FakeSession()
    assert client.post("/api/v4/plugins/marketplace/first_admin_visit", json=body,
                       headers={"Authorization": "Bearer user"}).status_code == 403
    sessions["admin"] = FakeSession(permissions={"manage_system"})
    admin = {"Authorization": "Bearer admin"}
    assert client.post("/api/v4/plugins/marketplace/first_admin_visit", json={"name": "Other", "value": "x"},
                       headers=admin).status_code == 400
    assert client.post("/api/v4/plugins/marketplace/first_admin_visit",
                       json={"name": "FirstAdminVisitMarketplace", "value": "x" * 2000},
                       headers=admin).status_code == 400
    response = client.post("/api/v4/plugins/marketplace/first_admin_visit", json=body, headers=admin)
    assert response.status_code == 200
    from store import system
    assert system.get("FirstAdminVisitMarketplace") == "true"


def test_incoming_webhook_payload_is_checked(client):
    response = client.post("/hooks/" + "a" * 26, data="not json", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["id"] == "web.incoming_webhook.parse.app_error"
    response = client.post("/hooks/" + "a" * 26, data={"payload": "{broken"})
    assert response.get_json()["id"] == "web.incoming_webhook.parse.app_error"
    response = client.post("/hooks/" + "a" * 26, data="[" * 100000 + "]" * 100000, content_type="application/json")
    assert response.status_code == 400


def test_team_invite_info_checks_the_id(client):
    response = client.get("/api/v4/teams/invite/short")
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.context.invalid_url_param.app_error"
