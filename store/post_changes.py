"""Changes to existing posts beyond the core writes in store/posts.py: edits
that move file attachments, the edit history, deletion with its clean-up,
reminders, and marking a channel (or thread) unread from a post on."""
import json
import time

from store import models, posts
from store.db import transaction

Post = models.Post
FileInfo = models.FileInfo
ChannelMember = models.ChannelMember

# Posts that announce joins and leaves; Mattermost leaves them out when it
# counts unread messages.
JOIN_LEAVE_TYPES = (
    "system_join_leave", "system_add_remove", "system_join_channel", "system_leave_channel",
    "system_join_team", "system_leave_team", "system_add_to_channel", "system_remove_from_channel",
    "system_add_to_team", "system_remove_from_team",
)


def _millis():
    return int(time.time() * 1000)


def file_ids_of(post):
    """The post's file ids as a list."""
    try:
        value = json.loads(post.file_ids or "[]")
    except ValueError:
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def get_any(post_id):
    """A post whether deleted or not (edit-history rows are deleted posts), or None."""
    return Post.get_or_none(Post.id == post_id)


def _plan_files(post, wanted, restoring):
    """(final file ids, ids to attach, ids to detach, ids to undelete) for
    replacing the post's files with wanted, as Mattermost's
    processPostFileChanges: new files must be the author's own unattached
    uploads (those that are not are dropped); removed files are deleted; a
    restored version brings its own deleted files back."""
    wanted = list(dict.fromkeys(f for f in wanted if isinstance(f, str)))
    old = list(dict.fromkeys(file_ids_of(post)))
    added = [f for f in wanted if f not in old]
    removed = [f for f in old if f not in wanted]
    unchanged = [f for f in wanted if f in old]
    final, attach, undelete = wanted, [], []
    if added:
        if restoring:
            undelete = added
        else:
            attach = posts.attachable_file_ids(added, post.user_id, post.channel_id)
            if len(attach) != len(added):
                final = attach + unchanged
    return final, attach, removed, undelete


def final_file_ids(post, wanted, restoring=False):
    """The file ids the post would end up with (to check their number first)."""
    return _plan_files(post, wanted, restoring)[0]


def update(post, message=None, props=None, file_ids=None, is_pinned=None, has_reactions=None, restoring=False):
    """Change a post (store.posts.edit keeps the history) and, when file_ids is
    given, attach the new files and delete the removed ones. Returns the post
    as saved."""
    with transaction():
        final = None
        if file_ids is not None:
            final, attach, detach, undelete = _plan_files(post, file_ids, restoring)
            now = _millis()
            if attach:
                FileInfo.update(post_id=post.id, channel_id=post.channel_id, update_at=now).where(
                    FileInfo.id.in_(attach)).execute()
            if undelete:
                FileInfo.update(delete_at=0, update_at=now).where(
                    FileInfo.id.in_(undelete) & (FileInfo.post_id == post.id)).execute()
            if detach:
                FileInfo.update(delete_at=now, update_at=now).where(
                    FileInfo.id.in_(detach) & (FileInfo.post_id == post.id) & (FileInfo.delete_at == 0)).execute()
            if final == file_ids_of(post):
                final = None
        return posts.edit(post, message=message, props=props, file_ids=final, is_pinned=is_pinned,
                          has_reactions=has_reactions)


def edit_history(post_id):
    """The earlier versions of a post, the latest edit first (Mattermost orders them by edit_at)."""
    return list(Post.select().where((Post.original_id == post_id) & (Post.delete_at != 0))
                .order_by(Post.edit_at.desc(), Post.update_at.desc(), Post.id))


def delete(post, deleted_by):
    """Delete a post with its replies (store.posts.delete), and forget the
    flags users put on them. Returns the deleted ids."""
    with transaction():
        ids = posts.delete(post, deleted_by)
        if ids:
            Pref = models.Preference
            Pref.delete().where((Pref.category == "flagged_post") & Pref.name.in_(ids)).execute()
        return ids


def set_reminder(post_id, user_id, target_time):
    """Set (or move) the user's reminder about a post; target_time in seconds."""
    with transaction():
        PR = models.PostReminder
        (PR.insert(post_id=post_id, user_id=user_id, target_time=target_time)
         .on_conflict(conflict_target=[PR.post_id, PR.user_id], update={PR.target_time: target_time})
         .execute())


def get_reminder(post_id, user_id):
    PR = models.PostReminder
    return PR.get_or_none((PR.post_id == post_id) & (PR.user_id == user_id))


# Marking unread

def _counted_after(channel_id, timestamp):
    """Posts of the channel after timestamp that count as messages (not deleted,
    not join/leave announcements)."""
    return Post.select().where((Post.channel_id == channel_id) & (Post.create_at > timestamp)
                               & (Post.delete_at == 0) & Post.type.not_in(JOIN_LEAVE_TYPES))


def _member_props(channel_id, user_id):
    member = ChannelMember.get_or_none((ChannelMember.channel_id == channel_id) & (ChannelMember.user_id == user_id))
    if member is None:
        return {}
    props = member.notify_props
    if isinstance(props, str):
        try:
            props = json.loads(props)
        except ValueError:
            props = {}
    return props or {}


def _keywords(user, member_props):
    from store import mentions
    keywords = mentions.Keywords()
    # The user is taken to be online and channel-wide mentions to be allowed,
    # as Mattermost does when it recounts.
    keywords.add_member(user, member_props, True, True)
    return keywords


def _mentions(post, user, keywords):
    from store import mentions
    return user.id in mentions.explicit(mentions.texts_of(post.message, post.props or {}), keywords).user_ids


def _from_webhook(post):
    return (post.props or {}).get("from_webhook") == "true"


def count_mentions_from(post, user, channel):
    """(mentions, root mentions) of the user in the post and the channel's posts
    after it, as Mattermost's countMentionsFromPost: in direct and group
    messages every post by someone else counts; elsewhere keyword mentions,
    being added to the channel, and replies to threads the user started (or
    replied to, when they asked for that)."""
    if channel.type in ("D", "G"):
        rows = [p for p in _counted_after(channel.id, post.create_at - 1) if p.user_id != user.id]
        return len(rows), sum(1 for p in rows if not p.root_id)
    rows = [post] + list(Post.select().where((Post.channel_id == channel.id) & (Post.create_at > post.create_at)
                                             & (Post.delete_at == 0)).order_by(Post.create_at, Post.id))
    keywords = _keywords(user, _member_props(channel.id, user.id))
    comments = (user.notify_props or {}).get("comments", "never")
    check_comments = comments in ("root", "any")
    by_thread = {}
    count = count_root = 0
    for p in rows:
        if p.user_id == user.id and not _from_webhook(p):
            continue
        hit = _mentions(p, user, keywords)
        if not hit and p.type == "system_add_to_channel" and (p.props or {}).get("addedUserId") == user.id:
            hit = True
        if not hit and check_comments and p.root_id:
            if p.root_id not in by_thread:
                root = Post.get_or_none(Post.id == p.root_id)
                started = root is not None and root.user_id == user.id
                by_thread[p.root_id] = (started, comments)
            started, _ = by_thread[p.root_id]
            if started:
                hit = True
            elif comments == "any":
                hit = Post.select().where((Post.root_id == p.root_id) & (Post.user_id == user.id)
                                          & (Post.create_at < p.create_at) & (Post.id != p.id)).exists()
        if hit:
            count += 1
            if not p.root_id:
                count_root += 1
    return count, count_root


def count_thread_mentions(root, user, channel, timestamp):
    """Mentions of the user in the thread's replies since timestamp, as
    Mattermost's countThreadMentions."""
    replies = list(Post.select().where((Post.root_id == root.id) & (Post.delete_at == 0)
                                       & (Post.create_at >= timestamp)))
    if channel.type in ("D", "G"):
        return sum(1 for p in replies if p.user_id != user.id)
    keywords = _keywords(user, {})
    return sum(1 for p in replies if _mentions(p, user, keywords))


def unread_at(channel_id, user_id):
    """The user's reading state of a channel that is not archived, in
    Mattermost's ChannelUnreadAt shape, or None."""
    member = (ChannelMember.select(ChannelMember, models.Channel)
              .join(models.Channel, on=(models.Channel.id == ChannelMember.channel_id))
              .where((ChannelMember.channel_id == channel_id) & (ChannelMember.user_id == user_id)
                     & (models.Channel.delete_at == 0)).first())
    if member is None:
        return None
    return {"team_id": member.channel.team_id, "user_id": member.user_id, "channel_id": member.channel_id,
            "msg_count": member.msg_count, "msg_count_root": member.msg_count_root,
            "mention_count": member.mention_count, "mention_count_root": member.mention_count_root,
            "urgent_mention_count": member.urgent_mention_count, "last_viewed_at": member.last_viewed_at}


def _set_channel_unread(post, user_id, mentions, mentions_root, count_root):
    """Mattermost's UpdateLastViewedAtPost: the member last read the channel
    just before the post; what came after is unread."""
    channel = models.Channel.get(models.Channel.id == post.channel_id)
    since = post.create_at - 1
    after = _counted_after(post.channel_id, since)
    unread = after.count()
    unread_root = after.where(Post.root_id == "").count() if count_root else 0
    ChannelMember.update(
        mention_count=mentions, mention_count_root=mentions_root, urgent_mention_count=0,
        msg_count=max(channel.total_msg_count - unread, 0),
        msg_count_root=max(channel.total_msg_count_root - unread_root, 0),
        last_viewed_at=since, last_update_at=_millis(),
    ).where((ChannelMember.channel_id == post.channel_id) & (ChannelMember.user_id == user_id)).execute()


def mark_unread(post, user, channel, crt, thread_auto_follow):
    """Mark the channel unread for the user from the post on, as Mattermost's
    MarkChannelAsUnreadFromPost. crt: the client supports collapsed threads and
    the user has them on; then only the channel is marked. Otherwise a reply
    also makes its thread unread for the user (who follows it again, when
    threads are followed automatically), and the channel's root count is left
    as it was counted. Returns unread_at(), or None when the user is not a
    member of a channel that is open."""
    from store import threads
    with transaction():
        if unread_at(channel.id, user.id) is None:
            return None
        mentions, mentions_root = count_mentions_from(post, user, channel)
        if crt or not post.root_id:
            _set_channel_unread(post, user.id, mentions, mentions_root, True)
            return unread_at(channel.id, user.id)
        root = Post.get(Post.id == post.root_id)
        if thread_auto_follow:
            membership = threads.get_membership(root.id, user.id)
            if membership is None:
                threads.maintain_membership(user.id, root.id, following=True, update_following=True)
            TM = models.ThreadMembership
            TM.update(following=True, last_viewed=post.create_at - 1,
                      unread_mentions=count_thread_mentions(root, user, channel, post.create_at - 1),
                      last_updated=_millis()).where((TM.post_id == root.id) & (TM.user_id == user.id)).execute()
        _set_channel_unread(post, user.id, mentions, 0, False)
        return unread_at(channel.id, user.id)
