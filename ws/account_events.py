"""The WebSocket events of teams, users, preferences, statuses set through
the REST API, roles and the system: their payloads in the shapes Mattermost's
clients parse, and who hears them.

Handlers call these after their write; each goes out through
ws.events.publish, so after the transaction commits. Where Mattermost encodes
data as a JSON string (a team, a team or channel member, a role, a list of
preferences) it is a string here too; where it sends an object (the user of
user_updated) it is an object.

The builders take the bodies the REST API answers (built by the handlers),
so this module imports neither api nor handlers.

Mattermost sends user_updated in three copies, told apart by two broadcast
flags its hub checks per connection (ContainsSensitiveData: system admins
only; ContainsSanitizedData: everyone but system admins). The hub here has no
such flags, so the same split is made with the broadcast fields it has:
each system admin gets the admin copy by user_id, everyone else the
sanitized copy (the admins and the user left out with omit_users), and the
user their own profile. "System admin" is Mattermost's test: roles that grant
manage_system.
"""
import json

from ws import events


def _dumps(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# ---------------------------------------------------------------------------
# Teams

def sanitized_team(body):
    """A team as Mattermost's Team.Sanitize leaves it for a team event: no
    email and no invite id (whoever receives it)."""
    team = dict(body)
    team["email"] = ""
    team["invite_id"] = ""
    return team


def team_event(event, body, user_ids=None):
    """update_team, delete_team, restore_team or update_team_scheme: data
    {"team": the sanitized team as a JSON string}, to the team's members; to
    user_ids one by one instead when given (a team deleted for good has no
    members left to address by team)."""
    data = {"team": _dumps(sanitized_team(body))}
    if user_ids is None:
        events.publish(event, data, team_id=body["id"])
        return
    for user_id in user_ids:
        events.publish(event, dict(data), user_id=user_id)


def added_to_team(team_id, user_id):
    """added_to_team {team_id, user_id} to the user who joined."""
    events.publish("added_to_team", {"team_id": team_id, "user_id": user_id}, user_id=user_id)


def leave_team(team_id, user_id):
    """leave_team {user_id, team_id}: to the rest of the team, and to the user
    who left (no longer a member once the removal commits)."""
    data = {"user_id": user_id, "team_id": team_id}
    events.publish("leave_team", data, team_id=team_id, omit_users=events.omit(user_id))
    events.publish("leave_team", dict(data), user_id=user_id)


def memberrole_updated(member):
    """memberrole_updated {member: the team member as a JSON string} to its user."""
    events.publish("memberrole_updated", {"member": _dumps(member)}, user_id=member["user_id"])


def channel_member_updated(member):
    """channel_member_updated {channelMember: the channel member as a JSON
    string} to its user."""
    events.publish("channel_member_updated", {"channelMember": _dumps(member)}, user_id=member["user_id"])


# ---------------------------------------------------------------------------
# Users

def admin_user_ids():
    """Active users whose system roles grant manage_system (Mattermost's test
    for ContainsSensitiveData)."""
    from store import roles as store_roles, users as store_users
    granting = [r.name for r in store_roles.all_roles() if "manage_system" in (r.permissions or "").split()]
    if not granting:
        return []
    found = store_users.page(0, 100000, store_users.Filters(active=True, roles=granting))
    return [u.id for u in found]


def new_user(user_id):
    """new_user {user_id} to everyone."""
    events.publish("new_user", {"user_id": user_id})


def user_updated(user_id, self_body, admin_body, public_body):
    """user_updated {user: object} in Mattermost's three copies: the admin
    copy (email, full name, auth service) to each system admin, the copy
    sanitized by the privacy settings to everyone else, and the user's own
    profile to the user. Neither of the first two goes to the user."""
    admins = [a for a in admin_user_ids() if a != user_id]
    for admin_id in admins:
        events.publish("user_updated", {"user": dict(admin_body)}, user_id=admin_id)
    events.publish("user_updated", {"user": public_body}, omit_users=events.omit(user_id, *admins))
    events.publish("user_updated", {"user": self_body}, user_id=user_id)


def user_updated_to_all(public_body):
    """user_updated {user} with the sanitized profile to everyone, the user
    and admins included (Mattermost's event for a new profile picture)."""
    events.publish("user_updated", {"user": public_body})


def user_role_updated(user_id, roles):
    """user_role_updated {user_id, roles} to the user."""
    events.publish("user_role_updated", {"user_id": user_id, "roles": roles}, user_id=user_id)


def user_activation_status_change():
    """user_activation_status_change with no data, to everyone."""
    events.publish("user_activation_status_change", {})


def typing(channel_id, user_id, parent_id=""):
    """typing {parent_id, user_id} to the channel's members but the typist."""
    events.publish("typing", {"parent_id": parent_id or "", "user_id": user_id}, channel_id=channel_id,
                   omit_users=events.omit(user_id))


# ---------------------------------------------------------------------------
# Preferences and statuses

def _preferences_event(event, user_id, preferences):
    # Mattermost first tells the user's sidebar to refresh (no data), then
    # sends the preferences themselves.
    events.publish("sidebar_category_updated", {}, user_id=user_id)
    events.publish(event, {"preferences": _dumps(list(preferences))}, user_id=user_id)


def preferences_changed(user_id, preferences):
    """sidebar_category_updated, then preferences_changed {preferences: the
    saved preferences as a JSON string}, to the user."""
    _preferences_event("preferences_changed", user_id, preferences)


def preferences_deleted(user_id, preferences):
    """sidebar_category_updated, then preferences_deleted {preferences: JSON
    string}, to the user."""
    _preferences_event("preferences_deleted", user_id, preferences)


def status_change(user_id, status):
    """status_change {status, user_id} to the user's own connections only, as
    Mattermost's BroadcastStatus addresses it."""
    events.publish("status_change", {"status": status, "user_id": user_id}, user_id=user_id)


# ---------------------------------------------------------------------------
# Roles and the system

def role_updated(role):
    """role_updated {role: the role as a JSON string} to everyone (built-in
    roles and roles outside any scheme, which are all this server's roles)."""
    events.publish("role_updated", {"role": _dumps(role)})


def first_admin_visit_marketplace(value):
    """first_admin_visit_marketplace_status_received
    {firstAdminVisitMarketplaceStatus: value} to everyone."""
    events.publish("first_admin_visit_marketplace_status_received", {"firstAdminVisitMarketplaceStatus": value})
