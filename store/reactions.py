"""Reactions: a user's emoji on a post, in Mattermost's Reaction shape."""
from store import models
from store.db import Lookup


def reaction_json(reaction):
    return {
        "user_id": reaction.user_id, "post_id": reaction.post_id, "emoji_name": reaction.emoji_name,
        "create_at": reaction.create_at, "update_at": reaction.update_at, "delete_at": reaction.delete_at,
        "remote_id": reaction.remote_id or "", "channel_id": reaction.channel_id,
    }


_R = models.Reaction
_FOR_POSTS = Lookup(_R, lambda a: _R.select().where(_R.post_id.in_(a[0]) & (_R.delete_at == 0))
                    .order_by(_R.create_at))


def for_posts(post_ids):
    """{post id: [Reaction rows that are not deleted, oldest first]}."""
    if not post_ids:
        return {}
    found = {}
    for reaction in _FOR_POSTS.all(sorted(set(post_ids))):
        found.setdefault(reaction.post_id, []).append(reaction)
    return found


# ---------------------------------------------------------------------------
# Writes and the reads the reactions operations need. Reactions are soft-deleted
# (delete_at set) as Mattermost does; adding one again revives the row.

def _millis():
    import time
    return int(time.time() * 1000)


def post_channel_ids(post_ids):
    """{post id: channel id} for the posts that exist (deleted ones too)."""
    ids = [p for p in set(post_ids) if p]
    if not ids:
        return {}
    Post = models.Post
    return dict(Post.select(Post.id, Post.channel_id).where(Post.id.in_(ids)).tuples())


def for_post(post_id):
    """The post's reactions that are not deleted, oldest first."""
    return for_posts([post_id]).get(post_id, [])


def exists_on_post(post_id, emoji_name):
    Reaction = models.Reaction
    return Reaction.select().where((Reaction.post_id == post_id) & (Reaction.emoji_name == emoji_name)
                                   & (Reaction.delete_at == 0)).exists()


def unique_count(post_id):
    """How many different emoji the post's reactions use."""
    Reaction = models.Reaction
    return (Reaction.select(Reaction.emoji_name).where((Reaction.post_id == post_id) & (Reaction.delete_at == 0))
            .distinct().count())


def save(user_id, post_id, emoji_name, channel_id, create_at=0):
    """Add (or revive) a reaction and mark its post as having reactions; the
    post's update_at moves. Returns the reaction as Mattermost answers it: the
    row kept in the store keeps its first create_at."""
    from store.db import transaction
    now = _millis()
    Reaction = models.Reaction
    reaction = Reaction(user_id=user_id, post_id=post_id, emoji_name=emoji_name, create_at=create_at or now,
                        update_at=now, delete_at=0, remote_id="", channel_id=channel_id)
    with transaction():
        (Reaction.insert(user_id=user_id, post_id=post_id, emoji_name=emoji_name, create_at=reaction.create_at,
                         update_at=now, delete_at=0, remote_id="", channel_id=channel_id)
         .on_conflict(conflict_target=[Reaction.post_id, Reaction.user_id, Reaction.emoji_name],
                      update={Reaction.update_at: now, Reaction.delete_at: 0, Reaction.remote_id: "",
                              Reaction.channel_id: channel_id})
         .execute())
        models.Post.update(has_reactions=True, update_at=now).where(models.Post.id == post_id).execute()
    return reaction


def _recount_post(post_ids, now):
    Reaction, Post = models.Reaction, models.Post
    for post_id in post_ids:
        alive = Reaction.select().where((Reaction.post_id == post_id) & (Reaction.delete_at == 0)).exists()
        Post.update(has_reactions=alive, update_at=now).where(Post.id == post_id).execute()


def delete(user_id, post_id, emoji_name):
    """Soft-delete a user's reaction (whether or not there is one) and
    recompute the post's has_reactions; the post's update_at moves."""
    from store.db import transaction
    now = _millis()
    Reaction = models.Reaction
    with transaction():
        Reaction.update(update_at=now, delete_at=now, remote_id="").where(
            (Reaction.post_id == post_id) & (Reaction.user_id == user_id)
            & (Reaction.emoji_name == emoji_name)).execute()
        _recount_post([post_id], now)


def delete_all_with_emoji_name(emoji_name):
    """Soft-delete every live reaction that uses the emoji (a custom emoji is
    being deleted); their posts' has_reactions are recomputed."""
    from store.db import transaction
    now = _millis()
    Reaction = models.Reaction
    with transaction():
        live = (Reaction.emoji_name == emoji_name) & (Reaction.delete_at == 0)
        post_ids = sorted({row[0] for row in Reaction.select(Reaction.post_id).where(live).tuples()})
        Reaction.update(update_at=now, delete_at=now).where(live).execute()
        _recount_post(post_ids, now)
    return post_ids
