"""Handlers for channel membership and reading state (tag 'channels';
handlers/channels.py imports them, so the router finds them there)."""
from handlers.stub import stub


@stub("MarkAllDirectMessagesRead")
def mark_all_direct_messages_read(**kwargs):
    """PUT /api/v4/channels/members/{user_id}/direct/read"""


@stub("ViewChannel")
def view_channel(**kwargs):
    """POST /api/v4/channels/members/{user_id}/view"""


@stub("GetChannelMemberCountsByGroup")
def get_channel_member_counts_by_group(**kwargs):
    """GET /api/v4/channels/{channel_id}/member_counts_by_group"""


@stub("GetChannelMembers")
def get_channel_members(**kwargs):
    """GET /api/v4/channels/{channel_id}/members"""


@stub("AddChannelMember")
def add_channel_member(**kwargs):
    """POST /api/v4/channels/{channel_id}/members"""


@stub("SetChannelMembers")
def set_channel_members(**kwargs):
    """PUT /api/v4/channels/{channel_id}/members"""


@stub("GetChannelMembersByIds")
def get_channel_members_by_ids(**kwargs):
    """POST /api/v4/channels/{channel_id}/members/ids"""


@stub("GetChannelMember")
def get_channel_member(**kwargs):
    """GET /api/v4/channels/{channel_id}/members/{user_id}"""


@stub("RemoveUserFromChannel")
def remove_user_from_channel(**kwargs):
    """DELETE /api/v4/channels/{channel_id}/members/{user_id}"""


@stub("UpdateChannelMemberAutotranslation")
def update_channel_member_autotranslation(**kwargs):
    """PUT /api/v4/channels/{channel_id}/members/{user_id}/autotranslation"""


@stub("UpdateChannelNotifyProps")
def update_channel_notify_props(**kwargs):
    """PUT /api/v4/channels/{channel_id}/members/{user_id}/notify_props"""


@stub("UpdateChannelRoles")
def update_channel_roles(**kwargs):
    """PUT /api/v4/channels/{channel_id}/members/{user_id}/roles"""


@stub("UpdateChannelMemberSchemeRoles")
def update_channel_member_scheme_roles(**kwargs):
    """PUT /api/v4/channels/{channel_id}/members/{user_id}/schemeRoles"""


@stub("ChannelMembersMinusGroupMembers")
def channel_members_minus_group_members(**kwargs):
    """GET /api/v4/channels/{channel_id}/members_minus_group_members"""


@stub("GetPinnedPosts")
def get_pinned_posts(**kwargs):
    """GET /api/v4/channels/{channel_id}/pinned"""


@stub("GetChannelStats")
def get_channel_stats(**kwargs):
    """GET /api/v4/channels/{channel_id}/stats"""


@stub("GetChannelMembersTimezones")
def get_channel_members_timezones(**kwargs):
    """GET /api/v4/channels/{channel_id}/timezones"""


@stub("GetChannelUnread")
def get_channel_unread(**kwargs):
    """GET /api/v4/users/{user_id}/channels/{channel_id}/unread"""


@stub("GetChannelMembersForUser")
def get_channel_members_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/channels/members"""
