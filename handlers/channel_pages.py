"""GetChannelPages: the wiki pages of a channel (posts of type "page"), as
Mattermost's getChannelPages answers: the channel id, the channel, the right
to read it, and no pages of direct or group messages for guests."""
from api import errors, permissions
from handlers import common
from store import channels as store_channels, post_queries, posts as store_posts


def get_channel_pages(channel_id):
    session = common.session()
    common.path_id(channel_id, "channel_id")
    channel = store_channels.get(channel_id)
    if channel is None:
        raise errors.AppError(404, "app.channel.get.existing.app_error", "There is no such channel.",
                              "channel_id=%s" % channel_id)
    if not permissions.can_read_channel(session, channel):
        raise errors.permission_denied(["read_channel_content"])
    if channel.type in ("D", "G") and "system_guest" in (session.roles or "").split():
        raise errors.AppError(403, "api.page.permission.guest_cannot_access.app_error",
                              "Guests cannot read the pages of direct and group messages.")
    return store_posts.posts_json(post_queries.channel_pages(channel.id))
