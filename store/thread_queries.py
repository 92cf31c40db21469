"""The reads and read-state writes of the threads operations (collapsed reply
threads): the threads a user follows in a team, their unread totals, one
thread in Mattermost's ThreadResponse shape, and marking threads read.

A team's threads are those of its channels plus those of direct and group
messages (which have no team), as in Mattermost. Only threads in channels the
user is a member of are listed or counted."""
import time

import peewee

from store import db, mentions, models, threads as store_threads

DEFAULT_PAGE_SIZE = 30   # Mattermost's thread page when the page size is 0
# Props Mattermost removes from a thread's root post before answering.
_SANITIZED_PROPS = ("add_channel_member", "force_notification")


def _millis():
    return int(time.time() * 1000)


def _followed(user_id, team_id, deleted=False, exclude_direct=False):
    """The condition shared by every list and total: the user's followed
    threads in the team (and team-less channels unless exclude_direct), in
    channels the user is a member of, not deleted unless asked."""
    Thread, TM, CM = models.Thread, models.ThreadMembership, models.ChannelMember
    condition = (TM.user_id == user_id) & (TM.following == True)  # noqa: E712
    if exclude_direct:
        condition &= Thread.thread_team_id == team_id
    else:
        condition &= (Thread.thread_team_id == team_id) | (Thread.thread_team_id == "")
    if not deleted:
        condition &= Thread.thread_delete_at == 0
    member_of = CM.select(CM.channel_id).where(CM.user_id == user_id)
    return condition & Thread.channel_id.in_(member_of)


def _memberships_query(user_id, team_id, deleted, exclude_direct, *columns):
    Thread, TM = models.Thread, models.ThreadMembership
    return (TM.select(*columns)
            .join(Thread, on=(Thread.post_id == TM.post_id))
            .where(_followed(user_id, team_id, deleted, exclude_direct)))


def _totals_lookup(deleted, exclude_direct):
    Thread, TM = models.Thread, models.ThreadMembership
    unread = peewee.fn.SUM(peewee.Case(None, [(TM.last_viewed < Thread.last_reply_at, peewee.SQL("1"))],
                                       peewee.SQL("0")))    # literals: PostgreSQL cannot type CASE parameters
    return db.Lookup(TM, lambda a: _memberships_query(a[0], a[1], deleted, exclude_direct, peewee.fn.COUNT(TM.post_id),
                                                      unread, peewee.fn.SUM(TM.unread_mentions)))


_TOTALS = {(deleted, exclude): _totals_lookup(deleted, exclude) for deleted in (False, True)
           for exclude in (False, True)}


def totals(user_id, team_id, deleted=False, exclude_direct=False):
    """(total followed threads, unread threads, unread mentions) of the user in the team."""
    rows = _TOTALS[(bool(deleted), bool(exclude_direct))].tuples(user_id, team_id)
    total, unread, mentioned = rows[0] if rows else (0, 0, 0)
    return int(total or 0), int(unread or 0), int(mentioned or 0)


def followed_threads(user_id, team_id, since=0, deleted=False, unread=False, before="", after="",
                     limit=DEFAULT_PAGE_SIZE, exclude_direct=False):
    """[(thread, membership)] of the user's followed threads in the team, newest
    reply first (oldest first after an 'after' cursor), whose root post exists.
    since keeps threads whose membership changed or that had a reply since
    then; before/after are thread ids whose last reply time bounds the page."""
    Thread, TM, Post = models.Thread, models.ThreadMembership, models.Post
    query = (Thread.select(Thread, TM)
             .join(TM, on=(TM.post_id == Thread.post_id), attr="membership")
             .switch(Thread)
             .join(Post, on=(Post.id == Thread.post_id))
             .where(_followed(user_id, team_id, deleted, exclude_direct)))
    if since and since > 0:
        query = query.where((TM.last_updated >= since) | (Thread.last_reply_at >= since))
    if unread:
        query = query.where(TM.last_viewed < Thread.last_reply_at)
    Cursor = Thread.alias()
    descending = True
    if before:
        query = query.where(Thread.last_reply_at < Cursor.select(Cursor.last_reply_at).where(Cursor.post_id == before))
    if after:
        descending = False
        query = query.where(Thread.last_reply_at > Cursor.select(Cursor.last_reply_at).where(Cursor.post_id == after))
    if descending:
        query = query.order_by(Thread.last_reply_at.desc(), Thread.post_id.desc())
    else:
        query = query.order_by(Thread.last_reply_at.asc(), Thread.post_id.asc())
    rows = []
    for thread in query.limit(limit):
        rows.append((thread, thread.membership))
    return rows


def unread_replies(user_id, post_ids, include_deleted=False):
    """{root post id: replies created after the user last viewed the thread}
    (replies that are not deleted, unless include_deleted)."""
    if not post_ids:
        return {}
    Post, TM = models.Post, models.ThreadMembership
    query = (Post.select(Post.root_id, peewee.fn.COUNT(Post.id))
             .join(TM, on=((TM.post_id == Post.root_id) & (TM.user_id == user_id)))
             .where(Post.root_id.in_(list(set(post_ids))) & (Post.create_at > TM.last_viewed)))
    if not include_deleted:
        query = query.where(Post.delete_at == 0)
    return dict(query.group_by(Post.root_id).tuples())


def get_thread(post_id):
    return models.Thread.get_or_none(models.Thread.post_id == post_id)


def root_post(post_id):
    """The thread's root post, deleted or not, or None."""
    return models.Post.get_or_none(models.Post.id == post_id)


def participants_of(thread_rows):
    """The ids of the participants of these threads, each once, in order."""
    seen = {}
    for thread in thread_rows:
        for user_id in store_threads.participants(thread):
            seen.setdefault(user_id, None)
    return list(seen)


def sanitize_post(post_body):
    """Remove the props Mattermost never sends with a thread's root post."""
    props = post_body.get("props") or {}
    if any(name in props for name in _SANITIZED_PROPS):
        post_body["props"] = {k: v for k, v in props.items() if k not in _SANITIZED_PROPS}
    return post_body


def thread_json(thread, membership, post_body, participants, unread_replies_count):
    """A ThreadResponse: participants are user dicts (or {"id"} when not extended)."""
    return {
        "id": thread.post_id, "reply_count": thread.reply_count, "last_reply_at": thread.last_reply_at,
        "last_viewed_at": membership.last_viewed, "participants": participants,
        "post": post_body, "unread_replies": unread_replies_count,
        "unread_mentions": membership.unread_mentions, "is_urgent": False,
        "delete_at": thread.thread_delete_at or 0,
    }


def mention_counts_by_channel(user_id, team_id):
    """{channel id: unread mentions} of the user's followed threads in the team."""
    Thread, TM = models.Thread, models.ThreadMembership
    rows = (_memberships_query(user_id, team_id, False, False, Thread.channel_id, peewee.fn.SUM(TM.unread_mentions))
            .group_by(Thread.channel_id).tuples())
    return {channel_id: int(count or 0) for channel_id, count in rows}


def mark_all_read_in_team(user_id, team_id):
    """Every thread membership of the user in the team's threads (and team-less
    ones) is read now, with no unread mentions (Mattermost's MarkAllAsReadByTeam)."""
    from store.db import transaction
    Thread, TM = models.Thread, models.ThreadMembership
    now = _millis()
    in_team = Thread.select(Thread.post_id).where((Thread.thread_team_id == team_id) | (Thread.thread_team_id == ""))
    with transaction():
        TM.update(last_viewed=now, unread_mentions=0, last_updated=now).where(
            (TM.user_id == user_id) & TM.post_id.in_(in_team)).execute()


def set_read(membership, last_viewed, unread_mentions):
    """Move the user's read marker of the thread to last_viewed with the
    unread mentions counted after it; returns the membership as saved."""
    from store.db import transaction
    TM = models.ThreadMembership
    with transaction():
        TM.update(last_viewed=last_viewed, unread_mentions=unread_mentions, last_updated=_millis()).where(
            (TM.post_id == membership.post_id) & (TM.user_id == membership.user_id)).execute()
    return store_threads.get_membership(membership.post_id, membership.user_id)


def count_thread_mentions(user, root, channel, since):
    """How many replies of the thread created at or after since mention the
    user, as Mattermost's countThreadMentions counts them: in a direct message
    every reply of the other user; in a group message none; elsewhere replies
    that mention the user by their keywords (@username, mention keys, first
    name, and channel-wide mentions as if they were online)."""
    Post = models.Post
    replies = list(Post.select(Post.user_id, Post.message, Post.props, Post.create_at)
                   .where((Post.root_id == root.id) & (Post.create_at >= since) & (Post.delete_at == 0)))
    if channel.type == "D":
        ids = channel.name.split("__")
        other = ""
        if len(ids) == 2 and ids[0] != ids[1]:
            other = ids[1] if ids[0] == user.id else ids[0]
        return sum(1 for p in replies if other and p.user_id == other)
    if channel.type == "G":
        return 0
    keywords = mentions.Keywords()
    keywords.add_member(user, {}, True, True)
    return sum(1 for p in replies
               if user.id in mentions.explicit(mentions.texts_of(p.message, p.props), keywords).user_ids)
