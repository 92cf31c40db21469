"""The per-process user cache (store.users): rows read by id are kept, every
change through the store reaches a row already cached, callers get their own
copies, and a read that raced a change does not keep what it read."""
from conftest import auth, create, login
from store import db, models, users as store_users
from store.cache import RowCache
from ws import events


def _cached(user_id):
    return store_users._cache.get(user_id)


def _me(client, who):
    response = client.get("/api/v4/users/me", headers=auth(who))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_read_user_is_cached_and_a_patch_is_seen_at_once(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    assert _me(client, who)["first_name"] == ""
    assert _cached(user["id"]) is not None
    response = client.put("/api/v4/users/me/patch", json={"first_name": "Ada"}, headers=auth(who))
    assert response.status_code == 200, response.get_json()
    assert _me(client, who)["first_name"] == "Ada"
    assert client.get("/api/v4/users/%s" % user["id"], headers=auth(admin)).get_json()["first_name"] == "Ada"


def test_role_deactivation_and_picture_changes_reach_cached_rows(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    _me(client, who)
    assert client.get("/api/v4/users/%s" % user["id"], headers=auth(admin)).status_code == 200
    response = client.put("/api/v4/users/%s/roles" % user["id"], json={"roles": "system_user system_admin"},
                          headers=auth(admin))
    assert response.status_code == 200
    assert _me(client, who)["roles"] == "system_user system_admin"
    assert client.get("/api/v4/users/%s/image" % user["id"], headers=auth(admin)).headers["ETag"] == "0"
    store_users.set_picture_updated(user["id"], 12345)
    assert _cached(user["id"]) is None
    assert client.get("/api/v4/users/%s" % user["id"], headers=auth(admin)).get_json()["last_picture_update"] == 12345
    assert client.delete("/api/v4/users/%s" % user["id"], headers=auth(admin)).status_code == 200
    assert client.get("/api/v4/users/%s" % user["id"], headers=auth(admin)).get_json()["delete_at"] > 0


def test_a_custom_status_change_reaches_the_cached_row(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    _me(client, who)
    status = {"emoji": "calendar", "text": "In a meeting"}
    response = client.put("/api/v4/users/%s/status/custom" % user["id"], json=status, headers=auth(who))
    assert response.status_code == 200, response.get_json()
    assert "customStatus" in _me(client, who)["props"]


def test_callers_get_their_own_copies(app, client, admin):
    user = create(client, admin)
    with app.app_context():
        first = store_users.get(user["id"])
        first.first_name = "changed"
        first.notify_props["email"] = "changed"
        second = store_users.get(user["id"])
    assert second is not first
    assert second.first_name == "" and second.notify_props.get("email") != "changed"


def test_many_by_id_mixes_cached_and_read_rows_in_username_order(app, client, admin):
    made = [create(client, admin) for _ in range(3)]
    ids = [u["id"] for u in made]
    with app.app_context():
        store_users.forget_cached(everyone=True)
        store_users.get(ids[1])            # one cached, two read
        assert _cached(ids[0]) is None
        found = store_users.get_many(ids=ids + [ids[1], "nosuchuserxxxxxxxxxxxxxxxx"])
        assert [u.id for u in found] == [u["id"] for u in sorted(made, key=lambda u: u["username"])]
        assert all(_cached(i) is not None for i in ids)


def test_rows_read_inside_a_transaction_are_not_kept(app, client, admin):
    user = create(client, admin)
    with app.app_context():
        store_users.forget_cached(everyone=True)
        with db.transaction():
            assert store_users.get(user["id"]).id == user["id"]
        assert _cached(user["id"]) is None


def test_a_change_announced_by_another_process_drops_the_row(app, client, admin):
    user = create(client, admin)
    with app.app_context():
        store_users.get(user["id"])
        assert _cached(user["id"]) is not None
        events.run_process_listeners({"event": events.INTERNAL_PREFIX + "rows_changed",
                                      "data": {"cache": "users", "keys": [user["id"]], "all": False}})
        assert _cached(user["id"]) is None


def test_invalidate_caches_drops_users(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    _me(client, who)
    assert _cached(user["id"]) is not None
    assert client.post("/api/v4/caches/invalidate", headers=auth(admin)).status_code == 200
    assert _cached(user["id"]) is None


def test_a_read_that_raced_a_drop_is_not_kept():
    cache = RowCache("test: raced", 60, 10)
    row = models.User(id="u1", username="old")

    def load(key):
        cache.forget([key])        # a change lands while the old row is being read
        return row

    assert cache.read("u1", load) is row
    assert cache.get("u1") is None
    assert cache.read("u1", lambda key: row) is row
    assert cache.get("u1") is row


def test_a_picture_request_reads_no_user_row_once_cached(client, admin):
    from test_perf_paths_views import _statements
    user = create(client, admin)
    assert client.get("/api/v4/users/%s/image" % user["id"], headers=auth(admin)).status_code == 200
    with _statements() as seen:
        assert client.get("/api/v4/users/%s/image" % user["id"], headers=auth(admin)).status_code == 200
    assert not [s for s in seen if '"users"' in s], seen
