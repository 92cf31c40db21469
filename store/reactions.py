"""Reactions: a user's emoji on a post, in Mattermost's Reaction shape."""
from store import models


def reaction_json(reaction):
    return {
        "user_id": reaction.user_id, "post_id": reaction.post_id, "emoji_name": reaction.emoji_name,
        "create_at": reaction.create_at, "update_at": reaction.update_at, "delete_at": reaction.delete_at,
        "remote_id": reaction.remote_id or "", "channel_id": reaction.channel_id,
    }


def for_posts(post_ids):
    """{post id: [Reaction rows that are not deleted, oldest first]}."""
    if not post_ids:
        return {}
    Reaction = models.Reaction
    found = {}
    for reaction in (Reaction.select().where(Reaction.post_id.in_(list(set(post_ids))) & (Reaction.delete_at == 0))
                     .order_by(Reaction.create_at)):
        found.setdefault(reaction.post_id, []).append(reaction)
    return found
