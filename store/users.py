"""Users: create, find, update. Passwords are hashed here (store.passwords).

Each process caches the users it reads by id (`get`, `get_many`), as
Mattermost's profile cache does: a user is read on most requests (pictures,
authors, permission checks). Every change to a user row goes through `write`
(or `changed`), which drops the row from this process's cache at once and
from every process's after commit (store.cache).
"""
import time

import peewee

from store import channel_members, db, models, passwords, sessions, teams
from store.cache import RowCache, copy_row
from store.db import Lookup, transaction
from store.ids import new_id


class Conflict(Exception):
    """A unique field (username or email) is taken; .field says which."""

    def __init__(self, field):
        super().__init__(field)
        self.field = field


def _millis():
    return int(time.time() * 1000)


def count(include_deleted=True):
    query = models.User.select()
    if not include_deleted:
        query = query.where(models.User.delete_at == 0)
    return query.count()


def create(fields, password, roles_for_first, roles):
    """Insert a user; the first account on an empty server gets roles_for_first.

    fields holds the profile columns; password is the clear text (hashed here)
    or "" for none. Raises Conflict when the username or email is taken.
    """
    now = _millis()
    with transaction():
        first = not models.User.select().exists()
        row = dict(fields)
        row.update(id=new_id(), create_at=now, update_at=now, last_password_update=now,
                   password=passwords.hash_password(password) if password else "",
                   roles=roles_for_first if first else roles)
        for field in ("username", "email"):
            if models.User.select().where(getattr(models.User, field) == row[field]).exists():
                raise Conflict(field)
        try:
            with transaction():
                models.User.insert(row).execute()
        except peewee.IntegrityError:
            raise Conflict("username")
    return get(row["id"])


_BY_ID = Lookup(models.User, lambda a: models.User.select().where(models.User.id == a[0]).limit(1))

CACHE_SECONDS = 60
CACHE_SIZE = 50000
_cache = RowCache("users", CACHE_SECONDS, CACHE_SIZE)   # user id -> user row (callers get copies)


def forget_cached(user_ids=(), everyone=False):
    """Drop users from this process's cache only."""
    _cache.forget(user_ids, everyone=everyone)


def changed(*user_ids):
    """These users' rows changed: out of this process's cache now and, after
    commit, out of every process's."""
    _cache.changed(user_ids)


def write(user_id, values=None, **columns):
    """Update a user's columns (a dict of fields to values, or keywords)."""
    values = dict(values or {}, **columns)
    models.User.update(values).where(models.User.id == user_id).execute()
    changed(user_id)
    if any(getattr(key, "name", key) == "delete_at" for key in values):
        channel_members.counts_changed(everyone=True)   # they count active users only


def get(user_id):
    if not isinstance(user_id, str):
        return None
    row = _cache.read(user_id, _BY_ID.first)
    return copy_row(row) if row is not None else None


def get_by_username(username):
    return models.User.get_or_none(models.User.username == username.lower())


def get_by_email(email):
    return models.User.get_or_none(models.User.email == email.lower())


_MANY_BY_ID = Lookup(models.User, lambda a: models.User.select().where(models.User.id.in_(a[0])))


def get_many(ids=(), usernames=()):
    """The users of these ids (through the cache) or usernames, by username."""
    if ids:
        ids = list(dict.fromkeys(i for i in ids if isinstance(i, str)))
        rows = _cache.read_many(ids, _MANY_BY_ID.all, lambda row: row.id)
        return sorted((copy_row(row) for row in rows), key=lambda row: row.username)
    query = models.User.select().where(models.User.username.in_([u.lower() for u in usernames]))
    return list(query.order_by(models.User.username))


def get_for_login(login_id, by_username, by_email):
    """The user a login id names: a username or an email, as the config allows."""
    login_id = login_id.lower()
    conditions = []
    if by_username:
        conditions.append(models.User.username == login_id)
    if by_email:
        conditions.append(models.User.email == login_id)
    if not conditions:
        return None
    condition = conditions[0] if len(conditions) == 1 else (conditions[0] | conditions[1])
    return models.User.get_or_none(condition)


def set_failed_attempts(user_id, attempts):
    with transaction():
        write(user_id, failed_attempts=attempts)


def record_login(user_id, at, new_password_hash=None):
    """A successful login: attempts reset, last login set, an outdated hash replaced."""
    values = {models.User.failed_attempts: 0, models.User.last_login: at}
    if new_password_hash:
        values[models.User.password] = new_password_hash
    with transaction():
        write(user_id, values)


def set_password(user_id, password):
    now = _millis()
    with transaction():
        write(user_id, password=passwords.hash_password(password), last_password_update=now,
              update_at=now, failed_attempts=0)


def update(user_id, fields):
    """Change profile columns; raises Conflict when a new username or email is taken."""
    fields = dict(fields)
    fields["update_at"] = _millis()
    with transaction():
        for field in ("username", "email"):
            if field in fields and models.User.select().where(
                    (getattr(models.User, field) == fields[field]) & (models.User.id != user_id)).exists():
                raise Conflict(field)
        write(user_id, fields)
    return get(user_id)


def set_active(user_id, active):
    """Deactivate (delete_at = now; the user's sessions end) or reactivate."""
    now = _millis()
    with transaction():
        write(user_id, delete_at=0 if active else now, update_at=now)
        if not active:
            sessions.end_for_user(user_id)


def set_roles(user_id, roles):
    """New system roles for a user, effective at once in their live sessions."""
    with transaction():
        write(user_id, roles=roles, update_at=_millis())
        sessions.set_roles_for_user(user_id, roles)


def promote_guest(user_id, roles):
    """A guest becomes a user: new system roles, and user instead of guest in
    every team and channel membership."""
    with transaction():
        set_roles(user_id, roles)
        models.TeamMember.update(scheme_guest=False, scheme_user=True).where(
            models.TeamMember.user_id == user_id).execute()
        teams.members_changed(everyone=True)
        models.ChannelMember.update(scheme_guest=False, scheme_user=True).where(
            models.ChannelMember.user_id == user_id).execute()
        channel_members.counts_changed(everyone=True)


def _role_condition(role):
    # roles is a space-separated list: match a whole word.
    return ((models.User.roles == role) | models.User.roles.startswith(role + " ")
            | models.User.roles.endswith(" " + role) | models.User.roles.contains(" " + role + " "))


class Filters:
    """Which users a list or search may return, as Mattermost's UserGetOptions:
    membership of a team or channel (or of none), system, team and channel
    roles (any of them), active or inactive, and the users a restricted viewer
    may see (visible_to: a user id; None for no restriction)."""

    def __init__(self, active=None, role="", roles=(), in_team="", not_in_team="", in_channel="",
                 not_in_channel="", without_team=False, team_roles=(), channel_roles=(), visible_to=None):
        self.active = active
        self.role = role
        self.roles = list(roles)
        self.in_team = in_team
        self.not_in_team = not_in_team
        self.in_channel = in_channel
        self.not_in_channel = not_in_channel
        self.without_team = without_team
        self.team_roles = list(team_roles)
        self.channel_roles = list(channel_roles)
        self.visible_to = visible_to


def _team_member_ids(team_id):
    return models.TeamMember.select(models.TeamMember.user_id).where(
        (models.TeamMember.team_id == team_id) & (models.TeamMember.delete_at == 0))


def _channel_member_ids(channel_id):
    return models.ChannelMember.select(models.ChannelMember.user_id).where(
        models.ChannelMember.channel_id == channel_id)


def _scheme_role_condition(member_model, prefix, names):
    """Members holding one of the scheme roles <prefix>_admin, _user or _guest."""
    condition = None
    for name in names:
        if name == prefix + "_admin":
            clause = member_model.scheme_admin == True  # noqa: E712 (peewee expression)
        elif name == prefix + "_user":
            clause = (member_model.scheme_user == True) & (member_model.scheme_admin == False)  # noqa: E712
        elif name == prefix + "_guest":
            clause = member_model.scheme_guest == True  # noqa: E712
        else:
            continue
        condition = clause if condition is None else (condition | clause)
    return condition


def visible_user_ids(viewer_id):
    """Who a viewer without view_members may see: themself and the users they
    share a team or a channel with."""
    my_teams = models.TeamMember.select(models.TeamMember.team_id).where(
        (models.TeamMember.user_id == viewer_id) & (models.TeamMember.delete_at == 0))
    my_channels = models.ChannelMember.select(models.ChannelMember.channel_id).where(
        models.ChannelMember.user_id == viewer_id)
    in_teams = models.TeamMember.select(models.TeamMember.user_id).where(
        models.TeamMember.team_id.in_(my_teams) & (models.TeamMember.delete_at == 0))
    in_channels = models.ChannelMember.select(models.ChannelMember.user_id).where(
        models.ChannelMember.channel_id.in_(my_channels))
    return (models.User.id == viewer_id) | models.User.id.in_(in_teams) | models.User.id.in_(in_channels)


def can_see(viewer_id, user_id):
    """True if a viewer without view_members may see user_id."""
    return models.User.select().where((models.User.id == user_id) & visible_user_ids(viewer_id)).exists()


def _filtered(query, f):
    User = models.User
    if f.active is True:
        query = query.where(User.delete_at == 0)
    elif f.active is False:
        query = query.where(User.delete_at != 0)
    if f.role:
        query = query.where(_role_condition(f.role))
    if f.in_team:
        query = query.where(User.id.in_(_team_member_ids(f.in_team)))
    if f.not_in_team:
        query = query.where(User.id.not_in(_team_member_ids(f.not_in_team)))
    if f.in_channel:
        query = query.where(User.id.in_(_channel_member_ids(f.in_channel)))
    if f.not_in_channel:
        query = query.where(User.id.not_in(_channel_member_ids(f.not_in_channel)))
    if f.without_team:
        in_any = (models.TeamMember.select(models.TeamMember.user_id)
                  .join(models.Team, on=(models.Team.id == models.TeamMember.team_id))
                  .where((models.TeamMember.delete_at == 0) & (models.Team.delete_at == 0)))
        query = query.where(User.id.not_in(in_any))
    any_role = [_role_condition(r) for r in f.roles]
    if f.team_roles and f.in_team:
        condition = _scheme_role_condition(models.TeamMember, "team", f.team_roles)
        if condition is not None:
            any_role.append(User.id.in_(models.TeamMember.select(models.TeamMember.user_id).where(
                (models.TeamMember.team_id == f.in_team) & (models.TeamMember.delete_at == 0) & condition)))
    if f.channel_roles and f.in_channel:
        condition = _scheme_role_condition(models.ChannelMember, "channel", f.channel_roles)
        if condition is not None:
            any_role.append(User.id.in_(models.ChannelMember.select(models.ChannelMember.user_id).where(
                (models.ChannelMember.channel_id == f.in_channel) & condition)))
    if any_role:
        condition = any_role[0]
        for clause in any_role[1:]:
            condition = condition | clause
        query = query.where(condition)
    if f.visible_to:
        query = query.where(visible_user_ids(f.visible_to))
    return query


def count_filtered(filters, include_bots=False):
    query = _filtered(models.User.select(), filters)
    if not include_bots:
        query = query.where(models.User.is_bot == False)  # noqa: E712 (peewee expression)
    return query.count()


_STATUS_ORDER = {"online": 0, "away": 1, "dnd": 2}


def page(offset, limit, filters=None, sort=""):
    """Users by username, filtered (see Filters). sort: "create_at" newest
    first; "last_activity_at" most recently active first; "status" online,
    away, do not disturb, then offline; "admin" the channel's admins first."""
    f = filters or Filters()
    User = models.User
    query = _filtered(User.select(), f)
    if sort == "last_activity_at":
        query = (query.join(models.Status, peewee.JOIN.LEFT_OUTER, on=(models.Status.user_id == User.id))
                 .order_by(peewee.fn.COALESCE(models.Status.last_activity_at, 0).desc(), User.username))
    elif sort == "create_at":
        query = query.order_by(User.create_at.desc(), User.id)
    elif sort == "status":
        status = peewee.Case(models.Status.status, [(k, v) for k, v in _STATUS_ORDER.items()], 3)
        query = (query.join(models.Status, peewee.JOIN.LEFT_OUTER, on=(models.Status.user_id == User.id))
                 .order_by(status, User.username))
    elif sort == "admin" and f.in_channel:
        admins = models.ChannelMember.select(models.ChannelMember.user_id).where(
            (models.ChannelMember.channel_id == f.in_channel) & (models.ChannelMember.scheme_admin == True))  # noqa: E712
        query = query.order_by(peewee.Case(None, [(User.id.in_(admins), 0)], 1), User.username)
    else:
        query = query.order_by(User.username, User.id)
    return db.objects(query.offset(offset).limit(limit))


def count_active(include_bots=False):
    query = models.User.select().where(models.User.delete_at == 0)
    if not include_bots:
        query = query.where(models.User.is_bot == False)  # noqa: E712 (peewee expression)
    return query.count()


def search(term, limit, allow_inactive=False, include_email=True, include_names=True, filters=None):
    """Users whose username, nickname, names (when visible) or email (when
    visible) start with term, case-insensitively, filtered (see Filters)."""
    term = term.strip().lower().lstrip("@")
    fields = [models.User.username, models.User.nickname]
    if include_names:
        fields += [models.User.first_name, models.User.last_name]
    if include_email:
        fields.append(models.User.email)
    condition = None
    for field in fields:
        clause = peewee.fn.LOWER(field).startswith(term)
        condition = clause if condition is None else (condition | clause)
    query = _filtered(models.User.select().where(condition), filters or Filters())
    if not allow_inactive:
        query = query.where(models.User.delete_at == 0)
    return list(query.order_by(models.User.username).limit(limit))


def known_user_ids(user_id):
    """Active users who share a channel with user_id."""
    mine = models.ChannelMember.select(models.ChannelMember.channel_id).where(models.ChannelMember.user_id == user_id)
    query = (models.ChannelMember.select(models.ChannelMember.user_id).distinct()
             .join(models.User, on=(models.User.id == models.ChannelMember.user_id))
             .where(models.ChannelMember.channel_id.in_(mine) & (models.ChannelMember.user_id != user_id)
                    & (models.User.delete_at == 0)))
    return sorted(row.user_id for row in query)


def by_group_channels(user_id, channel_ids):
    """{channel id: [users]} for the group messages among channel_ids that
    user_id is a member of (the other members and the user)."""
    channels = (models.Channel.select(models.Channel.id)
                .join(models.ChannelMember, on=(models.ChannelMember.channel_id == models.Channel.id))
                .where(models.Channel.id.in_(list(channel_ids)) & (models.Channel.type == "G")
                       & (models.ChannelMember.user_id == user_id)))
    rows = (models.User.select(models.User, models.ChannelMember.channel_id)
            .join(models.ChannelMember, on=(models.ChannelMember.user_id == models.User.id))
            .where(models.ChannelMember.channel_id.in_(channels))
            .order_by(models.User.username))
    result = {}
    for user in rows.objects():
        result.setdefault(user.channel_id, []).append(user)
    return result


def set_auth(user_id, service, auth_data):
    """Sign in through another service from now on: the password is cleared.
    Raises Conflict when another account has that service and identity."""
    with transaction():
        if models.User.select().where((models.User.auth_service == service) & (models.User.auth_data == auth_data)
                                      & (models.User.id != user_id)).exists():
            raise Conflict("auth_data")
        write(user_id, auth_service=service, auth_data=auth_data, password="", update_at=_millis())


def set_picture_updated(user_id, at):
    with transaction():
        write(user_id, last_picture_update=at, update_at=_millis())


def set_email_verified(user_id):
    with transaction():
        write(user_id, email_verified=True, update_at=_millis())


def permanent_delete(user_id):
    """Erase a user and everything that is theirs alone."""
    with transaction():
        sessions.end_for_user(user_id)
        for model, column in ((models.UserAccessToken, models.UserAccessToken.user_id),
                              (models.Preference, models.Preference.user_id),
                              (models.Status, models.Status.user_id),
                              (models.Bot, models.Bot.user_id),
                              (models.UserTermsOfService, models.UserTermsOfService.user_id),
                              (models.Audit, models.Audit.user_id)):
            model.delete().where(column == user_id).execute()
        models.User.delete().where(models.User.id == user_id).execute()
        changed(user_id)
        channel_members.counts_changed(everyone=True)


def channel_memberships(user_id, offset, limit):
    """A user's channel memberships with each channel and its team (None for
    direct and group messages): [(member, channel, team)], by channel id."""
    members = list(models.ChannelMember.select().where(models.ChannelMember.user_id == user_id)
                   .order_by(models.ChannelMember.channel_id).offset(offset).limit(limit))
    channels = {c.id: c for c in models.Channel.select().where(
        models.Channel.id.in_([m.channel_id for m in members]))}
    teams = {t.id: t for t in models.Team.select().where(
        models.Team.id.in_([c.team_id for c in channels.values() if c.team_id]))}
    return [(m, channels[m.channel_id], teams.get(channels[m.channel_id].team_id))
            for m in members if m.channel_id in channels]


# ---------------------------------------------------------------------------
# The admin user report, accounts whose email a domain restriction refuses,
# and a password that replaces a sign-in service.

REPORT_SORT_COLUMNS = ("CreateAt", "Username", "FirstName", "LastName", "Nickname", "Email", "Roles")
_DAY_MS = 24 * 60 * 60 * 1000


def _report_column(name):
    User = models.User
    return {"CreateAt": User.create_at, "Username": User.username, "FirstName": User.first_name,
            "LastName": User.last_name, "Nickname": User.nickname, "Email": User.email,
            "Roles": User.roles}[name]


class ReportOptions:
    """Mattermost's UserReportOptions: sort_column (one of REPORT_SORT_COLUMNS),
    sort_desc, direction ("next" or "prev"), page_size, the cursor (from_value
    of the sort column and from_id, both or neither), filters, and the date
    range (start_at, end_at in ms; 0 for open) the post statistics cover."""

    def __init__(self, sort_column="Username", sort_desc=False, direction="next", page_size=50,
                 from_value=None, from_id="", role="", team_id="", has_no_team=False,
                 hide_active=False, hide_inactive=False, search_term="", start_at=0, end_at=0):
        self.sort_column = sort_column
        self.sort_desc = sort_desc
        self.direction = direction
        self.page_size = page_size
        self.from_value = from_value
        self.from_id = from_id
        self.role = role
        self.team_id = team_id
        self.has_no_team = has_no_team
        self.hide_active = hide_active
        self.hide_inactive = hide_inactive
        self.search_term = search_term
        self.start_at = start_at
        self.end_at = end_at


def _report_search(query, term):
    """Every word must begin a username, name, nickname or email (or be the id)."""
    User = models.User
    for word in term.split():
        word = word.lstrip("@").lower()
        if not word:
            continue
        condition = User.id == word
        for field in (User.username, User.first_name, User.last_name, User.nickname, User.email):
            condition = condition | peewee.fn.LOWER(field).startswith(word)
        query = query.where(condition)
    return query


def _report_filtered(query, o):
    User = models.User
    query = query.where(User.is_bot == False)  # noqa: E712 (peewee expression)
    if o.role:
        query = query.where(User.roles.contains(o.role))
    if o.has_no_team:
        query = query.where(User.id.not_in(models.TeamMember.select(models.TeamMember.user_id).where(
            models.TeamMember.delete_at == 0)))
    elif o.team_id:
        query = query.where(User.id.in_(_team_member_ids(o.team_id)))
    if o.hide_active:
        query = query.where(User.delete_at > 0)
    if o.hide_inactive:
        query = query.where(User.delete_at == 0)
    if o.search_term.strip():
        query = _report_search(query, o.search_term)
    return query


def report_page(o):
    """One page of the user report: [(user, last_status_at or None, stats)],
    stats being {"last_post_date", "days_active", "total_posts"} over the
    date range (last_post_date and total_posts None without posts). Paging
    is by cursor: the rows after (or, direction "prev", before) the row
    whose sort value and id are (from_value, from_id), in sort order."""
    User = models.User
    column = _report_column(o.sort_column)
    descending = o.sort_desc
    query = _report_filtered(User.select(), o)
    if o.from_id and o.from_value is not None:
        backwards = (o.direction == "prev") != o.sort_desc
        if backwards:
            query = query.where((column < o.from_value) | ((column == o.from_value) & (User.id < o.from_id)))
        else:
            query = query.where((column > o.from_value) | ((column == o.from_value) & (User.id > o.from_id)))
        descending = backwards
    order = (column.desc(), User.id.desc()) if descending else (column.asc(), User.id.asc())
    users = list(query.order_by(*order).limit(o.page_size))
    if o.direction == "prev":
        users.reverse()
    ids = [u.id for u in users]
    statuses = {s.user_id: s.last_activity_at for s in models.Status.select().where(models.Status.user_id.in_(ids))}
    stats = _post_stats(ids, o.start_at, o.end_at)
    empty = {"last_post_date": None, "days_active": 0, "total_posts": None}
    return [(u, statuses.get(u.id), stats.get(u.id, empty)) for u in users]


def _post_stats(user_ids, start_at, end_at):
    """Per user: the latest post, the number of (UTC) days with a post and the
    number of posts, counting the days from start_at's to before end_at's."""
    if not user_ids:
        return {}
    Post = models.Post
    day = Post.create_at / _DAY_MS
    query = (Post.select(Post.user_id, peewee.fn.MAX(Post.create_at).alias("last"),
                         peewee.fn.COUNT(peewee.fn.DISTINCT(day)).alias("days"),
                         peewee.fn.COUNT(Post.id).alias("total"))
             .where(Post.user_id.in_(list(user_ids))).group_by(Post.user_id))
    if start_at > 0:
        query = query.where(day >= start_at // _DAY_MS)
    if end_at > 0:
        query = query.where(day < end_at // _DAY_MS)
    return {row.user_id: {"last_post_date": int(row.last), "days_active": int(row.days),
                          "total_posts": int(row.total)} for row in query}


def with_invalid_emails(offset, limit, allowed_domains):
    """Active, non-bot, non-guest accounts that sign in with email and whose
    address contains none of allowed_domains (every such account when the
    list is empty), by username."""
    User = models.User
    query = User.select().where((User.is_bot == False) & (User.roles != "system_guest")  # noqa: E712
                                & (User.delete_at == 0)
                                & ((User.auth_service == "") | User.auth_service.is_null()))
    for domain in allowed_domains:
        query = query.where(~User.email.contains(domain.lower()))
    return list(query.order_by(User.username, User.id).offset(offset).limit(limit))


def set_password_leaving_service(user_id, password):
    """Sign in with this password from now on: the sign-in service and its
    identity are cleared and failed attempts forgotten."""
    now = _millis()
    with transaction():
        write(user_id, password=passwords.hash_password(password), last_password_update=now, update_at=now,
              auth_data=None, auth_service="", failed_attempts=0)
