"""The two hottest paths of the load test, made cheap without changing what
clients see: profile pictures (ETag from last_picture_update and 304 on
If-None-Match, as Mattermost; generated defaults kept per process) and
marking channels viewed (one read, a write only when something was unread)."""
import contextlib
import io
import os

import pytest

from conftest import auth, create, login, unique
from store import users as store_users

PNG = "image/png"
DAY = "max-age=86400, private"


def _png(color=(10, 200, 30)):
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (200, 160), color).save(out, format="PNG")
    return out.getvalue()


def _upload(client, who, color=(10, 200, 30)):
    response = client.post("/api/v4/users/me/image", data={"image": (io.BytesIO(_png(color)), "me.png")},
                           headers=auth(who), content_type="multipart/form-data")
    assert response.status_code == 200, response.data


def _last_picture_update(client, who):
    return client.get("/api/v4/users/me", headers=auth(who)).get_json().get("last_picture_update", 0)


def _fresh_default(user_id, username):
    """The default picture made now, bypassing the per-process cache."""
    from store import images
    return images._default_png.__wrapped__(user_id, (username[:1] or "?").upper())


# ---------------------------------------------------------------------------
# Profile pictures.

def test_default_picture_has_etag_zero_and_answers_304(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    url = "/api/v4/users/%s/image" % user["id"]
    first = client.get(url + "?_=0", headers=auth(who))
    assert first.status_code == 200 and first.mimetype == PNG
    assert first.headers["ETag"] == "0" and first.headers["Cache-Control"] == DAY
    assert first.data == _fresh_default(user["id"], user["username"])
    again = client.get(url, headers=dict(auth(who), **{"If-None-Match": "0"}))
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == "0"
    # Mattermost validates by ETag only: a date alone gets the picture.
    dated = client.get(url, headers=dict(auth(who), **{"If-Modified-Since": "Wed, 21 Oct 2037 07:28:00 GMT"}))
    assert dated.status_code == 200 and dated.data == first.data
    assert client.get(url, headers=dict(auth(who), **{"If-None-Match": "12"})).status_code == 200
    # The default endpoint: same picture, a day's caching, no ETag.
    default = client.get(url + "/default", headers=auth(who))
    assert default.status_code == 200 and default.data == first.data
    assert default.headers["Cache-Control"] == DAY and "ETag" not in default.headers


def test_upload_changes_the_etag_and_reset_brings_back_the_default(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    url = "/api/v4/users/%s/image" % user["id"]
    default = client.get(url, headers=auth(who)).data
    _upload(client, who)
    stamp = _last_picture_update(client, who)
    assert stamp > 0
    stale = client.get(url, headers=dict(auth(who), **{"If-None-Match": "0"}))
    assert stale.status_code == 200 and stale.data != default
    assert stale.headers["ETag"] == str(stamp) and stale.headers["Cache-Control"] == DAY
    cached = client.get(url, headers=dict(auth(who), **{"If-None-Match": str(stamp)}))
    assert cached.status_code == 304 and cached.headers["ETag"] == str(stamp)
    # A second upload gives a new stamp, so the old ETag no longer matches.
    import time
    time.sleep(0.002)
    _upload(client, who, color=(200, 10, 30))
    newer = _last_picture_update(client, who)
    assert newer > stamp
    changed = client.get(url, headers=dict(auth(who), **{"If-None-Match": str(stamp)}))
    assert changed.status_code == 200 and changed.data != stale.data and changed.headers["ETag"] == str(newer)
    assert client.delete("/api/v4/users/me/image", headers=auth(who)).status_code == 200
    back = client.get(url, headers=dict(auth(who), **{"If-None-Match": str(newer)}))
    assert back.status_code == 200 and back.data == default and back.headers["ETag"] == "0"


def test_missing_file_of_an_uploaded_picture_is_served_briefly_without_etag(app, client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    _upload(client, who)
    directory = app.config["MM_CONFIG"]["FileSettings"]["Directory"]
    os.remove(os.path.join(directory, "users", user["id"], "profile.png"))
    response = client.get("/api/v4/users/%s/image" % user["id"], headers=auth(who))
    assert response.status_code == 200 and response.data == _fresh_default(user["id"], user["username"])
    assert response.headers["Cache-Control"] == "max-age=300, private" and "ETag" not in response.headers


def test_defaults_are_made_once_per_process_and_follow_renames(client, admin):
    from store import images
    user = create(client, admin)
    who = login(client, user["username"])
    url = "/api/v4/users/%s/image" % user["id"]
    images._default_png.cache_clear()
    first = client.get(url, headers=auth(who)).data
    for _ in range(3):
        assert client.get(url, headers=auth(who)).data == first
    assert client.get(url + "/default", headers=auth(who)).data == first
    info = images._default_png.cache_info()
    assert info.misses == 1 and info.hits == 4
    # The picture shows the username's initial: a rename draws a new one.
    renamed = ("w" if user["username"].startswith("q") else "q") + unique("ren")
    patched = client.put("/api/v4/users/me/patch", json={"username": renamed}, headers=auth(who))
    assert patched.status_code == 200, patched.data
    after = client.get(url, headers=auth(who)).data
    assert after != first and after == _fresh_default(user["id"], renamed)


def test_picture_errors_come_before_the_etag(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    url = "/api/v4/users/%s/image"
    assert client.get(url % user["id"], headers={"If-None-Match": "0"}).status_code == 401
    missing = client.get(url % ("z" * 26), headers=dict(auth(who), **{"If-None-Match": "0"}))
    assert missing.status_code == 404
    for bad in (url % "bad", url % "bad" + "/default"):  # Mattermost checks the id's form first (IsValidId)
        invalid = client.get(bad, headers=auth(who))
        assert invalid.status_code == 400, invalid.data
        assert invalid.get_json()["id"] == "api.context.invalid_url_param.app_error"
    assert client.get((url % ("z" * 26)) + "/default", headers=auth(who)).status_code == 404


def test_a_caller_without_view_members_sees_only_the_people_they_share_a_team_with(client, admin):
    """Guests lack view_members: a stranger's account and picture are a 403,
    their own are not; a system user (view_members) sees everyone."""
    from store import models
    guest, stranger, member = create(client, admin), create(client, admin), create(client, admin)
    store_users.write(guest["id"], roles="system_guest")
    as_guest = auth(login(client, guest["username"]))
    for url in ("/api/v4/users/%s", "/api/v4/users/%s/image"):
        refused = client.get(url % stranger["id"], headers=as_guest)
        assert refused.status_code == 403, (url, refused.data)
        assert client.get(url % guest["id"], headers=as_guest).status_code == 200
        assert client.get(url % stranger["id"], headers=auth(login(client, member["username"]))).status_code == 200


# ---------------------------------------------------------------------------
# Marking channels viewed.

@contextlib.contextmanager
def _statements():
    """The SQL statements run inside the block."""
    from store import db
    seen = []
    database = db.current.db
    original = database.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        seen.append(db.unprepared(sql))
        return original(sql, params, *args, **kwargs)

    had_own = "execute_sql" in vars(database)
    database.execute_sql = counting
    try:
        yield seen
    finally:
        if had_own:
            database.execute_sql = original
        else:
            del database.execute_sql


@pytest.fixture
def two_channels(app, client, admin):
    """alice and bob in two channels of a team; returns (alice, bob, [ids])."""
    alice, bob = (login(client, create(client, admin)["username"]) for _ in range(2))
    with app.app_context():
        from store import channels, teams, users
        team = teams.create({"name": unique("team"), "display_name": "Team", "type": "O"})
        rows = [users.get(x["user_id"]) for x in (alice, bob)]
        for row in rows:
            teams.add_member(team, row)
        ids = []
        for _ in range(2):
            channel = channels.create({"team_id": team.id, "type": "O", "name": unique("ch"),
                                       "display_name": "Ch"}, creator=rows[0])
            channels.add_member(channel, rows[1])
            ids.append(channel.id)
    return alice, bob, ids


def _post(client, who, channel_id):
    response = client.post("/api/v4/posts", json={"channel_id": channel_id, "message": "hi"}, headers=auth(who))
    assert response.status_code == 201, response.data
    return response.get_json()


def _view(client, who, channel_id, prev=""):
    response = client.post("/api/v4/channels/members/me/view",
                           json={"channel_id": channel_id, "prev_channel_id": prev}, headers=auth(who))
    assert response.status_code == 200, response.data
    return response.get_json()


def _member(app, channel_id, user_id):
    with app.app_context():
        from store import channels
        return channels.get_member(channel_id, user_id)


def test_viewing_read_channels_writes_nothing(app, client, two_channels, listen):
    alice, bob, (one, two) = two_channels
    _view(client, bob, one, two)
    fake = listen(bob)[bob["user_id"]]
    with _statements() as seen:
        body = _view(client, bob, one, two)
    assert set(body["last_viewed_at_times"]) == {one, two} and body["status"] == "OK"
    writes = [s for s in seen if s.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
    assert writes == [], seen
    # The session, and one read of both memberships with their channels.
    reads = [s for s in seen if "channel_members" in s]
    assert len(reads) == 1 and len(seen) <= 2, seen
    assert fake.named("multiple_channels_viewed") == []


def test_viewing_an_unread_channel_updates_it_once(app, client, two_channels, listen):
    alice, bob, (one, two) = two_channels
    _view(client, bob, one, two)
    made = _post(client, alice, one)
    fake = listen(bob)[bob["user_id"]]
    with _statements() as seen:
        body = _view(client, bob, one, two)
    updates = [s for s in seen if s.lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 1 and "channel_members" in updates[0], seen
    assert not any('"users"' in s for s in seen), seen  # viewing for yourself looks no user up
    assert len(seen) <= 3, seen
    assert body["last_viewed_at_times"][one] == made["create_at"]
    row = _member(app, one, bob["user_id"])
    assert row.last_viewed_at == made["create_at"] and row.msg_count >= 1 and row.mention_count == 0
    event = fake.named("multiple_channels_viewed")
    assert len(event) == 1 and event[0]["data"]["channel_times"] == body["last_viewed_at_times"]


def test_viewing_with_both_channels_unread_marks_both(app, client, two_channels, listen):
    alice, bob, (one, two) = two_channels
    first, second = _post(client, alice, one), _post(client, alice, two)
    fake = listen(bob)[bob["user_id"]]
    body = _view(client, bob, one, two)
    assert body["last_viewed_at_times"] == {one: first["create_at"], two: second["create_at"]}
    for channel_id, made in ((one, first), (two, second)):
        row = _member(app, channel_id, bob["user_id"])
        assert row.last_viewed_at == made["create_at"] and row.last_update_at == made["create_at"]
    with app.app_context():
        from store import channels
        totals = {c: channels.get(c).total_msg_count for c in (one, two)}
    assert {c: _member(app, c, bob["user_id"]).msg_count for c in (one, two)} == totals
    assert len(fake.named("multiple_channels_viewed")) == 1


def test_an_unread_previous_channel_alone_sends_the_event(app, client, two_channels, listen):
    alice, bob, (one, two) = two_channels
    _view(client, bob, one, two)
    _post(client, alice, two)
    fake = listen(bob)[bob["user_id"]]
    body = _view(client, bob, one, two)
    assert set(body["last_viewed_at_times"]) == {one, two}
    assert len(fake.named("multiple_channels_viewed")) == 1
    # Someone else's view (an admin acting for bob) still checks the permission.
    other = _view(client, alice, one)
    assert set(other["last_viewed_at_times"]) == {one}
    denied = client.post("/api/v4/channels/members/%s/view" % bob["user_id"], json={"channel_id": one},
                         headers=auth(alice))
    assert denied.status_code == 403


def test_a_channel_request_reads_the_channel_and_membership_once(client, two_channels):
    """The channel comes with its team's scheme, and the caller's membership is
    read once however many permission checks ask (the request memo)."""
    alice, bob, (one, _) = two_channels
    assert client.get("/api/v4/users/me", headers=auth(bob)).status_code == 200   # the session is cached
    with _statements() as seen:
        made = _post(client, bob, one)
    before_writing = seen[:next(i for i, s in enumerate(seen) if s.lstrip().upper().startswith(("INSERT", "BEGIN",
                                                                                                   "SAVEPOINT")))]
    assert not any('"teams"' in s and "scheme_id" in s and '"channels"' not in s for s in seen), seen
    assert len([s for s in before_writing if "channel_members" in s]) == 1, before_writing
    # The channel, the membership, the author (and the roles' permissions the first time: cached after).
    assert len([s for s in before_writing if '"roles"' not in s]) <= 3, before_writing
    with _statements() as seen:
        response = client.get("/api/v4/channels/%s/stats?exclude_files_count=true" % one, headers=auth(bob))
    assert response.status_code == 200 and response.get_json()["member_count"] == 2
    assert len(seen) <= 4, seen   # the channel, the membership, the counts of members and of pinned posts
    assert made["channel_id"] == one


# ---------------------------------------------------------------------------
# A channel and the caller's membership, read together for permission checks.

def _fields(row, model):
    return {f.name: (type(getattr(row, f.name)), getattr(row, f.name)) for f in model._meta.sorted_fields}


def test_a_channel_with_a_membership_is_what_get_and_get_member_give(app, client, admin, two_channels):
    from store import channels, models
    alice, bob, (one, _) = two_channels
    outsider = create(client, admin)
    with app.app_context():
        channels.get_member(one, bob["user_id"]).save()   # (an ordinary row, as written)
        for user_id in (alice["user_id"], bob["user_id"], outsider["id"]):
            channel, member = channels.get_with_member(one, user_id)
            expected = channels.get(one)
            assert _fields(channel, models.Channel) == _fields(expected, models.Channel)
            assert vars(channel).get("team_scheme_id") == vars(expected).get("team_scheme_id")
            assert not [name for name in vars(channel) if name.startswith("member__")]
            theirs = channels.get_member(one, user_id)
            if theirs is None:
                assert member is None
            else:
                assert _fields(member, models.ChannelMember) == _fields(theirs, models.ChannelMember)
                assert member._dirty == set() and member == theirs
        assert channels.get_with_member("x" * 26, bob["user_id"]) == (None, None)


def test_channel_requests_read_the_channel_and_membership_once(app, client, two_channels):
    from store import channels
    alice, bob, (one, _) = two_channels
    _post(client, alice, one)
    with app.app_context():
        together = channels._WITH_MEMBER._sql((one, bob["user_id"]))[0]
        channel_alone = channels._BY_ID._sql((one,))[0]
        member_alone = channels._MEMBER._sql((one, bob["user_id"]))[0]
    for path in ("/api/v4/channels/%s/stats" % one, "/api/v4/channels/%s/posts?since=1" % one,
                 "/api/v4/users/me/channels/%s/posts/unread?limit_after=5&limit_before=5" % one):
        with _statements() as seen:
            assert client.get(path, headers=auth(bob)).status_code == 200
        assert seen.count(together) == 1 and channel_alone not in seen and member_alone not in seen, (path, seen)


def test_unread_posts_look_for_the_first_unread_only_when_a_post_came_after_the_view(app, client, two_channels):
    from store import post_queries
    alice, bob, (one, _) = two_channels
    for _ in range(3):
        _post(client, alice, one)
    _view(client, bob, one)
    with app.app_context():
        first_after = post_queries._AROUND[(False, True)]._sql((one, 0))[0]
    path = "/api/v4/users/me/channels/%s/posts/unread?limit_after=2&limit_before=2&collapsedThreads=true" % one
    with _statements() as seen:
        viewed = client.get(path, headers=auth(bob))
    assert viewed.status_code == 200 and first_after not in seen, seen
    assert len(viewed.get_json()["order"]) == 2            # the newest page: nothing unread
    newer = _post(client, alice, one)
    with _statements() as seen:
        unread = client.get(path, headers=auth(bob))
    assert unread.status_code == 200 and first_after in seen, seen
    assert unread.get_json()["order"][0] == newer["id"]     # the unread post, the two before it
    assert len(unread.get_json()["order"]) == 3
