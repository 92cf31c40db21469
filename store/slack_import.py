"""Reading a Slack export (a zip) for the team import, as Mattermost's
slackimport package reads one: users.json, channels.json (public),
groups.json (private), dms.json (direct), mpims.json (group messages) and
each channel's folder of daily message files. Entries are read by name from
the archive and never written anywhere; every entry is read through a size
limit, and the whole archive through a total limit, so a zip bomb stops at
the limits. Also the query GetChannelPages needs (posts of type "page")."""
import io
import json
import re
import zipfile

# Mattermost reads each entry through a 70 MiB limit and skips bigger ones.
ENTRY_LIMIT = 70 * 1024 * 1024
# What the whole archive may inflate to, all entries together.
TOTAL_LIMIT = 256 * 1024 * 1024

CHANNEL_FILES = {"channels.json": "O", "groups.json": "P", "dms.json": "D", "mpims.json": "G"}


class BadArchive(Exception):
    """The upload is not a zip file that can be read."""


class BadEntry(Exception):
    """An entry of the zip cannot be opened (encrypted, unknown compression,
    damaged); .name is the entry."""

    def __init__(self, name, reason):
        super().__init__(reason)
        self.name = name


class Export:
    """What an export holds: users, channels (each with its "type": O, P, D
    or G), posts by channel folder name, and the lines to log about entries
    that were skipped."""

    def __init__(self):
        self.users = []
        self.channels = []
        self.posts = {}
        self.notes = []


def _limited_read(archive, info, budget):
    """The entry's bytes, or None when it inflates past ENTRY_LIMIT or the
    remaining budget. Reads at most one byte past the limit, whatever the
    entry's header claims."""
    limit = min(ENTRY_LIMIT, budget)
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, ValueError) as e:
        raise BadEntry(info.filename, str(e))
    if len(data) > limit:
        return None
    return data


def _json_list(data):
    """A JSON array of objects from the bytes; anything else reads as empty
    (Mattermost goes on with what it could parse)."""
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(value, list):
        return None
    return [item for item in value if isinstance(item, dict)]


def read(data):
    """An Export from the bytes of a zip. Raises BadArchive or BadEntry."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as e:
        raise BadArchive(str(e))
    export = Export()
    budget = TOTAL_LIMIT
    with archive:
        for info in infos:
            name = info.filename
            if info.is_dir():
                continue
            parts = name.split("/")
            wanted = name in CHANNEL_FILES or name == "users.json" or (
                len(parts) == 2 and parts[0] and parts[1].endswith(".json"))
            if not wanted:
                continue
            if budget <= 0:
                export.notes.append("Skipped %s: the archive inflates past what an import may read." % name)
                continue
            content = _limited_read(archive, info, budget)
            if content is None:
                export.notes.append("Skipped %s: it is larger than an import reads." % name)
                continue
            budget -= len(content)
            items = _json_list(content)
            if items is None:
                export.notes.append("Could not read %s as a list of JSON objects; went on without it." % name)
                continue
            if name == "users.json":
                export.users = items
            elif name in CHANNEL_FILES:
                for channel in items:
                    channel["type"] = CHANNEL_FILES[name]
                export.channels.extend(items)
            else:
                export.posts.setdefault(parts[0], []).extend(items)
    return export


def text(value):
    """A field that should be a string; anything else reads as empty."""
    return value if isinstance(value, str) else ""


# ---------------------------------------------------------------------------
# Slack's markup to Mattermost's, as Mattermost's importer converts it.

def convert_timestamp(ts):
    """A Slack "ts" ("1500000000.000200") in milliseconds; Mattermost keeps
    whole seconds. A bad one becomes 1, as there."""
    head = text(ts).split(".", 1)[0]
    try:
        return int(head) * 1000
    except ValueError:
        return 1


def convert_channel_name(name, channel_id):
    """The channel handle for a Slack channel name: trimmed of _ and -, a
    one-character name prefixed, an unusable one replaced by the Slack id."""
    trimmed = name.strip("_-")
    if len(trimmed) == 1:
        return ("slack-channel-" + trimmed).lower()
    if trimmed and re.fullmatch(r"[a-zA-Z0-9\-_]+", trimmed):
        return trimmed.lower()
    return channel_id.lower()


def _mention_rules(users, channels):
    rules = []
    for user in users:
        uid, name = text(user.get("id")), text(user.get("name"))
        if uid:
            rules.append((re.compile("<@" + re.escape(uid) + r"(\|" + re.escape(name) + ")?>"), "@" + name))
    rules.append((re.compile(r"<!here\|@here>"), "@here"))
    rules.append((re.compile(r"<!channel>"), "@channel"))
    rules.append((re.compile(r"<!everyone>"), "@all"))
    for channel in channels:
        cid, name = text(channel.get("id")), text(channel.get("name"))
        if cid:
            rules.append((re.compile("<#" + re.escape(cid) + r"(\|" + re.escape(name) + ")?>"), "~" + name))
    return rules


_MARKUP = (
    (re.compile(r"<([^|<>]+)\|([^|<>]+)>"), r"[\2](\1)"),            # links with a label
    (re.compile(r"(^|[\s.;,])\*(\S[^*\n]+)\*"), r"\1**\2**"),          # bold
    (re.compile(r"(^|[\s.;,])~(\S[^~\n]+)~"), r"\1~~\2~~"),            # strike-through
    (re.compile(r"^&gt;", re.M), ">"),                                # one-line quote
)
_LONG_QUOTE = re.compile(r"^>&gt;&gt;(.+)$", re.M | re.S)


def _long_quote(match):
    body = re.sub(r"^(\n)?>&gt;&gt;(.*)", r"\1\2", match.group(0), flags=re.S)
    return re.sub(r"^", ">", body, flags=re.M)


def convert_text(message, rules):
    for pattern, replacement in rules:
        message = pattern.sub(lambda _m, r=replacement: r, message)
    for pattern, replacement in _MARKUP:
        message = pattern.sub(replacement, message)
    return _LONG_QUOTE.sub(_long_quote, message)


def convert_posts(export):
    """Mentions of users and channels, and Slack's markup, in every message
    (and file comment) turned into Mattermost's."""
    rules = _mention_rules(export.users, export.channels)
    for posts in export.posts.values():
        for post in posts:
            post["text"] = convert_text(text(post.get("text")), rules)
    return export


def sorted_posts(posts):
    return sorted(posts, key=lambda post: convert_timestamp(post.get("ts")))


# ---------------------------------------------------------------------------
# Wiki pages of a channel (posts of type "page").
