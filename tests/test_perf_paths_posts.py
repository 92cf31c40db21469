"""The cheaper hot paths of posting and reading: mentions load only the
members a message could concern (and still answer as if every member's
keywords were checked), the members of a user list their scheme roles, and
posts/unread names its neighbours as before."""
import time
import peewee
import pytest

from conftest import PASSWORD, auth, create, login, unique
from store import channels as store_channels, mentions, models, posts, teams, threads, users


def _user(client, admin, **fields):
    return users.get(create(client, admin, **fields)["id"])


def _set_notify(user, **props):
    merged = dict(user.notify_props or {}, **props)
    users.write(user.id, notify_props=merged)


@pytest.fixture(scope="module")
def w(app, admin):
    client = app.test_client()

    class W:
        pass
    w = W()
    with app.app_context():
        w.alice = _user(client, admin, first_name="Alice")     # first-name mentions on
        w.bob = _user(client, admin)                           # mention keys
        w.carol = _user(client, admin)                         # channel mentions off
        w.dave = _user(client, admin, first_name="Dave")       # first-name mentions off
        w.erin = _user(client, admin)                          # keys, but deactivated
        w.frank = _user(client, admin)                         # ignores channel mentions here
        w.gina = _user(client, admin)                          # follows every thread here
        w.hank = _user(client, admin, first_name="Hank")       # settings stored as spaced JSON
        w.sam = _user(client, admin)                           # the sender
        w.olga = _user(client, admin)                          # not in the channel, has keys
        everyone = (w.alice, w.bob, w.carol, w.dave, w.erin, w.frank, w.gina, w.hank, w.sam, w.olga)
        _set_notify(w.alice, first_name="true")
        _set_notify(w.bob, mention_keys="deploy,Ship-It")
        _set_notify(w.carol, channel="false")
        _set_notify(w.dave, first_name="false")
        _set_notify(w.erin, mention_keys="deploy")
        _set_notify(w.olga, mention_keys="deploy")
        users.write(w.hank.id, {models.User.notify_props: peewee.Value(
            '{"first_name": "true", "channel": "true"}', converter=False)})
        w.team = teams.create({"display_name": "T", "name": unique("team"), "type": "O"})
        for u in everyone:
            teams.add_member(w.team, u)
        w.channel = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("chan"),
                                           "display_name": "C"}, creator=w.sam)
        for u in everyone[:-2]:
            store_channels.add_member(w.channel, u)
        store_channels.update_member(w.channel.id, w.frank.id, {"notify_props": dict(
            store_channels.DEFAULT_NOTIFY_PROPS, ignore_channel_mentions="on")})
        store_channels.update_member(w.channel.id, w.gina.id, {"notify_props": dict(
            store_channels.DEFAULT_NOTIFY_PROPS, channel_auto_follow_threads="on")})
        users.write(w.erin.id, delete_at=1)
        models.Status.delete().where(models.Status.user_id == w.bob.id).execute()
        models.Status.insert(user_id=w.bob.id, status="online", manual=False, last_activity_at=1,
                             dnd_end_time=0, prev_status="").execute()
    return w


def _channel(w):
    return store_channels.get(w.channel.id)


def _reference(channel, sender_id, message, props, options):
    """Who the message mentions by the rules applied to every active member
    at once (the way mentions were computed before only some were loaded)."""
    profiles = posts.channel_profiles(channel.id)
    allow = options.allow_channel_mentions and len(profiles) < options.max_notifications_per_channel
    online = {row[0] for row in models.Status.select(models.Status.user_id).where(
        models.Status.user_id.in_(list(profiles)) & (models.Status.status == "online")).tuples()}
    keywords = mentions.Keywords()
    for user_id, (user, member_props) in profiles.items():
        keywords.add_member(user, member_props, user_id in online, allow)
    return sorted(mentions.explicit(mentions.texts_of(message, props), keywords).user_ids - {sender_id})


MESSAGES = [
    "hello world", "@{bob}.", "@{BOB} look", "deploy now", "Deploy now", "ship-it!", "Alice?", "alice",
    "Dave", "Hank", "hank", "@channel", "@all!", "@here", "`@{bob}` in code", "x@{bob}", "@nobody",
    "@{sam} talks to himself", "@{erin} is gone", "@{olga} is elsewhere", "@channel and deploy and Alice",
]


@pytest.mark.parametrize("options", [
    posts.Options(), posts.Options(max_notifications_per_channel=3), posts.Options(allow_channel_mentions=False)],
    ids=["default", "few-notifications", "no-channel-mentions"])
def test_mentions_match_the_rules_applied_to_every_member(app, w, options):
    names = {"bob": w.bob.username, "BOB": w.bob.username.upper(), "sam": w.sam.username,
             "erin": w.erin.username, "olga": w.olga.username}
    with app.app_context():
        seen = set()
        for template in MESSAGES:
            message = template.format(**names)
            expected = _reference(_channel(w), w.sam.id, message, {}, options)
            made = posts.create({"message": message}, _channel(w), w.sam, options)
            assert made.mentioned == expected, message
            seen.update(expected)
        # The cases reach every kind of keyword.
        assert {w.alice.id, w.bob.id, w.hank.id} <= seen
        assert w.erin.id not in seen and w.olga.id not in seen
        # And in an attachment.
        props = {"attachments": [{"text": "please deploy", "fields": [{"value": "Alice"}]}]}
        made = posts.create({"message": "", "props": props}, _channel(w), w.sam, options)
        assert made.mentioned == _reference(_channel(w), w.sam.id, "", props, options) == sorted(
            [w.alice.id, w.bob.id])


def test_channel_wide_mentions_still_reach_everyone(app, w):
    with app.app_context():
        made = posts.create({"message": "@all hands"}, _channel(w), w.sam)
        assert set(made.mentioned) == {w.alice.id, w.bob.id, w.dave.id, w.gina.id, w.hank.id}
        made = posts.create({"message": "@here hands"}, _channel(w), w.sam)
        assert made.mentioned == [w.bob.id]     # the one online


def test_a_reply_follows_by_the_same_rules(app, w):
    with app.app_context():
        root = posts.create({"message": "time to deploy"}, _channel(w), w.alice).post
        posts.create({"message": "a plain reply", "root_id": root.id}, _channel(w), w.sam)
        # the sender, the root's author, who the root mentions, and who follows every thread
        assert set(threads.followers(root.id)) == {w.sam.id, w.alice.id, w.bob.id, w.gina.id}
        # @channel in the root: the reply makes everyone it reaches a follower
        root = posts.create({"message": "@channel meeting"}, _channel(w), w.alice).post
        posts.create({"message": "ok", "root_id": root.id}, _channel(w), w.sam)
        assert set(threads.followers(root.id)) == {w.sam.id, w.alice.id, w.bob.id, w.dave.id, w.gina.id,
                                                   w.hank.id}
        # A member who stopped following is left alone by a plain reply.
        threads.maintain_membership(w.gina.id, root.id, following=False, update_following=True)
        posts.create({"message": "again", "root_id": root.id}, _channel(w), w.sam)
        assert w.gina.id not in set(threads.followers(root.id))


def test_plain_posts_do_not_load_every_member(app, w, monkeypatch):
    from store import db

    def refuse(self):
        raise AssertionError("every member was loaded for a post that needs only some")
    monkeypatch.setattr(posts._ChannelMembers, "all", refuse)
    statements = []
    original = db.current.db.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        statements.append(sql)
        return original(sql, params, *args, **kwargs)
    with app.app_context():
        channel = _channel(w)
        monkeypatch.setattr(db.current.db, "execute_sql", counting)
        made = posts.create({"message": "just words"}, channel, w.sam)
        monkeypatch.undo()
        monkeypatch.setattr(posts._ChannelMembers, "all", refuse)
        # the insert, the channel's counts, the members the words could concern, and marking it read
        assert len([s for s in statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN"))]) <= 6, statements
        assert made.mentioned == []
        made = posts.create({"message": "@%s deploy" % w.dave.username}, channel, w.sam)
        assert made.mentioned == sorted([w.dave.id, w.bob.id])
        posts.create({"message": "reply", "root_id": made.post.id}, channel, w.sam)
        assert set(threads.followers(made.post.id)) == {w.sam.id, w.dave.id, w.bob.id, w.gina.id}


def test_posted_event_and_answer_are_the_same_post(app, w, client):
    from ws import events
    sent = []
    with app.app_context():
        who = login(client, w.sam.username, PASSWORD)
        previous = events.set_bus(type("Bus", (), {"send": lambda self, m: sent.append(m), "close": lambda self: None})())
        try:
            response = client.post("/api/v4/posts", headers=auth(who), json={
                "channel_id": w.channel.id, "message": "hi @%s" % w.dave.username, "pending_post_id": "p1"})
            assert response.status_code == 201, response.data
            reply = client.post("/api/v4/posts", headers=auth(who), json={
                "channel_id": w.channel.id, "message": "re", "root_id": response.get_json()["id"]})
            assert reply.status_code == 201, reply.data
        finally:
            events.set_bus(previous)
    import json
    answer = response.get_json()
    assert answer["pending_post_id"] == "p1" and answer["reply_count"] == 0 and answer["metadata"] == {}
    posted = [json.loads(m["data"]["post"]) for m in sent if m["event"] == "posted"]
    assert posted and all(p == answer for p in posted[:2])
    assert reply.get_json()["reply_count"] == 1
    updated = [m for m in sent if m["event"] == "thread_updated"]
    assert {m["broadcast"]["user_id"] for m in updated} >= {w.sam.id, w.dave.id}
    for m in updated:
        thread = json.loads(m["data"]["thread"])
        assert thread["reply_count"] == 1 and thread["post"]["id"] == answer["id"]
        assert [p["id"] for p in thread["participants"]] == [w.sam.id]


def test_members_of_a_user_carry_their_scheme_roles(app, w, client):
    with app.app_context():
        scheme = models.Scheme.create(id=unique("scheme").ljust(26, "x")[:26], name="s", display_name="S",
                                      create_at=1, update_at=1, scope="channel",
                                      default_channel_user_role="custom_channel_user")
        other = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("chan"),
                                       "display_name": "C2"}, creator=w.dave)
        models.Channel.update(scheme_id=scheme.id).where(models.Channel.id == other.id).execute()
        who = login(client, w.dave.username, PASSWORD)
        response = client.get("/api/v4/users/me/teams/%s/channels/members" % w.team.id, headers=auth(who))
        assert response.status_code == 200
        roles = {m["channel_id"]: m["roles"] for m in response.get_json()}
        assert "custom_channel_user" in roles[other.id].split()
        assert roles[w.channel.id].split() == ["channel_user"]
        # a deleted scheme falls back to the default roles
        models.Scheme.update(delete_at=5).where(models.Scheme.id == scheme.id).execute()
        roles = {m["channel_id"]: m["roles"] for m in client.get(
            "/api/v4/users/me/teams/%s/channels/members" % w.team.id, headers=auth(who)).get_json()}
        assert "custom_channel_user" not in roles[other.id].split() and "channel_user" in roles[other.id].split()


def test_unread_page_names_its_neighbours(app, w, client):
    with app.app_context():
        channel = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("chan"),
                                         "display_name": "U"}, creator=w.alice)
        store_channels.add_member(channel, w.bob)
        made = []
        for i in range(7):
            time.sleep(0.002)   # distinct create_at: reading state is by time, and a tie hides a post
            made.append(posts.create({"message": "m%d" % i}, store_channels.get(channel.id), w.alice,
                                     posts.Options(mark_viewed=False)).post)
        models.ChannelMember.update(last_viewed_at=made[2].create_at).where(
            (models.ChannelMember.channel_id == channel.id) & (models.ChannelMember.user_id == w.bob.id)).execute()
        who = login(client, w.bob.username, PASSWORD)
        base = "/api/v4/users/%s/channels/%s/posts/unread" % (w.bob.id, channel.id)

        def page(before, after):
            body = client.get(base + "?limit_before=%d&limit_after=%d" % (before, after), headers=auth(who)).get_json()
            return body["order"], body["prev_post_id"], body["next_post_id"]
        # create_at may repeat within a millisecond: compare with the store's own neighbours
        from store import post_queries

        def expected(order):
            posts_by_id = {p.id: p for p in made}
            newest, oldest = posts_by_id[order[0]], posts_by_id[order[-1]]
            return (post_queries.post_id_around_time(channel.id, oldest.create_at, True),
                    post_queries.post_id_around_time(channel.id, newest.create_at, False))
        for before, after in ((1, 2), (1, 60), (60, 2), (60, 60), (2, 3)):
            order, prev_id, next_id = page(before, after)
            assert (prev_id, next_id) == expected(order), (before, after)
        order, prev_id, next_id = page(60, 60)
        assert prev_id == "" and next_id == "" and len(order) == 7
        order, prev_id, next_id = page(1, 2)
        assert prev_id and next_id
        # nothing unread: the newest page
        models.ChannelMember.update(last_viewed_at=made[-1].create_at + 10).where(
            (models.ChannelMember.channel_id == channel.id) & (models.ChannelMember.user_id == w.bob.id)).execute()
        order, prev_id, next_id = page(3, 60)
        assert order == [p.id for p in reversed(made)][:3] and next_id == "" and prev_id == expected(order)[0] != ""
        order, prev_id, next_id = page(60, 60)
        assert len(order) == 7 and prev_id == "" and next_id == ""
