"""Handlers for the 'channels' operations of the document."""
from handlers.stub import stub


@stub("GetAllChannels")
def get_all_channels(**kwargs):
    """GET /api/v4/channels"""


@stub("CreateChannel")
def create_channel(**kwargs):
    """POST /api/v4/channels"""


@stub("CreateDirectChannel")
def create_direct_channel(**kwargs):
    """POST /api/v4/channels/direct"""


@stub("CreateGroupChannel")
def create_group_channel(**kwargs):
    """POST /api/v4/channels/group"""


@stub("SearchGroupChannels")
def search_group_channels(**kwargs):
    """POST /api/v4/channels/group/search"""


@stub("SearchAllChannels")
def search_all_channels(**kwargs):
    """POST /api/v4/channels/search"""


@stub("GetChannel")
def get_channel(**kwargs):
    """GET /api/v4/channels/{channel_id}"""


@stub("UpdateChannel")
def update_channel(**kwargs):
    """PUT /api/v4/channels/{channel_id}"""


@stub("DeleteChannel")
def delete_channel(**kwargs):
    """DELETE /api/v4/channels/{channel_id}"""


@stub("GetGroupMessageMembersCommonTeams")
def get_group_message_members_common_teams(**kwargs):
    """GET /api/v4/channels/{channel_id}/common_teams"""


@stub("GetChannelModerations")
def get_channel_moderations(**kwargs):
    """GET /api/v4/channels/{channel_id}/moderations"""


@stub("PatchChannelModerations")
def patch_channel_moderations(**kwargs):
    """PUT /api/v4/channels/{channel_id}/moderations/patch"""


@stub("MoveChannel")
def move_channel(**kwargs):
    """POST /api/v4/channels/{channel_id}/move"""


@stub("GetChannelPages")
def get_channel_pages(**kwargs):
    """GET /api/v4/channels/{channel_id}/pages"""


@stub("PatchChannel")
def patch_channel(**kwargs):
    """PUT /api/v4/channels/{channel_id}/patch"""


@stub("UpdateChannelPrivacy")
def update_channel_privacy(**kwargs):
    """PUT /api/v4/channels/{channel_id}/privacy"""


@stub("RestoreChannel")
def restore_channel(**kwargs):
    """POST /api/v4/channels/{channel_id}/restore"""


@stub("UpdateChannelScheme")
def update_channel_scheme(**kwargs):
    """PUT /api/v4/channels/{channel_id}/scheme"""


@stub("GetChannelByNameForTeamName")
def get_channel_by_name_for_team_name(**kwargs):
    """GET /api/v4/teams/name/{team_name}/channels/name/{channel_name}"""


@stub("GetPublicChannelsForTeam")
def get_public_channels_for_team(**kwargs):
    """GET /api/v4/teams/{team_id}/channels"""


@stub("AutocompleteChannelsForTeam")
def autocomplete_channels_for_team(**kwargs):
    """GET /api/v4/teams/{team_id}/channels/autocomplete"""


@stub("GetDeletedChannelsForTeam")
def get_deleted_channels_for_team(**kwargs):
    """GET /api/v4/teams/{team_id}/channels/deleted"""


@stub("GetPublicChannelsByIdsForTeam")
def get_public_channels_by_ids_for_team(**kwargs):
    """POST /api/v4/teams/{team_id}/channels/ids"""


@stub("GetManagedCategories")
def get_managed_categories(**kwargs):
    """GET /api/v4/teams/{team_id}/channels/managed_categories"""


@stub("GetChannelByName")
def get_channel_by_name(**kwargs):
    """GET /api/v4/teams/{team_id}/channels/name/{channel_name}"""


@stub("GetPrivateChannelsForTeam")
def get_private_channels_for_team(**kwargs):
    """GET /api/v4/teams/{team_id}/channels/private"""


@stub("GetRecommendedChannelsForTeam")
def get_recommended_channels_for_team(**kwargs):
    """GET /api/v4/teams/{team_id}/channels/recommended"""


@stub("SearchChannels")
def search_channels(**kwargs):
    """POST /api/v4/teams/{team_id}/channels/search"""


@stub("AutocompleteChannelsForTeamForSearch")
def autocomplete_channels_for_team_for_search(**kwargs):
    """GET /api/v4/teams/{team_id}/channels/search_autocomplete"""


@stub("GetChannelsForUser")
def get_channels_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/channels"""


@stub("GetChannelsForTeamForUser")
def get_channels_for_team_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/channels"""


# Channel members and reading state live in their own module.
from handlers.channel_members import (  # noqa: E402,F401
    mark_all_direct_messages_read,
    view_channel,
    get_channel_member_counts_by_group,
    get_channel_members,
    add_channel_member,
    set_channel_members,
    get_channel_members_by_ids,
    get_channel_member,
    remove_user_from_channel,
    update_channel_member_autotranslation,
    update_channel_notify_props,
    update_channel_roles,
    update_channel_member_scheme_roles,
    channel_members_minus_group_members,
    get_pinned_posts,
    get_channel_stats,
    get_channel_members_timezones,
    get_channel_unread,
    get_channel_members_for_user,
)


# The sidebar categories live in their own module.
from handlers.sidebar import (  # noqa: E402,F401
    get_sidebar_categories_for_team_for_user,
    create_sidebar_category_for_team_for_user,
    update_sidebar_categories_for_team_for_user,
    get_sidebar_category_order_for_team_for_user,
    update_sidebar_category_order_for_team_for_user,
    get_sidebar_category_for_team_for_user,
    update_sidebar_category_for_team_for_user,
    remove_sidebar_category_for_team_for_user,
)
