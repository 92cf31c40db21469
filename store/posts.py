"""Posts as clients see them: a post in Mattermost's Post shape and lists in
its PostList shape. (Posts are written by the posts operations.)"""
import json

import peewee

from store import models


def _id_list(text):
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def post_json(post, reply_count=0, last_reply_at=0):
    """A post in Mattermost's shape; reply_count and last_reply_at describe its thread."""
    body = {
        "id": post.id, "create_at": post.create_at, "update_at": post.update_at, "edit_at": post.edit_at,
        "delete_at": post.delete_at, "is_pinned": post.is_pinned, "user_id": post.user_id,
        "channel_id": post.channel_id, "root_id": post.root_id, "original_id": post.original_id,
        "message": post.message, "type": post.type, "props": post.props or {}, "hashtags": post.hashtags,
        "file_ids": _id_list(post.file_ids), "pending_post_id": "", "reply_count": reply_count,
        "last_reply_at": last_reply_at, "participants": None, "metadata": {},
    }
    # Mattermost leaves these out when unset.
    if post.has_reactions:
        body["has_reactions"] = True
    if post.remote_id:
        body["remote_id"] = post.remote_id
    return body


def post_list_json(posts, order=None, next_post_id="", prev_post_id="", has_next=None):
    """A PostList: posts keyed by id, their order (the given one, else as
    listed), the neighbouring post ids, and has_next only when it is known
    (Mattermost leaves it out otherwise). posts are post_json dicts."""
    body = {
        "order": list(order) if order is not None else [p["id"] for p in posts],
        "posts": {p["id"]: p for p in posts},
        "next_post_id": next_post_id, "prev_post_id": prev_post_id,
        "first_inaccessible_post_time": 0,
    }
    if has_next is not None:
        body["has_next"] = has_next
    return body


def post_list_etag(version, body):
    """Mattermost's PostList ETag: the first id in the order, and the id and
    update time of the most recently updated post."""
    newest_id, newest_at = "0", 0
    for post in body["posts"].values():
        if post["update_at"] > newest_at or (post["update_at"] == newest_at and post["id"] > newest_id):
            newest_id, newest_at = post["id"], post["update_at"]
    first = body["order"][0] if body["order"] else ""
    return "%s.%s.%s.%d" % (version, first, newest_id, newest_at)


def get(post_id):
    """A post that is not deleted, or None."""
    return models.Post.get_or_none((models.Post.id == post_id) & (models.Post.delete_at == 0))


def reply_counts(root_ids):
    """{root id: number of replies not deleted}."""
    if not root_ids:
        return {}
    Post = models.Post
    rows = (Post.select(Post.root_id, peewee.fn.COUNT(Post.id))
            .where(Post.root_id.in_(list(set(root_ids))) & (Post.delete_at == 0))
            .group_by(Post.root_id).tuples())
    return dict(rows)


def pinned(channel_id):
    """The channel's pinned posts that are not deleted, oldest first (the order
    Mattermost lists them in), as post_json dicts."""
    Post = models.Post
    posts = list(Post.select().where((Post.channel_id == channel_id) & (Post.is_pinned == True)  # noqa: E712
                                     & (Post.delete_at == 0)).order_by(Post.create_at, Post.id))
    counts = reply_counts([p.root_id or p.id for p in posts])
    return [post_json(p, reply_count=counts.get(p.root_id or p.id, 0)) for p in posts]
