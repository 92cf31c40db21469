"""Collapsed reply threads (handlers/threads.py, store/thread_queries.py), as
Mattermost answers them: the followed threads of a user in a team with their
unread totals, one thread, following, read markers and mention recounts,
the checks in Mattermost's order, and privacy (threads of channels the user
cannot read are never listed or answered). Threads are built through the
post core (store.posts.create)."""
import itertools
import time

import pytest

from conftest import auth, create, login, unique
from store import channels as store_channels, models, posts, teams, threads, users

API = "/api/v4"
NO_ID = "z" * 26
_clock = itertools.count(int(time.time() * 1000) - 10_000_000, 1000)


class World:
    pass


def _user(client, admin):
    created = create(client, admin, first_name="F" + unique("n"))
    who = login(client, created["username"])
    who["username"] = created["username"]
    return who


def _model(who):
    return users.get(who["user_id"])


@pytest.fixture
def w(app, admin):
    """A fresh team per test: alice, bob, carol and frank in the public channel,
    alice and bob in the private one, dave in the team only, eve elsewhere."""
    client = app.test_client()
    world = World()
    world.admin = admin
    for name in ("alice", "bob", "carol", "dave", "eve", "frank"):
        setattr(world, name, _user(client, admin))
    with app.app_context():
        world.team = teams.create({"display_name": "T", "name": unique("team"), "type": "O"})
        world.other = teams.create({"display_name": "U", "name": unique("team"), "type": "O"})
        for who in (world.alice, world.bob, world.carol, world.dave, world.frank):
            teams.add_member(world.team, _model(who))
        teams.add_member(world.other, _model(world.eve))
        world.channel = store_channels.create({"team_id": world.team.id, "type": "O", "name": unique("chan"),
                                               "display_name": "C"}, creator=_model(world.alice))
        for who in (world.bob, world.carol, world.frank):
            store_channels.add_member(world.channel, _model(who))
        world.private = store_channels.create({"team_id": world.team.id, "type": "P", "name": unique("priv"),
                                               "display_name": "P"}, creator=_model(world.alice))
        store_channels.add_member(world.private, _model(world.bob))
    return world


def _post(app, channel, who, message, root=None, create_at=None):
    with app.app_context():
        fields = {"message": message, "create_at": create_at or next(_clock)}
        if root is not None:
            fields["root_id"] = root.id
        return posts.create(fields, store_channels.get(channel.id), _model(who)).post


def _threads_url(who_id, team_id):
    return "%s/users/%s/teams/%s/threads" % (API, who_id, team_id)


def _list(client, who, team, **query):
    response = client.get(_threads_url("me", team.id), query_string=query, headers=auth(who))
    assert response.status_code == 200, response.data
    return response.get_json()


def _thread_url(who_id, team, thread_id, suffix=""):
    return "%s/%s%s" % (_threads_url(who_id, getattr(team, "id", team)), thread_id, suffix)


def _error(response):
    return response.status_code, (response.get_json() or {}).get("id")


def test_list_counts_unread_replies_and_mentions(app, client, w):
    root = _post(app, w.channel, w.alice, "question")
    reply = _post(app, w.channel, w.bob, "@%s have a look" % w.carol["username"], root)
    body = _list(client, w.carol, w.team)
    assert body["total"] == 1 and body["total_unread_threads"] == 1 and body["total_unread_mentions"] == 1
    assert body["total_unread_urgent_mentions"] == 0
    [thread] = body["threads"]
    assert thread["id"] == root.id and thread["reply_count"] == 1 and thread["last_reply_at"] == reply.create_at
    assert thread["unread_replies"] == 1 and thread["unread_mentions"] == 1 and thread["is_urgent"] is False
    assert thread["participants"] == [{"id": w.bob["user_id"]}] and thread["delete_at"] == 0
    assert thread["post"]["id"] == root.id and thread["post"]["message"] == "question"
    assert thread["post"]["reply_count"] == 1
    # the root's author follows it too, without a mention; the replier has read it
    [mine] = _list(client, w.alice, w.team)["threads"]
    assert mine["unread_replies"] == 1 and mine["unread_mentions"] == 0
    [bobs] = _list(client, w.bob, w.team)["threads"]
    assert bobs["unread_replies"] == 0 and bobs["last_viewed_at"] == reply.create_at
    # frank never took part: he follows nothing
    assert _list(client, w.frank, w.team) == {"total": 0, "total_unread_threads": 0, "total_unread_mentions": 0,
                                               "total_unread_urgent_mentions": 0, "threads": []}
    # a second mention adds up; a deleted reply no longer counts as unread
    second = _post(app, w.channel, w.bob, "again @%s" % w.carol["username"], root)
    [thread] = _list(client, w.carol, w.team)["threads"]
    assert thread["unread_replies"] == 2 and thread["unread_mentions"] == 2 and thread["reply_count"] == 2
    with app.app_context():
        posts.delete(second, w.bob["user_id"])
    [thread] = _list(client, w.carol, w.team)["threads"]
    assert thread["unread_replies"] == 1 and thread["reply_count"] == 1


def test_list_order_paging_cursors_and_filters(app, client, w):
    roots = []
    for n in range(3):
        root = _post(app, w.channel, w.alice, "root %d" % n)
        _post(app, w.channel, w.bob, "reply %d" % n, root)
        roots.append(root.id)
    newest_first = list(reversed(roots))
    assert [t["id"] for t in _list(client, w.alice, w.team)["threads"]] == newest_first
    assert [t["id"] for t in _list(client, w.alice, w.team, per_page=2)["threads"]] == newest_first[:2]
    assert [t["id"] for t in _list(client, w.alice, w.team, before=newest_first[1])["threads"]] == newest_first[2:]
    assert [t["id"] for t in _list(client, w.alice, w.team, after=newest_first[2])["threads"]] == roots[1:]
    assert _list(client, w.alice, w.team, before=NO_ID)["threads"] == []
    totals = _list(client, w.alice, w.team, totalsOnly="true")
    assert totals["threads"] == [] and totals["total"] == 3 and totals["total_unread_threads"] == 3
    only = _list(client, w.alice, w.team, threadsOnly="true")
    assert len(only["threads"]) == 3 and only["total"] == 0 and only["total_unread_threads"] == 0
    # since: threads changed or replied to since then
    later = int(time.time() * 1000) + 1
    _post(app, w.channel, w.carol, "late reply", models.Post.get_by_id(roots[0]), create_at=later + 1000)
    assert [t["id"] for t in _list(client, w.alice, w.team, since=later)["threads"]] == [roots[0]]
    # unread: only unread threads, and total is their number
    response = client.put(_thread_url("me", w.team, roots[1], "/read/%d" % (int(time.time() * 1000) + 1000)),
                          headers=auth(w.alice))
    assert response.status_code == 200, response.data
    unread = _list(client, w.alice, w.team, unread="true")
    assert sorted(t["id"] for t in unread["threads"]) == sorted([roots[0], roots[2]]) and unread["total"] == 2
    # a deleted root leaves the list unless deleted=true asks for it
    with app.app_context():
        posts.delete(models.Post.get_by_id(roots[2]), w.alice["user_id"])
    assert roots[2] not in [t["id"] for t in _list(client, w.alice, w.team)["threads"]]
    assert _list(client, w.alice, w.team)["total"] == 2
    with_deleted = _list(client, w.alice, w.team, deleted="true")
    deleted = [t for t in with_deleted["threads"] if t["id"] == roots[2]]
    assert deleted and deleted[0]["delete_at"] > 0 and with_deleted["total"] == 3


def test_list_bad_parameters(client, w):
    url = _threads_url("me", w.team.id)
    for query, error_id in (({"before": NO_ID, "after": NO_ID}, "api.getThreadsForUser.bad_params"),
                            ({"totalsOnly": "true", "threadsOnly": "true"}, "api.getThreadsForUser.bad_only_params"),
                            ({"since": "-5"}, "api.context.invalid_param.app_error")):
        response = client.get(url, query_string=query, headers=auth(w.alice))
        assert _error(response) == (400, error_id), query
    assert client.get(url, query_string={"since": "soon"}, headers=auth(w.alice)).status_code == 400
    assert _error(client.get(_threads_url("me", "abc"), headers=auth(w.alice))) == (
        400, "api.context.invalid_url_param.app_error")
    assert _error(client.get(_threads_url("abc", w.team.id), headers=auth(w.alice))) == (
        400, "api.context.invalid_url_param.app_error")
    assert client.get(_threads_url("me", w.team.id)).status_code == 401


def test_list_permissions(client, w):
    # another user's threads take edit_other_users; the team takes view_team
    assert _error(client.get(_threads_url(w.carol["user_id"], w.team.id), headers=auth(w.bob))) == (
        403, "api.context.permissions.app_error")
    assert _error(client.get(_threads_url("me", w.team.id), headers=auth(w.eve))) == (
        403, "api.context.permissions.app_error")
    assert _error(client.get(_threads_url("me", NO_ID), headers=auth(w.eve))) == (
        403, "api.context.permissions.app_error")
    response = client.get(_threads_url(w.carol["user_id"], w.team.id), headers=auth(w.admin))
    assert response.status_code == 200 and response.get_json()["total"] == 0


def test_extended_participants_are_sanitized_users(app, client, w):
    root = _post(app, w.channel, w.alice, "who is there")
    _post(app, w.channel, w.bob, "me", root)
    _post(app, w.channel, w.carol, "me too", root)
    [thread] = _list(client, w.alice, w.team, extended="true")["threads"]
    assert [p["id"] for p in thread["participants"]] == [w.bob["user_id"], w.carol["user_id"]]
    for person in thread["participants"]:
        assert person["username"] in (w.bob["username"], w.carol["username"])
        assert "password" not in person and "notify_props" not in person and "mfa_secret" not in person
    response = client.get(_thread_url("me", w.team, root.id), query_string={"extended": "true"}, headers=auth(w.alice))
    assert [p["username"] for p in response.get_json()["participants"]] == [w.bob["username"], w.carol["username"]]
    response = client.get(_thread_url("me", w.team, root.id), headers=auth(w.alice))
    assert response.get_json()["participants"] == [{"id": w.bob["user_id"]}, {"id": w.carol["user_id"]}]


def test_direct_message_threads_count_in_every_team(app, client, w):
    with app.app_context():
        dm, _ = store_channels.get_or_create_direct(_model(w.alice), _model(w.bob))
    root = _post(app, dm, w.alice, "private question")
    reply = _post(app, dm, w.bob, "private answer", root)
    body = _list(client, w.alice, w.team)
    [thread] = [t for t in body["threads"] if t["id"] == root.id]
    assert thread["unread_replies"] == 1 and thread["unread_mentions"] == 1
    assert body["total_unread_mentions"] == 1
    # in a direct message, every reply of the other user is a mention when recounted
    response = client.post(_thread_url("me", w.team, root.id, "/set_unread/%s" % reply.id), headers=auth(w.alice))
    assert response.status_code == 200 and response.get_json()["unread_mentions"] == 1
    # carol, not in the conversation, cannot see it
    assert client.get(_thread_url("me", w.team, root.id), headers=auth(w.carol)).status_code == 403
    assert root.id not in [t["id"] for t in _list(client, w.carol, w.team)["threads"]]


def test_get_one_thread(app, client, w):
    root = _post(app, w.channel, w.alice, "one")
    _post(app, w.channel, w.bob, "@%s two" % w.carol["username"], root)
    response = client.get(_thread_url("me", w.team, root.id), headers=auth(w.carol))
    assert response.status_code == 200, response.data
    thread = response.get_json()
    assert thread["id"] == root.id and thread["unread_mentions"] == 1 and thread["unread_replies"] == 1
    assert thread["post"]["message"] == "one"
    # the admin may look at carol's view of it
    response = client.get(_thread_url(w.carol["user_id"], w.team, root.id), headers=auth(w.admin))
    assert response.status_code == 200 and response.get_json()["unread_mentions"] == 1
    # frank reads the channel but has no membership of the thread
    assert _error(client.get(_thread_url("me", w.team, root.id), headers=auth(w.frank))) == (
        404, "app.user.get_thread_membership_for_user.not_found")
    # a root post without replies has no thread yet
    lonely = _post(app, w.channel, w.alice, "no replies")
    assert client.put(_thread_url("me", w.team, lonely.id, "/following"), headers=auth(w.frank)).status_code == 200
    assert _error(client.get(_thread_url("me", w.team, lonely.id), headers=auth(w.frank))) == (
        404, "app.user.get_threads_for_user.not_found")
    # errors in Mattermost's order
    assert client.get(_thread_url("me", w.team, root.id)).status_code == 401
    assert _error(client.get(_thread_url("me", w.team, "abc"), headers=auth(w.carol))) == (
        400, "api.context.invalid_url_param.app_error")
    assert _error(client.get(_thread_url(w.carol["user_id"], w.team, root.id), headers=auth(w.bob))) == (
        403, "api.context.permissions.app_error")
    assert _error(client.get(_thread_url("me", w.team, root.id), headers=auth(w.dave))) == (
        403, "api.context.permissions.app_error")   # dave is not in the channel
    assert _error(client.get(_thread_url("me", w.team, NO_ID), headers=auth(w.carol))) == (
        403, "api.context.permissions.app_error")   # no post: only a system permission would do
    assert _error(client.get(_thread_url("me", w.team, NO_ID), headers=auth(w.admin))) == (
        404, "app.user.get_thread_membership_for_user.not_found")
    response = client.get(_thread_url("me", w.team, "not_an-id"), headers=auth(w.carol))
    assert response.status_code == 404


def test_follow_and_unfollow(app, client, w):
    root = _post(app, w.channel, w.alice, "follow me")
    _post(app, w.channel, w.bob, "@%s reply" % w.carol["username"], root)
    url = _thread_url("me", w.team, root.id, "/following")
    response = client.delete(url, headers=auth(w.carol))
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    assert _list(client, w.carol, w.team)["threads"] == []
    assert _list(client, w.carol, w.team)["total_unread_mentions"] == 0
    assert _error(client.get(_thread_url("me", w.team, root.id), headers=auth(w.carol))) == (
        404, "app.user.get_threads_for_user.not_found")
    # following again marks the thread read
    before = int(time.time() * 1000)
    assert client.put(url, headers=auth(w.carol)).status_code == 200
    [thread] = _list(client, w.carol, w.team)["threads"]
    assert thread["unread_replies"] == 0 and thread["unread_mentions"] == 0 and thread["last_viewed_at"] >= before
    # frank follows a thread he never took part in
    assert client.put(url, headers=auth(w.frank)).status_code == 200
    assert [t["id"] for t in _list(client, w.frank, w.team)["threads"]] == [root.id]
    with app.app_context():
        assert threads.get_membership(root.id, w.frank["user_id"]).following
    # an admin may change another user's follow; others may not
    assert client.delete(_thread_url(w.frank["user_id"], w.team, root.id, "/following"),
                         headers=auth(w.admin)).status_code == 200
    assert _list(client, w.frank, w.team)["threads"] == []
    assert _error(client.put(_thread_url(w.frank["user_id"], w.team, root.id, "/following"),
                             headers=auth(w.bob))) == (403, "api.context.permissions.app_error")
    # dave cannot read the channel: no following it
    assert _error(client.put(url, headers=auth(w.dave))) == (403, "api.context.permissions.app_error")
    assert client.put(url).status_code == 401
    assert _error(client.put(_thread_url("me", w.team, "abc", "/following"), headers=auth(w.carol))) == (
        400, "api.context.invalid_url_param.app_error")
    assert _error(client.delete(_thread_url("me", "abc", root.id, "/following"), headers=auth(w.carol))) == (
        400, "api.context.invalid_url_param.app_error")


def test_read_marker_recounts_mentions(app, client, w):
    root = _post(app, w.channel, w.alice, "read me")
    first = _post(app, w.channel, w.bob, "plain", root)
    second = _post(app, w.channel, w.bob, "@%s ping" % w.carol["username"], root)
    third = _post(app, w.channel, w.bob, "@channel all of you", root)
    [thread] = _list(client, w.carol, w.team)["threads"]
    assert thread["unread_replies"] == 3 and thread["unread_mentions"] == 2   # @carol and @channel
    # read up to the end: nothing unread
    response = client.put(_thread_url("me", w.team, root.id, "/read/%d" % (third.create_at + 1)), headers=auth(w.carol))
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert body["unread_replies"] == 0 and body["unread_mentions"] == 0
    assert body["last_viewed_at"] == third.create_at + 1
    # back to the first reply: the mentions at or after it are recounted (@carol and @channel)
    response = client.put(_thread_url("me", w.team, root.id, "/read/%d" % first.create_at), headers=auth(w.carol))
    body = response.get_json()
    assert body["unread_replies"] == 2 and body["unread_mentions"] == 2 and body["last_viewed_at"] == first.create_at
    # set_unread at a post: read up to just before it
    response = client.post(_thread_url("me", w.team, root.id, "/set_unread/%s" % second.id), headers=auth(w.carol))
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert body["last_viewed_at"] == second.create_at - 1 and body["unread_replies"] == 2
    assert body["unread_mentions"] == 2
    response = client.post(_thread_url("me", w.team, root.id, "/set_unread/%s" % root.id), headers=auth(w.carol))
    assert response.status_code == 200 and response.get_json()["unread_replies"] == 3
    # errors
    other_root = _post(app, w.channel, w.alice, "elsewhere")
    assert _error(client.post(_thread_url("me", w.team, root.id, "/set_unread/%s" % other_root.id),
                              headers=auth(w.carol))) == (400, "app.user.update_thread_read_for_user_by_post.app_error")
    assert _error(client.post(_thread_url("me", w.team, root.id, "/set_unread/%s" % NO_ID),
                              headers=auth(w.carol))) == (404, "app.post.get.app_error")
    assert _error(client.post(_thread_url("me", w.team, root.id, "/set_unread/abc"), headers=auth(w.carol))) == (
        400, "api.context.invalid_url_param.app_error")
    for bad in ("0", "99999999999999999999"):
        assert _error(client.put(_thread_url("me", w.team, root.id, "/read/" + bad), headers=auth(w.carol))) == (
            400, "api.context.invalid_url_param.app_error"), bad
    assert client.put(_thread_url("me", w.team, root.id, "/read/soon"), headers=auth(w.carol)).status_code == 404
    assert _error(client.put(_thread_url("me", w.team, other_root.id, "/read/5"), headers=auth(w.frank))) == (
        404, "app.user.get_thread_membership_for_user.not_found")
    assert _error(client.put(_thread_url("me", w.team, root.id, "/read/5"), headers=auth(w.dave))) == (
        403, "api.context.permissions.app_error")
    assert _error(client.put(_thread_url(w.carol["user_id"], w.team, root.id, "/read/5"), headers=auth(w.bob))) == (
        403, "api.context.permissions.app_error")
    assert client.put(_thread_url("me", w.team, root.id, "/read/5")).status_code == 401
    assert client.post(_thread_url("me", w.team, root.id, "/set_unread/%s" % second.id)).status_code == 401
    # an unfollowed thread can be marked, but it is not answered
    assert client.delete(_thread_url("me", w.team, root.id, "/following"), headers=auth(w.carol)).status_code == 200
    assert _error(client.put(_thread_url("me", w.team, root.id, "/read/5"), headers=auth(w.carol))) == (
        404, "app.user.get_threads_for_user.not_found")
    # a deleted root cannot be marked
    with app.app_context():
        posts.delete(root, w.alice["user_id"])
    assert _error(client.put(_thread_url("me", w.team, root.id, "/read/5"), headers=auth(w.alice))) == (
        404, "app.post.get.app_error")


def test_mark_all_read_and_mention_counts(app, client, w):
    roots = [_post(app, w.channel, w.alice, "r%d" % n) for n in range(2)]
    for root in roots:
        _post(app, w.channel, w.bob, "@%s hi" % w.carol["username"], root)
    private_root = _post(app, w.private, w.alice, "secret")
    _post(app, w.private, w.bob, "@%s secret reply" % w.alice["username"], private_root)
    counts = client.get(_threads_url("me", w.team.id) + "/mention_counts", headers=auth(w.carol))
    assert counts.status_code == 200 and counts.get_json() == {w.channel.id: 2}
    counts = client.get(_threads_url("me", w.team.id) + "/mention_counts", headers=auth(w.alice))
    assert counts.get_json() == {w.channel.id: 0, w.private.id: 1}
    assert _list(client, w.carol, w.team)["total_unread_threads"] == 2
    response = client.put(_threads_url("me", w.team.id) + "/read", headers=auth(w.carol))
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    body = _list(client, w.carol, w.team)
    assert body["total_unread_threads"] == 0 and body["total_unread_mentions"] == 0 and body["total"] == 2
    assert all(t["unread_replies"] == 0 and t["unread_mentions"] == 0 for t in body["threads"])
    # alice still has hers
    assert _list(client, w.alice, w.team)["total_unread_mentions"] == 1
    # errors
    for method, suffix in (("put", "/read"), ("get", "/mention_counts")):
        open_ = getattr(client, method)
        assert open_(_threads_url("me", w.team.id) + suffix).status_code == 401
        assert _error(open_(_threads_url(w.alice["user_id"], w.team.id) + suffix, headers=auth(w.bob))) == (
            403, "api.context.permissions.app_error")
        assert _error(open_(_threads_url("me", w.team.id) + suffix, headers=auth(w.eve))) == (
            403, "api.context.permissions.app_error")
        assert _error(open_(_threads_url("me", "abc") + suffix, headers=auth(w.alice))) == (
            400, "api.context.invalid_url_param.app_error")


def test_privacy_threads_of_unreadable_channels(app, client, w):
    private_root = _post(app, w.private, w.alice, "secret plans")
    _post(app, w.private, w.bob, "@%s noted" % w.alice["username"], private_root)
    # dave is not in the private channel: a membership of its thread (as left
    # behind when a user leaves) never shows it to him
    with app.app_context():
        threads.maintain_membership(w.dave["user_id"], private_root.id, following=True)
        threads.maintain_membership(w.dave["user_id"], private_root.id, increment_mentions=True)
    body = _list(client, w.dave, w.team)
    assert body["threads"] == [] and body["total"] == 0 and body["total_unread_mentions"] == 0
    counts = client.get(_threads_url("me", w.team.id) + "/mention_counts", headers=auth(w.dave))
    assert counts.get_json() == {}
    for method, suffix in (("get", ""), ("put", "/following"), ("delete", "/following"), ("put", "/read/5"),
                           ("post", "/set_unread/%s" % private_root.id)):
        response = getattr(client, method)(_thread_url("me", w.team, private_root.id, suffix), headers=auth(w.dave))
        assert _error(response) == (403, "api.context.permissions.app_error"), (method, suffix)
    # a member who leaves the channel stops seeing its threads
    assert private_root.id in [t["id"] for t in _list(client, w.bob, w.team)["threads"]]
    with app.app_context():
        store_channels.remove_member(w.private.id, w.bob["user_id"])
    assert private_root.id not in [t["id"] for t in _list(client, w.bob, w.team)["threads"]]
    assert client.get(_thread_url("me", w.team, private_root.id), headers=auth(w.bob)).status_code == 403
    # threads of another team's channels stay in that team
    assert client.get(_threads_url("me", w.other.id), headers=auth(w.alice)).status_code == 403
    with app.app_context():
        teams.add_member(w.other, _model(w.alice))
    assert [t["id"] for t in _list(client, w.alice, w.other)["threads"]] == []


def test_threads_answer_with_collapsed_threads_disabled(app, client, w):
    # Mattermost's thread routes do not look at ServiceSettings.CollapsedThreads.
    root = _post(app, w.channel, w.alice, "crt off")
    _post(app, w.channel, w.bob, "reply", root)
    settings = app.config["MM_CONFIG"]["ServiceSettings"]
    previous = settings["CollapsedThreads"]
    settings["CollapsedThreads"] = "disabled"
    try:
        assert [t["id"] for t in _list(client, w.alice, w.team)["threads"]] == [root.id]
    finally:
        settings["CollapsedThreads"] = previous


def test_team_unreads_count_unread_threads(app, client, w):
    root = _post(app, w.channel, w.alice, "a question")
    _post(app, w.channel, w.bob, "@%s have a look" % w.carol["username"], root=root)
    url = API + "/users/me/teams/unread?exclude_team=&include_collapsed_threads=%s"
    by_team = {u["team_id"]: u for u in client.get(url % "true", headers=auth(w.carol)).get_json()}
    assert by_team[w.team.id]["thread_count"] == 1 and by_team[w.team.id]["thread_mention_count"] == 1
    by_team = {u["team_id"]: u for u in client.get(url % "false", headers=auth(w.carol)).get_json()}
    assert by_team[w.team.id]["thread_count"] == 0
    # the author of the reply has read it
    by_team = {u["team_id"]: u for u in client.get(url % "true", headers=auth(w.bob)).get_json()}
    assert by_team[w.team.id]["thread_count"] == 0
