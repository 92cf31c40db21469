"""Handlers for the 'reactions' operations of the document: a user's emoji on
a post, as Mattermost's server keeps them.

Access goes by the post (Mattermost's SessionHasPermissionToChannelByPost):
the caller's channel member roles, then the team roles of the post's channel,
then the system roles; a post that does not exist is judged by the system
roles alone, so a 403 comes before any 404.
"""
from api import config as config_module, errors, permissions
from handlers import common
from store import channels as store_channels, emoji as store_emoji, posts as store_posts
from store import reactions as store_reactions, roles
from store.ids import is_valid_id
from ws import post_events

DEFAULT_UNIQUE_LIMIT = 50


def _now():
    import time
    return int(time.time() * 1000)


# ---------------------------------------------------------------------------
# Helpers

def can_by_post(session, post_id, permission, channel_ids=None):
    """Whether the session may do permission on the post's channel
    (channel_ids: {post id: channel id} when the caller looked them up)."""
    if session is None or not post_id:
        return False
    if channel_ids is None:
        channel_ids = store_reactions.post_channel_ids([post_id])
    channel_id = channel_ids.get(post_id)
    channel = store_channels.get(channel_id) if channel_id else None
    if channel is not None:
        archived_hidden = channel.delete_at and not config_module.current()["TeamSettings"][
            "ExperimentalViewArchivedChannels"]
        member = None if archived_hidden else store_channels.get_member(channel.id, session.user_id)
        if member is not None and permission in roles.permissions_of(
                store_channels.member_role_names(member, channel)):
            return True
        if channel.team_id:
            return permissions.has_team(session, channel.team_id, permission)
    return permissions.has(session, permission)


def _require_by_post(session, post_id, permission, channel_ids=None):
    if not can_by_post(session, post_id, permission, channel_ids):
        raise errors.permission_denied([permission])


def _live_post(post_id):
    post = store_posts.get(post_id)
    if post is None:
        raise errors.AppError(404, "app.post.get.app_error", "The post was not found.", "post_id=%s" % post_id)
    return post


def _unique_limit():
    value = config_module.current()["ServiceSettings"]["UniqueEmojiReactionLimitPerPost"]
    return value if isinstance(value, int) and value > 0 else DEFAULT_UNIQUE_LIMIT


def require_emoji_name_known(name):
    """A system emoji, or a custom emoji that exists (Mattermost's errors when not)."""
    if store_emoji.is_system_name(name):
        return
    if not config_module.current()["ServiceSettings"]["EnableCustomEmoji"]:
        raise errors.AppError(403, "api.emoji.disabled.app_error", "Custom emoji are turned off on this server.")
    if not store_emoji.valid_name_format(name) or store_emoji.get_by_name(name) is None:
        raise errors.AppError(404, "app.emoji.get_by_name.no_result", "There is no emoji with that name.",
                              "name=%s" % name)


# ---------------------------------------------------------------------------
# Operations

def save_reaction(body):
    """React to a post as yourself (add_reaction on the post's channel).
    Mattermost answers 200 with the reaction."""
    session = common.session()
    body = body if isinstance(body, dict) else {}
    user_id, post_id = body.get("user_id") or "", body.get("post_id") or ""
    emoji_name = body.get("emoji_name") or ""
    if (not is_valid_id(user_id) or not is_valid_id(post_id) or not isinstance(emoji_name, str) or not emoji_name
            or len(emoji_name.encode("utf-8")) > store_emoji.NAME_MAX_LENGTH):
        raise errors.AppError(400, "api.reaction.save_reaction.invalid.app_error",
                              "The reaction needs a valid user_id, post_id and emoji_name.")
    if user_id != session.user_id:
        raise errors.AppError(403, "api.reaction.save_reaction.user_id.app_error",
                              "You can only react as yourself.")
    _require_by_post(session, post_id, "add_reaction")
    post = _live_post(post_id)
    require_emoji_name_known(emoji_name)
    if not store_reactions.exists_on_post(post_id, emoji_name):
        if store_reactions.unique_count(post_id) >= _unique_limit():
            raise errors.AppError(400, "app.reaction.save.save.too_many_reactions",
                                  "The post already has as many different emoji reactions as this server allows.")
    channel = store_channels.get(post.channel_id)
    if channel is None or channel.delete_at:
        raise errors.AppError(403, "api.reaction.save.archived_channel.app_error",
                              "You cannot react to posts in an archived channel.")
    if not store_emoji.valid_name_format(emoji_name):
        raise errors.AppError(400, "model.reaction.is_valid.emoji_name.app_error",
                              "The emoji name is not valid.", "emoji_name=%s" % emoji_name)
    create_at = body.get("create_at")
    reaction = store_reactions.save(session.user_id, post.id, emoji_name, post.channel_id,
                                    create_at if isinstance(create_at, int) and create_at > 0 else 0)
    body = store_reactions.reaction_json(reaction)
    post_events.reaction("reaction_added", body, post.channel_id)
    return body


def get_reactions(post_id):
    """The live reactions on a post, oldest first (read_channel_content)."""
    session = common.session()
    post_id = common.path_id(post_id, "post_id")
    _require_by_post(session, post_id, "read_channel_content")
    return [store_reactions.reaction_json(r) for r in store_reactions.for_post(post_id)]


def delete_reaction(user_id, post_id, emoji_name):
    """Remove a reaction (remove_reaction on the channel; someone else's also
    needs remove_others_reactions system-wide)."""
    session = common.session()
    user_id = common.path_id(user_id, "user_id")
    post_id = common.path_id(post_id, "post_id")
    if not store_emoji.valid_name_format(emoji_name):
        raise errors.invalid_url_param("emoji_name")
    _require_by_post(session, post_id, "remove_reaction")
    if user_id != session.user_id and not permissions.has(session, "remove_others_reactions"):
        raise errors.permission_denied(["remove_others_reactions"])
    post = _live_post(post_id)
    channel = store_channels.get(post.channel_id)
    if channel is None or channel.delete_at:
        raise errors.AppError(403, "api.reaction.delete.archived_channel.app_error",
                              "You cannot remove reactions in an archived channel.")
    before = [r for r in store_reactions.for_post(post.id) if r.user_id == user_id and r.emoji_name == emoji_name]
    store_reactions.delete(user_id, post.id, emoji_name)
    # Mattermost sends the reaction it was asked to remove, whether or not there was one.
    body = store_reactions.reaction_json(before[0]) if before else {
        "user_id": user_id, "post_id": post.id, "emoji_name": emoji_name, "create_at": 0, "update_at": 0,
        "delete_at": 0, "remote_id": "", "channel_id": post.channel_id}
    if before:
        body["update_at"] = body["delete_at"] = _now()
    post_events.reaction("reaction_removed", body, post.channel_id)
    return {"status": "OK"}


def get_bulk_reactions(body):
    """{post id: [reactions]} for every listed post; all must be readable."""
    session = common.session()
    if not isinstance(body, list) or not all(isinstance(x, str) for x in body):
        raise errors.AppError(400, "api.payload.parse.error", "The request body could not be parsed.")
    post_ids = list(dict.fromkeys(body))
    # Only well-formed ids can name posts (and only they reach the store).
    channel_ids = store_reactions.post_channel_ids([p for p in post_ids if is_valid_id(p)])
    for post_id in post_ids:
        _require_by_post(session, post_id, "read_channel_content", channel_ids)
    found = store_reactions.for_posts([p for p in post_ids if is_valid_id(p)])
    return {post_id: [store_reactions.reaction_json(r) for r in found.get(post_id, [])] for post_id in post_ids}
