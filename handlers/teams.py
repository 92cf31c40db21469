"""Handlers for the 'teams' operations of the document."""
from api import errors
from store.ids import is_valid_id
from handlers.stub import stub


@stub("CreateTeam")
def create_team(**kwargs):
    """POST /api/v4/teams"""


@stub("GetAllTeams")
def get_all_teams(**kwargs):
    """GET /api/v4/teams"""



@stub("InvalidateEmailInvites")
def invalidate_email_invites(**kwargs):
    """DELETE /api/v4/teams/invites/email"""


@stub("AddTeamMemberFromInvite")
def add_team_member_from_invite(**kwargs):
    """POST /api/v4/teams/members/invite"""


@stub("GetTeamByName")
def get_team_by_name(**kwargs):
    """GET /api/v4/teams/name/{name}"""


@stub("TeamExists")
def team_exists(**kwargs):
    """GET /api/v4/teams/name/{name}/exists"""


@stub("SearchTeams")
def search_teams(**kwargs):
    """POST /api/v4/teams/search"""


@stub("GetTeam")
def get_team(**kwargs):
    """GET /api/v4/teams/{team_id}"""


@stub("UpdateTeam")
def update_team(**kwargs):
    """PUT /api/v4/teams/{team_id}"""


@stub("SoftDeleteTeam")
def soft_delete_team(**kwargs):
    """DELETE /api/v4/teams/{team_id}"""


@stub("SearchFiles")
def search_files(**kwargs):
    """POST /api/v4/teams/{team_id}/files/search"""


@stub("GetTeamIcon")
def get_team_icon(**kwargs):
    """GET /api/v4/teams/{team_id}/image"""


@stub("SetTeamIcon")
def set_team_icon(**kwargs):
    """POST /api/v4/teams/{team_id}/image"""


@stub("RemoveTeamIcon")
def remove_team_icon(**kwargs):
    """DELETE /api/v4/teams/{team_id}/image"""


@stub("ImportTeam")
def import_team(**kwargs):
    """POST /api/v4/teams/{team_id}/import"""


@stub("InviteGuestsToTeam")
def invite_guests_to_team(**kwargs):
    """POST /api/v4/teams/{team_id}/invite-guests/email"""


@stub("InviteUsersToTeam")
def invite_users_to_team(**kwargs):
    """POST /api/v4/teams/{team_id}/invite/email"""


@stub("GetTeamMembers")
def get_team_members(**kwargs):
    """GET /api/v4/teams/{team_id}/members"""


@stub("AddTeamMember")
def add_team_member(**kwargs):
    """POST /api/v4/teams/{team_id}/members"""


@stub("AddTeamMembers")
def add_team_members(**kwargs):
    """POST /api/v4/teams/{team_id}/members/batch"""


@stub("GetTeamMembersByIds")
def get_team_members_by_ids(**kwargs):
    """POST /api/v4/teams/{team_id}/members/ids"""


@stub("GetTeamMember")
def get_team_member(**kwargs):
    """GET /api/v4/teams/{team_id}/members/{user_id}"""


@stub("RemoveTeamMember")
def remove_team_member(**kwargs):
    """DELETE /api/v4/teams/{team_id}/members/{user_id}"""


@stub("UpdateTeamMemberRoles")
def update_team_member_roles(**kwargs):
    """PUT /api/v4/teams/{team_id}/members/{user_id}/roles"""


@stub("UpdateTeamMemberSchemeRoles")
def update_team_member_scheme_roles(**kwargs):
    """PUT /api/v4/teams/{team_id}/members/{user_id}/schemeRoles"""


@stub("TeamMembersMinusGroupMembers")
def team_members_minus_group_members(**kwargs):
    """GET /api/v4/teams/{team_id}/members_minus_group_members"""


@stub("PatchTeam")
def patch_team(**kwargs):
    """PUT /api/v4/teams/{team_id}/patch"""


@stub("UpdateTeamPrivacy")
def update_team_privacy(**kwargs):
    """PUT /api/v4/teams/{team_id}/privacy"""


@stub("RegenerateTeamInviteId")
def regenerate_team_invite_id(**kwargs):
    """POST /api/v4/teams/{team_id}/regenerate_invite_id"""


@stub("RestoreTeam")
def restore_team(**kwargs):
    """POST /api/v4/teams/{team_id}/restore"""


@stub("UpdateTeamScheme")
def update_team_scheme(**kwargs):
    """PUT /api/v4/teams/{team_id}/scheme"""


@stub("GetTeamStats")
def get_team_stats(**kwargs):
    """GET /api/v4/teams/{team_id}/stats"""


@stub("GetTeamsForUser")
def get_teams_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/teams"""


@stub("GetTeamMembersForUser")
def get_team_members_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/teams/members"""


@stub("GetTeamsUnreadForUser")
def get_teams_unread_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/teams/unread"""


@stub("GetTeamUnread")
def get_team_unread(**kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/unread"""


def get_team_invite_info(invite_id):
    """Name and description of the open team an invite id belongs to."""
    if not is_valid_id(invite_id):
        raise errors.invalid_url_param("invite_id")
    # Looking the team up needs the teams store (teams-and-channels issue).
    raise errors.not_implemented("GetTeamInviteInfo")
