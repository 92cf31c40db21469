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


@stub("MarkAllDirectMessagesRead")
def mark_all_direct_messages_read(**kwargs):
    """PUT /api/v4/channels/members/{user_id}/direct/read"""


@stub("ViewChannel")
def view_channel(**kwargs):
    """POST /api/v4/channels/members/{user_id}/view"""


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


@stub("GetPinnedPosts")
def get_pinned_posts(**kwargs):
    """GET /api/v4/channels/{channel_id}/pinned"""


@stub("UpdateChannelPrivacy")
def update_channel_privacy(**kwargs):
    """PUT /api/v4/channels/{channel_id}/privacy"""


@stub("RestoreChannel")
def restore_channel(**kwargs):
    """POST /api/v4/channels/{channel_id}/restore"""


@stub("UpdateChannelScheme")
def update_channel_scheme(**kwargs):
    """PUT /api/v4/channels/{channel_id}/scheme"""


@stub("GetChannelStats")
def get_channel_stats(**kwargs):
    """GET /api/v4/channels/{channel_id}/stats"""


@stub("GetChannelMembersTimezones")
def get_channel_members_timezones(**kwargs):
    """GET /api/v4/channels/{channel_id}/timezones"""


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


@stub("GetChannelUnread")
def get_channel_unread(**kwargs):
    """GET /api/v4/users/{user_id}/channels/{channel_id}/unread"""


@stub("GetChannelsForTeamForUser")
def get_channels_for_team_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/channels"""


@stub("GetSidebarCategoriesForTeamForUser")
def get_sidebar_categories_for_team_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/channels/categories"""


@stub("CreateSidebarCategoryForTeamForUser")
def create_sidebar_category_for_team_for_user(**kwargs):
    """POST /api/v4/users/{user_id}/teams/{team_id}/channels/categories"""


@stub("UpdateSidebarCategoriesForTeamForUser")
def update_sidebar_categories_for_team_for_user(**kwargs):
    """PUT /api/v4/users/{user_id}/teams/{team_id}/channels/categories"""


@stub("GetSidebarCategoryOrderForTeamForUser")
def get_sidebar_category_order_for_team_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/channels/categories/order"""


@stub("UpdateSidebarCategoryOrderForTeamForUser")
def update_sidebar_category_order_for_team_for_user(**kwargs):
    """PUT /api/v4/users/{user_id}/teams/{team_id}/channels/categories/order"""


@stub("GetSidebarCategoryForTeamForUser")
def get_sidebar_category_for_team_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}"""


@stub("UpdateSidebarCategoryForTeamForUser")
def update_sidebar_category_for_team_for_user(**kwargs):
    """PUT /api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}"""


@stub("RemoveSidebarCategoryForTeamForUser")
def remove_sidebar_category_for_team_for_user(**kwargs):
    """DELETE /api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}"""


@stub("GetChannelMembersForUser")
def get_channel_members_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/channels/members"""
