"""The per-process session cache: whatever ends or changes a session reaches a
token already cached, and a cached row that looks over is read again first."""
from conftest import auth, create, login
from store import models, sessions as store_sessions
from store.cache import RowCache


def _cached(token):
    return store_sessions._cache.get(token)


def test_a_used_token_is_cached_and_logout_ends_it(client, admin):
    who = login(client, create(client, admin)["username"])
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 200
    assert _cached(who["token"]) is not None
    assert client.post("/api/v4/users/logout", headers=auth(who)).status_code == 200
    assert _cached(who["token"]) is None
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 401


def test_revoking_a_cached_session_refuses_it(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 200
    session_id = models.Session.get(models.Session.token == who["token"]).id
    response = client.post("/api/v4/users/%s/sessions/revoke" % user["id"], json={"session_id": session_id},
                           headers=auth(admin))
    assert response.status_code == 200, response.get_json()
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 401


def test_deactivating_a_user_refuses_their_cached_token(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 200
    assert client.delete("/api/v4/users/%s" % user["id"], headers=auth(admin)).status_code == 200
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 401
    assert not models.Session.select().where(models.Session.user_id == user["id"]).exists()


def test_a_role_change_reaches_a_cached_session(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    assert client.get("/api/v4/config", headers=auth(who)).status_code == 403
    response = client.put("/api/v4/users/%s/roles" % user["id"], json={"roles": "system_user system_admin"},
                          headers=auth(admin))
    assert response.status_code == 200
    assert client.get("/api/v4/config", headers=auth(who)).status_code == 200


def test_a_cached_row_that_looks_expired_is_read_again(client, admin):
    who = login(client, create(client, admin)["username"])
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 200
    # Another process extended the session; this process's copy is old.
    _cached(who["token"]).expires_at = 1
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 200
    assert _cached(who["token"]).expires_at > 1


def test_an_expired_session_is_ended_even_when_cached(client, admin):
    who = login(client, create(client, admin)["username"])
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 200
    models.Session.update(expires_at=1).where(models.Session.token == who["token"]).execute()
    _cached(who["token"]).expires_at = 1
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 401
    assert not models.Session.select().where(models.Session.token == who["token"]).exists()


def test_cached_rows_are_read_again_after_a_while(client, admin, monkeypatch):
    user = create(client, admin)
    who = login(client, user["username"])
    assert client.get("/api/v4/config", headers=auth(who)).status_code == 403
    # A change made behind the store's back (another tool on the database).
    models.Session.update(roles="system_user system_admin").where(models.Session.token == who["token"]).execute()
    assert client.get("/api/v4/config", headers=auth(who)).status_code == 403
    monkeypatch.setattr(store_sessions._cache, "seconds", 0)
    assert client.get("/api/v4/config", headers=auth(who)).status_code == 200


def test_invalidate_caches_drops_sessions(client, admin):
    who = login(client, create(client, admin)["username"])
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 200
    assert _cached(who["token"]) is not None
    assert client.post("/api/v4/caches/invalidate", headers=auth(admin)).status_code == 200
    assert _cached(who["token"]) is None


def test_the_cache_is_bounded():
    cache = RowCache("test: bounded", 60, 3)
    rows = [models.Session(id=str(i), token="t%d" % i, user_id="u") for i in range(5)]
    for row in rows:
        cache.put(row.token, row)
    assert [cache.get("t%d" % i) is not None for i in range(5)] == [False, False, True, True, True]
    cache.forget(where=lambda row: row.user_id == "u")
    assert cache.rows == {}
