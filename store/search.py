"""Searching posts and files with Mattermost's search syntax.

parse() reads a search box text as Mattermost's ParseSearchParams does: plain
words, "quoted phrases", words ending in '*' (prefix search), -excluded words
and phrases, #hashtags (matched exactly against a post's hashtags), and the
flags from:, in: (channel:), before:, after:, on: and ext: (files), each of
which may be negated with a leading '-'.

One interface, two engines: on SQLite the terms become an FTS5 query over
posts_fts / file_info_fts (migration 11); on PostgreSQL a tsquery matched
against to_tsvector('english', ...), the expressions Mattermost indexes. User
input never reaches either query language unescaped: every term is reduced to
its letters and digits (or passed as data to phraseto_tsquery), so no search
text can make a query fail.

Only posts and files of channels the searching user is a member of are ever
considered, never deleted posts or files, never system messages.
"""
import datetime
import re
import time

import peewee

from store import db, models

DAY_MS = 86400000
MAX_TZ_OFFSET = 14 * 3600    # seconds east of UTC, as clients send time_zone_offset
MAX_OFFSET = 10 ** 9         # rows: a page beyond this is empty
MAX_UNITS = 64               # terms per search, beyond which the rest are dropped

# model.searchFlags
_FLAGS = ("from", "channel", "in", "before", "after", "on", "ext")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z")


# ---------------------------------------------------------------------------
# Parsing

def _is_letter(ch):
    return ch.isalpha()


def _is_digit(ch):
    return "0" <= ch <= "9"


def _strip_start(word):
    """Drop leading characters that are not a letter, digit, space, '#' or '"'."""
    i = 0
    while i < len(word) and not (_is_letter(word[i]) or _is_digit(word[i]) or word[i].isspace()
                                 or word[i] in '#"'):
        i += 1
    return word[i:]


def _strip_end(word):
    """Drop trailing characters that are not a letter, digit, space, '*' or '"'."""
    j = len(word)
    while j > 0 and not (_is_letter(word[j - 1]) or _is_digit(word[j - 1]) or word[j - 1].isspace()
                         or word[j - 1] in '*"'):
        j -= 1
    return word[:j]


def _is_hashtag(word):
    """model.validHashtag: '#', a letter, then letters, digits, '-', '_' or '.',
    ending in a letter or digit."""
    if len(word) < 3 or word[0] != "#" or not _is_letter(word[1]):
        return False
    last = word[-1]
    if not (_is_letter(last) or last.isdigit()):
        return False
    return all(_is_letter(c) or c.isdigit() or c in "-_." for c in word[2:-1])


def _split_words(text):
    """Whitespace-separated words, a "quoted section" (with a '-' right before
    it) being one word."""
    words = []
    in_quote = False
    start = 0
    for i, ch in enumerate(text):
        if ch != '"':
            continue
        if in_quote:
            words.append(text[start:i + 1])
            in_quote = False
            start = i + 1
        else:
            quote_start = i - 1 if i > 0 and text[i - 1] == "-" else i
            words.extend(text[start:quote_start].split())
            in_quote = True
            start = quote_start
    words.extend(text[start:].split())
    return words


class Unit:
    """One term of a search: a word (prefix when it ended in '*') or a phrase.
    text is what the user typed (without quotes and '*'), tokens its letters
    and digits, lowercased."""

    def __init__(self, text, phrase=False, prefix=False):
        self.text = text
        self.phrase = phrase
        self.prefix = prefix
        self.tokens = [t.lower() for t in _TOKEN.findall(text)]

    def __repr__(self):
        return "Unit(%r, phrase=%r, prefix=%r)" % (self.text, self.phrase, self.prefix)


def _unit(word):
    """The Unit of a plain search word, or None when it has no letter or digit."""
    if len(word) >= 2 and word[0] == '"' and word[-1] == '"':
        unit = Unit(word[1:-1], phrase=True)
    else:
        prefix = word.endswith("*")
        unit = Unit(word.replace('"', " ").rstrip("*"), prefix=prefix)
    return unit if unit.tokens else None


class Query:
    """A parsed search. terms/excluded: Units matched against the text;
    hashtags/excluded_hashtags: '#tag' strings matched exactly; the rest are
    the flags' values as typed (dates as 'YYYY-MM-DD' strings)."""

    def __init__(self):
        self.words = []              # plain words as typed (after punctuation trimming)
        self.terms = []
        self.excluded = []
        self.hashtags = []
        self.excluded_hashtags = []
        self.in_channels = []
        self.excluded_channels = []
        self.from_users = []
        self.excluded_users = []
        self.extensions = []
        self.excluded_extensions = []
        self.after = self.before = self.on = ""
        self.excluded_after = self.excluded_before = self.excluded_on = ""

    @property
    def is_empty(self):
        """Nothing to search for: Mattermost answers no results."""
        return not (self.terms or self.excluded or self.hashtags or self.excluded_hashtags
                    or self.in_channels or self.excluded_channels or self.from_users or self.excluded_users
                    or self.extensions or self.excluded_extensions or self.after or self.before or self.on)


def clean_text(text):
    """text without what no database takes: NUL characters and lone surrogates."""
    text = (text or "").replace("\x00", " ")
    return text.encode("utf-8", "replace").decode("utf-8")


def parse(text):
    """The Query of a search box text (model.ParseSearchParams)."""
    words = _split_words(clean_text(text).strip())
    query = Query()
    plain, excluded_plain = [], []
    skip_next = False
    for i, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        colon = word.find(":")
        if colon != -1:
            exclude = word.startswith("-")
            name = (word[1:colon] if exclude else word[:colon]).lower()
            value = word[colon + 1:]
            if name in _FLAGS:
                if not value and i < len(words) - 1:
                    value = words[i + 1]
                    skip_next = True
                if value:
                    _set_flag(query, name, value, exclude)
                    continue
        exclude = word.startswith("-")
        word = _strip_end(_strip_start(word))
        word = re.sub(r"^#{2,}", "#", word)
        if not word:
            continue
        if _is_hashtag(word):
            (query.excluded_hashtags if exclude else query.hashtags).append(word)
        else:
            (excluded_plain if exclude else plain).append(word)
    query.words = plain
    # A search for "*" alone is no search (Mattermost skips it).
    if plain != ["*"]:
        query.terms = [u for u in (_unit(w) for w in plain) if u is not None][:MAX_UNITS]
    query.excluded = [u for u in (_unit(w) for w in excluded_plain) if u is not None][:MAX_UNITS]
    query.hashtags = query.hashtags[:MAX_UNITS]
    query.excluded_hashtags = query.excluded_hashtags[:MAX_UNITS]
    return query


def _set_flag(query, name, value, exclude):
    if name in ("in", "channel"):
        (query.excluded_channels if exclude else query.in_channels).append(value)
    elif name == "from":
        (query.excluded_users if exclude else query.from_users).append(value)
    elif name == "ext":
        (query.excluded_extensions if exclude else query.extensions).append(value)
    elif name == "after":
        if exclude:
            query.excluded_after = value
        else:
            query.after = value
    elif name == "before":
        if exclude:
            query.excluded_before = value
        else:
            query.before = value
    elif name == "on":
        if exclude:
            query.excluded_on = value
        else:
            query.on = value


# ---------------------------------------------------------------------------
# Dates (model.SearchParams.Get...Millis): days are the searcher's, given by
# time_zone_offset in seconds east of UTC.

def _day_start(value, tz_offset):
    """Epoch millis of the start of the day 'YYYY-M-D' at tz_offset, or None."""
    match = _DATE.match(value or "")
    if not match:
        return None
    try:
        day = datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    epoch = datetime.date(1970, 1, 1).toordinal()
    return (day.toordinal() - epoch) * DAY_MS - tz_offset * 1000


def _today_start(tz_offset):
    now = int(time.time() * 1000) + tz_offset * 1000
    return (now // DAY_MS) * DAY_MS - tz_offset * 1000


def date_conditions(query, column, tz_offset):
    """The create_at conditions of the date flags, as Mattermost builds them."""
    conditions = []
    if query.on:
        start = _day_start(query.on, tz_offset)
        if start is None:
            return [column.between(0, 0)]
        return [column.between(start, start + DAY_MS - 1)]
    if query.excluded_on:
        start = _day_start(query.excluded_on, tz_offset)
        start, end = (0, 0) if start is None else (start, start + DAY_MS - 1)
        conditions.append(~column.between(start, end))
    if query.after:
        start = _day_start(query.after, tz_offset)
        start = _today_start(tz_offset) if start is None else start
        conditions.append(column >= start + DAY_MS)            # from the next day on
    if query.before:
        start = _day_start(query.before, tz_offset)
        conditions.append(column <= (0 if start is None else start - 1))   # up to the day before
    if query.excluded_after:
        start = _day_start(query.excluded_after, tz_offset)
        start = _today_start(tz_offset) if start is None else start
        conditions.append(column < start + DAY_MS)
    if query.excluded_before:
        start = _day_start(query.excluded_before, tz_offset)
        conditions.append(column > (0 if start is None else start - 1))
    return conditions


# ---------------------------------------------------------------------------
# Who and where

_NOWHERE = "-"    # an id no row has: a filter naming something that does not exist matches nothing


def _user_ids(names):
    found = []
    for name in names:
        user = models.User.get_or_none(models.User.username == name.lstrip("@").lower())
        found.append(user.id if user is not None else _NOWHERE)
    return found


def member_channels(user_id, team_id, include_deleted):
    """{channel id: Channel} of the channels the user is a member of: of the
    team and direct/group messages when team_id is given, else of every team."""
    Channel, Member = models.Channel, models.ChannelMember
    query = (Channel.select().join(Member, on=(Member.channel_id == Channel.id))
             .where(Member.user_id == user_id))
    if team_id:
        query = query.where((Channel.team_id == team_id) | (Channel.team_id == ""))
    if not include_deleted:
        query = query.where(Channel.delete_at == 0)
    return {c.id: c for c in query}


def _resolve_channel(name, user_id, team_id, channels):
    """The ids among channels that an in: value names: a channel name (with or
    without '~'), '@username' for the direct message with that user, or
    '@a,b,...' for the group message of those users."""
    from store.channels import direct_name, group_name
    clean = name.lstrip("~").lower()
    if clean.startswith("@"):
        usernames = [u for u in clean[1:].split(",") if u]
        ids = [i for i in _user_ids(usernames) if i != _NOWHERE]
        if not ids or len(ids) != len(usernames):
            return []
        if len(ids) == 1:
            wanted = {direct_name(user_id, ids[0])}
        else:
            wanted = {group_name(ids), group_name(ids + [user_id])}
        return [c.id for c in channels.values() if c.team_id == "" and c.name in wanted]
    matching = [c for c in channels.values() if c.name == clean]
    if team_id:
        # The team's channel first, as Mattermost looks the name up in the team.
        in_team = [c.id for c in matching if c.team_id == team_id]
        return in_team or [c.id for c in matching if c.team_id == ""]
    return [c.id for c in matching]


def searchable_channel_ids(query, user_id, team_id, include_deleted):
    """The ids of the channels a search looks in: the user's channels (of the
    team, if given), narrowed by in: and -in:."""
    channels = member_channels(user_id, team_id, include_deleted)
    ids = set(channels)
    if query.in_channels:
        wanted = set()
        for name in query.in_channels:
            wanted.update(_resolve_channel(name, user_id, team_id, channels))
        ids &= wanted
    for name in query.excluded_channels:
        ids -= set(_resolve_channel(name, user_id, team_id, channels))
    return sorted(ids)


# ---------------------------------------------------------------------------
# The engines

def _fts5_string(text):
    return '"%s"' % text.replace('"', '""')


def _fts5_unit(unit, columns, prefix=None):
    """An FTS5 phrase for a unit, limited to columns ('{a b} : "..."')."""
    prefix = unit.prefix if prefix is None else prefix
    phrase = _fts5_string(" ".join(unit.tokens))
    return "{%s} : %s%s" % (" ".join(columns), phrase, " *" if prefix and not unit.phrase else "")


def _fts5_match(units, columns, any_of, prefix=None):
    return (" OR " if any_of else " AND ").join("(%s)" % _fts5_unit(u, columns, prefix) for u in units)


def _ts_unit(unit, prefix=None):
    """A tsquery expression for a unit: phraseto_tsquery of what was typed, or
    a to_tsquery built from its letters and digits when it is a prefix."""
    prefix = unit.prefix if prefix is None else prefix
    config = peewee.SQL("'english'")
    if prefix and not unit.phrase:
        tokens = ["'%s'" % t for t in unit.tokens]
        tokens[-1] += ":*"
        return peewee.fn.to_tsquery(config, " <-> ".join(tokens))
    return peewee.fn.phraseto_tsquery(config, unit.text)


def _ts_query(units, any_of, prefix=None):
    expression = None
    for unit in units:
        part = _ts_unit(unit, prefix)
        expression = part if expression is None else peewee.Expression(expression, "||" if any_of else "&&",
                                                                       part)
    return expression


def _ts_match(vector, tsquery):
    return peewee.Expression(peewee.fn.to_tsvector(peewee.SQL("'english'"), vector), "@@", tsquery)


def _text_condition(units, excluded, any_of, fts_table, columns, id_column, pg_vectors, prefix=None):
    """The condition that rows match units (all of them, or any_of) and none of
    excluded; None when there is nothing to match."""
    conditions = []
    if db.current.is_sqlite:
        lookup = "SELECT t.id FROM %s JOIN %s t ON t.rowid = %s.rowid WHERE %s MATCH " % (
            fts_table, fts_table.replace("_fts", ""), fts_table, fts_table)
        param = db.current.db.param
        if units:
            match = _fts5_match(units, columns, any_of, prefix)
            conditions.append(id_column.in_(peewee.SQL("(" + lookup + param + ")", [match])))
        if excluded:
            match = _fts5_match(excluded, columns, True)
            conditions.append(id_column.not_in(peewee.SQL("(" + lookup + param + ")", [match])))
    else:
        def matches(tsquery):
            result = None
            for vector in pg_vectors:
                one = _ts_match(vector, tsquery)
                result = one if result is None else (result | one)
            return result
        if units:
            conditions.append(matches(_ts_query(units, any_of, prefix)))
        if excluded:
            conditions.append(~matches(_ts_query(excluded, True)))
    if not conditions:
        return None
    result = conditions[0]
    for c in conditions[1:]:
        result &= c
    return result


def _hashtag_condition(column, tag):
    """column, a space-separated list of hashtags, holds tag (any case)."""
    padded = peewee.Value(" ").concat(peewee.fn.LOWER(column)).concat(" ")
    needle = " %s " % tag.lower()
    finder = peewee.fn.instr(padded, needle) if db.current.is_sqlite else peewee.fn.strpos(padded, needle)
    return finder > 0


def _combine(conditions, any_of):
    result = None
    for c in conditions:
        result = c if result is None else ((result | c) if any_of else (result & c))
    return result


def _page(query, offset, limit):
    if offset >= MAX_OFFSET or limit <= 0:
        return []
    return list(query.offset(offset).limit(limit))


# ---------------------------------------------------------------------------
# Posts

def _clamp_tz(tz_offset):
    try:
        tz_offset = int(tz_offset or 0)
    except (TypeError, ValueError):
        return 0
    return max(-MAX_TZ_OFFSET, min(MAX_TZ_OFFSET, tz_offset))


def search_posts(query, user_id, team_id="", or_terms=False, include_deleted_channels=False, tz_offset=0,
                 offset=0, limit=60):
    """Posts matching a parsed Query that the user can read, newest first:
    [(Post, [matched words])]. team_id "" searches every team of the user."""
    if query.is_empty:
        return []
    tz_offset = _clamp_tz(tz_offset)
    channel_ids = searchable_channel_ids(query, user_id, team_id, include_deleted_channels)
    if not channel_ids:
        return []
    Post = models.Post
    conditions = [Post.channel_id.in_(channel_ids), Post.delete_at == 0, ~Post.type.startswith("system_")]
    if query.from_users:
        conditions.append(Post.user_id.in_(_user_ids(query.from_users)))
    if query.excluded_users:
        conditions.append(Post.user_id.not_in(_user_ids(query.excluded_users)))
    conditions.extend(date_conditions(query, Post.create_at, tz_offset))

    # Plain terms and hashtags are two searches whose results are merged, as in
    # Mattermost; what is excluded (words or hashtags) is never in the results.
    alternatives = []
    if query.terms:
        alternatives.append(_text_condition(query.terms, [], or_terms, "posts_fts", ["message"],
                                            Post.id, [Post.message]))
    if query.hashtags:
        alternatives.append(_combine([_hashtag_condition(Post.hashtags, t) for t in query.hashtags], or_terms))
    if alternatives:
        conditions.append(_combine(alternatives, True))
    if query.excluded:
        conditions.append(_text_condition([], query.excluded, False, "posts_fts", ["message"],
                                          Post.id, [Post.message]))
    conditions.extend(~_hashtag_condition(Post.hashtags, t) for t in query.excluded_hashtags)

    found = _page(Post.select().where(*conditions).order_by(Post.create_at.desc(), Post.id.desc()),
                  offset, limit)
    return [(post, matched_words(query, post)) for post in found]


def matched_words(query, post):
    """The words of a post that the search matched, as they are written."""
    wanted = set()
    prefixes = []
    for unit in query.terms:
        if unit.prefix and not unit.phrase:
            wanted.update(unit.tokens[:-1])
            prefixes.append(unit.tokens[-1])
        else:
            wanted.update(unit.tokens)
    found = []
    for word in _TOKEN.findall(post.message or ""):
        lower = word.lower()
        if lower in wanted or any(lower.startswith(p) for p in prefixes):
            found.append(word)
    tags = {t.lower() for t in query.hashtags}
    for tag in (post.hashtags or "").split():
        if tag.lower() in tags:
            found.append(tag)
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------------------
# Files

def search_files(query, user_id, team_id, or_terms=False, include_deleted_channels=False, tz_offset=0,
                 offset=0, limit=60):
    """FileInfo rows of posted files matching a parsed Query in channels the
    user is a member of, newest first. Every word matches as a prefix of a
    word of the file's name or extracted content, as Mattermost's file search
    does; "quoted phrases" match as written; hashtags count as words."""
    if query.is_empty:
        return []
    tz_offset = _clamp_tz(tz_offset)
    channel_ids = searchable_channel_ids(query, user_id, team_id, include_deleted_channels)
    if not channel_ids:
        return []
    FileInfo = models.FileInfo
    conditions = [FileInfo.channel_id.in_(channel_ids), FileInfo.delete_at == 0, FileInfo.post_id != ""]
    if query.extensions:
        conditions.append(FileInfo.extension.in_([e.lstrip(".").lower() for e in query.extensions]))
    if query.excluded_extensions:
        conditions.append(FileInfo.extension.not_in([e.lstrip(".").lower() for e in query.excluded_extensions]))
    if query.from_users:
        conditions.append(FileInfo.creator_id.in_(_user_ids(query.from_users)))
    if query.excluded_users:
        conditions.append(FileInfo.creator_id.not_in(_user_ids(query.excluded_users)))
    conditions.extend(date_conditions(query, FileInfo.create_at, tz_offset))

    units = query.terms + [u for u in (Unit(t[1:]) for t in query.hashtags) if u.tokens]
    excluded = query.excluded + [u for u in (Unit(t[1:]) for t in query.excluded_hashtags) if u.tokens]
    separated_name = peewee.fn.translate(FileInfo.name, ".,-", "   ")
    text = _text_condition(units[:MAX_UNITS], excluded[:MAX_UNITS], or_terms, "file_info_fts",
                           ["name", "content"], FileInfo.id,
                           [FileInfo.name, separated_name, FileInfo.content], prefix=True)
    if text is not None:
        conditions.append(text)
    return _page(FileInfo.select().where(*conditions).order_by(FileInfo.create_at.desc(), FileInfo.id.desc()),
                 offset, limit)
