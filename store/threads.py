"""Threads (collapsed reply threads): each root post with replies has a Thread
row (reply count, last reply, participants), and each user who follows it or
was mentioned in it a ThreadMembership. These keep them in step with writes;
the reads the threads operations need are in store/thread_queries.py."""
import json
import time

import peewee

from store import models


def _millis():
    return int(time.time() * 1000)


def participants(thread):
    try:
        value = json.loads(thread.participants or "[]")
    except ValueError:
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def get_membership(post_id, user_id):
    return models.ThreadMembership.get_or_none(
        (models.ThreadMembership.post_id == post_id) & (models.ThreadMembership.user_id == user_id))


def maintain_membership(user_id, post_id, following=True, update_following=False, increment_mentions=False,
                        update_viewed=False, viewed_at=None):
    """Create or update a user's membership of a thread, as Mattermost's
    MaintainMembership: set following when asked, count one more unread
    mention, or mark the thread read (which clears the unread mentions)."""
    now = _millis()
    membership = get_membership(post_id, user_id)
    if membership is None:
        membership = models.ThreadMembership(
            post_id=post_id, user_id=user_id, following=following, last_updated=now,
            unread_mentions=1 if increment_mentions else 0,
            last_viewed=(viewed_at or now) if update_viewed else 0)
        membership.save(force_insert=True)
        return membership
    changed = update_following and membership.following != following
    if changed or increment_mentions or update_viewed:
        if changed:
            membership.following = following
        if update_viewed:
            membership.last_viewed = viewed_at or now
            membership.unread_mentions = 0
        elif increment_mentions:
            membership.unread_mentions += 1
        membership.last_updated = now
        membership.save()
    return membership


def on_reply(root, reply, team_id):
    """A reply was saved: count it in its root's thread and add its author
    to the participants."""
    thread = models.Thread.get_or_none(models.Thread.post_id == root.id)
    if thread is None:
        thread = models.Thread(post_id=root.id, channel_id=root.channel_id, reply_count=0, last_reply_at=0,
                               participants="[]", thread_team_id=team_id or "")
        thread.save(force_insert=True)
    people = participants(thread)
    if reply.user_id not in people:
        people.append(reply.user_id)
    (models.Thread.update(reply_count=models.Thread.reply_count + 1,
                          last_reply_at=max(thread.last_reply_at, reply.create_at),
                          participants=json.dumps(people))
     .where(models.Thread.post_id == root.id).execute())


def recount(root_id):
    """Recount a thread from its replies that are not deleted (after a reply is deleted)."""
    Post = models.Post
    row = (Post.select(peewee.fn.COUNT(Post.id), peewee.fn.MAX(Post.create_at))
           .where((Post.root_id == root_id) & (Post.delete_at == 0)).tuples().first())
    count, last = row or (0, None)
    models.Thread.update(reply_count=count or 0, last_reply_at=last or 0).where(
        models.Thread.post_id == root_id).execute()


def on_root_deleted(root_id, delete_at):
    models.Thread.update(thread_delete_at=delete_at).where(models.Thread.post_id == root_id).execute()


def on_root_restored(root_id):
    models.Thread.update(thread_delete_at=0).where(models.Thread.post_id == root_id).execute()


def followers(root_id):
    """The ids of the users following a thread."""
    TM = models.ThreadMembership
    return [row[0] for row in TM.select(TM.user_id).where((TM.post_id == root_id) & (TM.following == True))  # noqa: E712
            .tuples()]
