"""The core every post goes through (store/posts.py, store/threads.py,
store/mentions.py): channel counts, mention counts by Mattermost's rules,
thread rows and follows, pending_post_id repeats, edit history, deletion."""
import pytest

from conftest import create, unique
from store import channels as store_channels, mentions, models, posts, teams, threads, users


def _user(client, admin, **fields):
    created = create(client, admin, **fields)
    return users.get(created["id"])


@pytest.fixture(scope="module")
def w(app, admin):
    client = app.test_client()

    class W:
        pass
    w = W()
    with app.app_context():
        w.alice = _user(client, admin, first_name="Alice")
        w.bob = _user(client, admin)
        w.carol = _user(client, admin)
        w.team = teams.create({"display_name": "T", "name": unique("team"), "type": "O"})
        for u in (w.alice, w.bob, w.carol):
            teams.add_member(w.team, u)
        w.channel = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("chan"),
                                           "display_name": "C"}, creator=w.alice)
        for u in (w.bob, w.carol):
            store_channels.add_member(w.channel, u)
    return w


def _member(channel_id, user_id):
    return store_channels.get_member(channel_id, user_id)


def _fresh(w):
    return store_channels.get(w.channel.id)


def test_root_post_counts_and_mentions(app, w):
    with app.app_context():
        before = _fresh(w)
        bob_before = _member(w.channel.id, w.bob.id)
        made = posts.create({"message": "hello @%s. and `@%s` #news" % (w.bob.username, w.carol.username)},
                            before, w.alice)
        after = _fresh(w)
        assert after.total_msg_count == before.total_msg_count + 1
        assert after.total_msg_count_root == before.total_msg_count_root + 1
        assert after.last_post_at == made.post.create_at == after.last_root_post_at
        assert made.mentioned == [w.bob.id]
        bob = _member(w.channel.id, w.bob.id)
        assert bob.mention_count == bob_before.mention_count + 1
        assert bob.mention_count_root == bob_before.mention_count_root + 1
        assert _member(w.channel.id, w.carol.id).mention_count == 0   # inside code
        alice = _member(w.channel.id, w.alice.id)
        assert alice.msg_count == after.total_msg_count and alice.last_viewed_at >= made.post.create_at
        assert made.post.hashtags == "#news"


def test_channel_wide_mentions_respect_settings(app, w):
    with app.app_context():
        store_channels.update_member(w.channel.id, w.carol.id, {"notify_props": dict(
            store_channels.DEFAULT_NOTIFY_PROPS, ignore_channel_mentions="on")})
        made = posts.create({"message": "@channel look"}, _fresh(w), w.alice)
        assert w.bob.id in made.mentioned and w.carol.id not in made.mentioned
        assert w.alice.id not in made.mentioned
        made = posts.create({"message": "@all look"}, _fresh(w), w.alice,
                            posts.Options(allow_channel_mentions=False))
        assert made.mentioned == []


def test_reply_builds_thread_and_follows(app, w):
    with app.app_context():
        root = posts.create({"message": "question for @%s" % w.carol.username}, _fresh(w), w.alice).post
        carol_before = _member(w.channel.id, w.carol.id)
        reply = posts.create({"message": "answer", "root_id": root.id}, _fresh(w), w.bob).post
        thread = models.Thread.get(models.Thread.post_id == root.id)
        assert thread.reply_count == 1 and thread.last_reply_at == reply.create_at
        assert threads.participants(thread) == [w.bob.id]
        assert set(threads.followers(root.id)) == {w.alice.id, w.bob.id, w.carol.id}
        assert threads.get_membership(root.id, w.bob.id).last_viewed == reply.create_at
        # a reply mentions nobody here: no channel mention counts move
        assert _member(w.channel.id, w.carol.id).mention_count == carol_before.mention_count
        mention = posts.create({"message": "@%s see" % w.carol.username, "root_id": root.id}, _fresh(w), w.bob).post
        carol = _member(w.channel.id, w.carol.id)
        assert carol.mention_count == carol_before.mention_count + 1
        assert carol.mention_count_root == carol_before.mention_count_root   # replies do not count for root
        assert threads.get_membership(root.id, w.carol.id).unread_mentions == 1
        # unfollowed threads stay unfollowed unless mentioned again
        threads.maintain_membership(w.alice.id, root.id, following=False, update_following=True)
        posts.create({"message": "more", "root_id": root.id}, _fresh(w), w.bob)
        assert not threads.get_membership(root.id, w.alice.id).following
        # deleting a reply recounts; deleting the root takes the replies
        posts.delete(mention, w.bob.id)
        assert models.Thread.get(models.Thread.post_id == root.id).reply_count == 2
        gone = posts.delete(root, w.alice.id)
        assert len(gone) == 3
        assert models.Post.select().where((models.Post.root_id == root.id) & (models.Post.delete_at == 0)).count() == 0


def test_pending_post_id_repeats_answer_the_same_post(app, w):
    with app.app_context():
        fields = {"message": "once", "pending_post_id": "%s:%d" % (w.alice.id, 12345)}
        first = posts.create(fields, _fresh(w), w.alice)
        count = _fresh(w).total_msg_count
        again = posts.create(fields, _fresh(w), w.alice)
        assert again.repeated and again.post.id == first.post.id
        assert _fresh(w).total_msg_count == count


def test_direct_and_group_messages_mention_the_others(app, w):
    with app.app_context():
        dm, _ = store_channels.get_or_create_direct(w.alice, w.bob)
        made = posts.create({"message": "hi"}, dm, w.alice)
        assert made.mentioned == [w.bob.id]
        assert _member(dm.id, w.bob.id).mention_count >= 1
        gm, _ = store_channels.get_or_create_group([w.alice, w.bob, w.carol], w.alice.id)
        made = posts.create({"message": "hi all"}, gm, w.alice)
        assert made.mentioned == sorted([w.bob.id, w.carol.id])


def test_edit_keeps_history(app, w):
    with app.app_context():
        post = posts.create({"message": "first"}, _fresh(w), w.alice).post
        edited = posts.edit(post, message="second #tag")
        assert edited.message == "second #tag" and edited.edit_at > 0 and edited.hashtags == "#tag"
        history = list(models.Post.select().where(models.Post.original_id == post.id))
        assert [h.message for h in history] == ["first"] and history[0].delete_at > 0
        pinned = posts.edit(edited, is_pinned=True)
        assert pinned.is_pinned and models.Post.select().where(models.Post.original_id == post.id).count() == 1


def test_mention_parser():
    keywords = mentions.Keywords()

    class U:
        pass
    u = U()
    u.id, u.username, u.first_name, u.notify_props = "u1", "alice", "Alice", {"mention_keys": "Deploy,db", "first_name": "true"}
    keywords.add_member(u, {}, online=False, allow_channel_mentions=True)
    assert mentions.explicit(["ping @ALICE!"], keywords).user_ids == {"u1"}
    assert mentions.explicit(["the deploy is done"], keywords).user_ids == {"u1"}
    assert mentions.explicit(["alice lowercase"], keywords).user_ids == set()
    assert mentions.explicit(["Alice capital"], keywords).user_ids == {"u1"}
    assert mentions.explicit(["```\n@alice\n```"], keywords).user_ids == set()
    assert mentions.explicit(["@here now"], keywords).user_ids == set()      # not online
    assert mentions.explicit(["@nobody"], keywords).unknown == ["nobody"]
    assert mentions.hashtags("#one ##two #3x (#four) #a.b. #x") == "#one #two #four #a.b"


def test_leaving_a_channel_drops_thread_memberships(app, admin, w):
    with app.app_context():
        dave = users.get(create(app.test_client(), admin)["id"])
        teams.add_member(w.team, dave)
        store_channels.add_member(w.channel, dave)
        root = posts.create({"message": "root by @%s" % dave.username}, _fresh(w), w.alice).post
        posts.create({"message": "reply", "root_id": root.id}, _fresh(w), w.bob)
        assert threads.get_membership(root.id, dave.id) is not None
        store_channels.remove_member(w.channel.id, dave.id)
        assert threads.get_membership(root.id, dave.id) is None
        assert threads.get_membership(root.id, w.bob.id) is not None
