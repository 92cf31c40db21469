"""ImportTeam: bring a Slack export into a team, as Mattermost's importTeam and
its slackimport package do: the export's users (matched by email, else
created without a password and added to the team), its channels (reused by
name, else created, with their members), and their messages, replies
threaded. The answer carries the import log, base64-encoded."""
import base64
import re

import flask

from api import config as config_module, errors, permissions
from handlers import common
from store import channels as store_channels, posts as store_posts, slack_import, teams as store_teams
from store import users as store_users
from store.ids import new_id

_USERNAME_RE = re.compile(r"[a-z][a-z0-9.\-_]*\Z")
_RESERVED_USERNAMES = {"all", "channel", "matterbot", "system"}
_CHANNEL_NAME_RE = re.compile(r"[a-z0-9]+([a-z\-_0-9]+|(__)?)[a-z0-9]*\Z")
DISPLAY_NAME_MAX, NAME_MAX, PURPOSE_MAX, HEADER_MAX = 64, 64, 250, 1024
GROUP_MESSAGE_MAX_MEMBERS = 8


def _form_value(name):
    values = flask.request.form.getlist(name)
    return values[0] if values else None


def import_team(team_id, **_):
    session = common.session()
    common.path_id(team_id, "team_id")
    permissions.require_team(session, team_id, "import_team")
    import_from = _form_value("importFrom")
    if import_from is None:
        raise errors.AppError(400, "api.team.import_team.no_import_from.app_error",
                              "The form does not say what the data is imported from (importFrom).")
    size = _form_value("filesize")
    if size is None:
        raise errors.AppError(400, "api.team.import_team.unavailable.app_error",
                              "The form does not give the size of the file (filesize).")
    try:
        int(size.strip())
    except ValueError:
        raise errors.AppError(400, "api.team.import_team.integer.app_error", "The filesize is not a whole number.")
    uploads = flask.request.files.getlist("file")
    if not uploads:
        raise errors.AppError(400, "api.team.import_team.no_file.app_error",
                              "The form has no 'file' part with the export.")
    max_size = int(config_module.current()["FileSettings"]["MaxFileSize"])
    data = uploads[0].read(max_size + 1)
    if len(data) > max_size:
        raise errors.AppError(400, "api.slackimport.slack_import.zip.file_too_large",
                              "The export is larger than this server accepts (FileSettings.MaxFileSize).",
                              "max_size=%d" % max_size)
    if import_from != "slack":
        raise errors.AppError(400, "api.team.import_team.unknown_import_from.app_error",
                              "Only exports from Slack can be imported (importFrom=slack).")
    log = _Log()
    try:
        export = slack_import.read(data)
    except slack_import.BadArchive as e:
        raise errors.AppError(400, "api.slackimport.slack_import.zip.app_error",
                              "The file is not a zip archive that can be read.", str(e))
    except slack_import.BadEntry as e:
        raise errors.AppError(400, "api.slackimport.slack_import.open.app_error",
                              "A file inside the archive could not be opened: %s" % e.name, str(e))
    common.audit(session.user_id, "team import: team_id=%s from=slack" % team_id)
    _SlackImport(team_id, export, log, as_admin=permissions.is_system_admin(session)).run()
    return {"results": base64.b64encode(log.text().encode("utf-8")).decode("ascii")}


class _Log:
    def __init__(self):
        self.lines = ["Mattermost Slack import log\r\n", "\r\n"]

    def write(self, line):
        self.lines.append(line + "\r\n")

    def heading(self, title):
        self.lines.extend(["\r\n", title + "\r\n", "=" * len(title) + "\r\n", "\r\n"])

    def text(self):
        return "".join(self.lines)


def _text(value):
    return slack_import.text(value)


def _sub(value, key):
    """channel["purpose"]["value"] and the like, tolerating any shape."""
    return _text(value.get(key, {}).get("value")) if isinstance(value.get(key), dict) else ""


class _SlackImport:
    def __init__(self, team_id, export, log, as_admin):
        self.team_id = team_id
        self.export = slack_import.convert_posts(export)
        self.log = log
        self.as_admin = as_admin
        self.users = {}        # Slack user id -> User
        self.bot_user = None
        self.config = config_module.current()

    def run(self):
        for note in self.export.notes:
            self.log.write(note)
        team = store_teams.get(self.team_id)
        self.log.heading("Users")
        if team is None:
            self.log.write("The team to import into was not found; nothing was imported.")
            return
        self.team = team
        self._add_users()
        self.log.heading("Channels")
        for channel in self.export.channels:
            self._add_channel(channel)
        if self.bot_user is not None:
            store_users.set_active(self.bot_user.id, False)
        self.log.heading("Notes")
        self.log.write("- Imported users have no password: they set one with the password reset of the "
                       "login page.")
        self.log.write("- Messages of bots are posted by a deactivated import account, under the bot's name.")
        self.log.write("- Files attached to Slack messages, and messages of types this import does not know, "
                       "are left out.")

    # -- users ------------------------------------------------------------

    def _join_team(self, user):
        from handlers.teams import join_user_to_team
        try:
            join_user_to_team(self.team, user)
            return True
        except errors.AppError:
            return False

    def _add_users(self):
        from handlers.users import DEFAULT_NOTIFY_PROPS, DEFAULT_TIMEZONE
        locale = self.config["LocalizationSettings"]["DefaultClientLocale"]
        for slack_user in self.export.users:
            slack_id, name = _text(slack_user.get("id")), _text(slack_user.get("name"))
            profile = slack_user.get("profile") if isinstance(slack_user.get("profile"), dict) else {}
            email = _text(profile.get("email")).strip()
            if not email:
                email = name + "@example.com"
                self.log.write("User %s has no email address in the export; %s was used instead, to be changed "
                               "after logging in." % (name, email))
            existing = store_users.get_by_email(email)
            if existing is not None:
                self.users[slack_id] = existing
                if self._join_team(existing):
                    self.log.write("Merged with the existing account %s (%s)." % (existing.username, existing.email))
                else:
                    self.log.write("Found the existing account %s (%s) but could not add it to the team."
                                   % (existing.username, existing.email))
                continue
            username = name.lower()
            email = email.lower()
            if (not _USERNAME_RE.match(username) or len(username) > 64 or username in _RESERVED_USERNAMES
                    or len(email) > 128 or "@" not in email):
                self.log.write("Could not import the user %s." % name)
                continue
            fields = {"username": username, "email": email,
                      "first_name": _text(profile.get("first_name"))[:64],
                      "last_name": _text(profile.get("last_name"))[:64],
                      "email_verified": self.as_admin, "locale": locale,
                      "notify_props": dict(DEFAULT_NOTIFY_PROPS), "timezone": dict(DEFAULT_TIMEZONE), "props": {}}
            try:
                user = store_users.create(fields, "", roles_for_first="system_user", roles="system_user")
            except store_users.Conflict:
                self.log.write("Could not import the user %s." % name)
                continue
            self._join_team(user)
            self.users[slack_id] = user
            self.log.write("Created the account %s (%s)." % (user.username, user.email))

    def _bot(self):
        """The account bot messages are posted with (made on first need,
        deactivated when the import ends)."""
        if self.bot_user is None:
            from handlers.users import DEFAULT_NOTIFY_PROPS, DEFAULT_TIMEZONE
            username = "slackimportuser_" + new_id()
            try:
                self.bot_user = store_users.create(
                    {"username": username, "email": username + "@localhost", "notify_props": dict(DEFAULT_NOTIFY_PROPS),
                     "timezone": dict(DEFAULT_TIMEZONE), "props": {}},
                    new_id(), roles_for_first="system_user", roles="system_user")
            except store_users.Conflict:
                return None
            self._join_team(self.bot_user)
            self.log.write("Created the account %s for the messages of bots." % username)
        return self.bot_user

    # -- channels ---------------------------------------------------------

    def _add_channel(self, slack_channel):
        kind = slack_channel["type"]
        slack_id, slack_name = _text(slack_channel.get("id")), _text(slack_channel.get("name"))
        members = [m for m in slack_channel.get("members") or [] if isinstance(m, str)] \
            if isinstance(slack_channel.get("members"), list) else []
        display_name = slack_name[:DISPLAY_NAME_MAX]
        name = slack_import.convert_channel_name(slack_name, slack_id)[:NAME_MAX]
        if kind == "D":
            slack_name = slack_id   # direct messages have no name; their folder is their id
        channel = None
        if kind in ("O", "P") or (kind == "G" and len(members) >= GROUP_MESSAGE_MAX_MEMBERS):
            channel = store_channels.get_by_name(self.team_id, name, include_deleted=True)
            if channel is not None and channel.delete_at:
                name, channel = new_id(), None
            elif channel is not None:
                self.log.write("Merged with the existing channel %s." % (display_name or name))
        if channel is None:
            channel = self._create_channel(kind, name, display_name, slack_channel, members)
            if channel is None:
                self.log.write("Could not import the channel %s." % (display_name or slack_id))
                return
        if channel.type in ("O", "P"):
            self._add_members(channel, members)
        self.log.write(display_name or slack_id)
        self._add_posts(channel, self.export.posts.get(slack_name) or [])

    def _create_channel(self, kind, name, display_name, slack_channel, members):
        if kind == "D":
            if len(members) < 2 or self.users.get(members[0]) is None or self.users.get(members[1]) is None:
                return None
            return store_channels.get_or_create_direct(self.users[members[0]], self.users[members[1]])[0]
        if kind == "G" and len(members) < GROUP_MESSAGE_MAX_MEMBERS:
            users = {self.users[m].id: self.users[m] for m in members if m in self.users}
            creator = self.users.get(_text(slack_channel.get("creator")))
            if creator is None or not 3 <= len(users) <= GROUP_MESSAGE_MAX_MEMBERS:
                return None
            return store_channels.get_or_create_group(list(users.values()), creator.id)[0]
        if kind == "G":
            kind = "P"   # too many people for a group message: a private channel
        if not display_name or not _CHANNEL_NAME_RE.match(name):
            return None
        limit = int(self.config["TeamSettings"]["MaxChannelsPerTeam"])
        if store_channels.team_channel_count(self.team_id) >= limit:
            return None
        fields = {"team_id": self.team_id, "type": kind, "name": name, "display_name": display_name,
                  "purpose": _sub(slack_channel, "purpose")[:PURPOSE_MAX],
                  "header": _sub(slack_channel, "topic")[:HEADER_MAX]}
        try:
            return store_channels.create(fields)
        except store_channels.Conflict:
            return None

    def _add_members(self, channel, members):
        for member in members:
            user = self.users.get(member)
            if user is None:
                self.log.write("Could not add the user ? to the channel.")
                continue
            team_member = store_teams.get_member(self.team_id, user.id)
            if team_member is None or user.delete_at:
                self.log.write("Could not add the user %s to the channel." % user.username)
                continue
            store_channels.add_member(channel, user)

    # -- posts ------------------------------------------------------------

    def _save(self, channel, sender, fields):
        """Mattermost's oldImportPost: a message longer than a post may be is
        cut into several posts a millisecond apart. Returns the first post's id."""
        message = fields.get("message") or ""
        root_id = fields.get("root_id") or ""
        first_id = root_id
        create_at = fields["create_at"]
        first = True
        limit = store_posts.MESSAGE_MAX_RUNES
        options = store_posts.Options(mark_viewed=False, allow_channel_mentions=False)
        while message or first:
            part, message = message[:limit], message[limit:]
            row = dict(fields, message=part, create_at=create_at, root_id=first_id)
            post = store_posts.create(row, channel, sender, options).post
            if first and not first_id:
                first_id = post.id
            first = False
            create_at += 1
        return first_id

    def _add_posts(self, channel, posts):
        threads = {}   # Slack thread_ts -> id of the imported root post
        for post in slack_import.sorted_posts(posts):
            kind, subtype = _text(post.get("type")), _text(post.get("subtype"))
            ts, thread_ts = _text(post.get("ts")), _text(post.get("thread_ts"))
            create_at = slack_import.convert_timestamp(ts)
            body = _text(post.get("text"))
            if kind != "message":
                continue
            if subtype in ("", "file_share", "me_message"):
                sender = self.users.get(_text(post.get("user")))
                if sender is None:
                    continue
                fields = {"message": "*" + body + "*" if subtype == "me_message" else body, "create_at": create_at}
                if thread_ts and thread_ts != ts and subtype != "me_message":
                    fields["root_id"] = threads.get(thread_ts, "")
                post_id = self._save(channel, sender, fields)
                if thread_ts and thread_ts == ts:
                    threads[thread_ts] = post_id
            elif subtype == "file_comment":
                comment = post.get("comment") if isinstance(post.get("comment"), dict) else None
                sender = self.users.get(_text(comment.get("user"))) if comment else None
                if sender is None:
                    continue
                self._save(channel, sender, {"message": _text(comment.get("comment")), "create_at": create_at})
            elif subtype == "bot_message":
                if not _text(post.get("bot_id")):
                    continue
                bot = self._bot()
                if bot is None:
                    continue
                props = {"override_username": _text(post.get("username")), "from_webhook": "true"}
                attachments = post.get("attachments")
                if isinstance(attachments, list) and attachments:
                    props["attachments"] = attachments
                post_id = self._save(channel, bot, {"message": body, "create_at": create_at,
                                                    "type": "slack_attachment", "props": props})
                if thread_ts and thread_ts == ts:
                    threads[thread_ts] = post_id
            elif subtype in ("channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name"):
                sender = self.users.get(_text(post.get("user")))
                if sender is None:
                    continue
                post_type = {"channel_join": "system_join_channel", "channel_leave": "system_leave_channel",
                             "channel_topic": "system_header_change", "channel_purpose": "system_purpose_change",
                             "channel_name": "system_displayname_change"}[subtype]
                props = {"username": sender.username} if subtype in ("channel_join", "channel_leave") else {}
                self._save(channel, sender, {"message": body, "create_at": create_at, "type": post_type,
                                             "props": props})
            # Any other kind of message is left out, as Mattermost leaves it.
