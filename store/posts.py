"""Posts: Mattermost's Post and PostList shapes, and the writes every post
goes through (create with its counts and mentions, edit with history,
delete with replies). The reads of the posts operations are in
store/post_queries.py."""
import json

import peewee

from store import models


def _id_list(text):
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def post_json(post, reply_count=0, last_reply_at=0, metadata=None):
    """A post in Mattermost's shape; reply_count and last_reply_at describe its
    thread; metadata is what posts_json gathers (files, reactions, ...)."""
    body = {
        "id": post.id, "create_at": post.create_at, "update_at": post.update_at, "edit_at": post.edit_at,
        "delete_at": post.delete_at, "is_pinned": post.is_pinned, "user_id": post.user_id,
        "channel_id": post.channel_id, "root_id": post.root_id, "original_id": post.original_id,
        "message": post.message, "type": post.type, "props": post.props or {}, "hashtags": post.hashtags,
        "file_ids": _id_list(post.file_ids), "pending_post_id": "", "reply_count": reply_count,
        "last_reply_at": last_reply_at, "participants": None, "metadata": metadata or {},
    }
    # Mattermost leaves these out when unset.
    if post.has_reactions:
        body["has_reactions"] = True
    if post.remote_id:
        body["remote_id"] = post.remote_id
    return body


def ephemeral_json(user_id, channel_id, root_id, message, props, file_ids, now):
    """An ephemeral post (shown to one user, never stored) in Mattermost's shape."""
    from store.ids import new_id
    row = models.Post(id=new_id(), create_at=now, update_at=now, user_id=user_id, channel_id=channel_id,
                      root_id=root_id, message=message, type="system_ephemeral", props=props, hashtags="",
                      file_ids=json.dumps(list(file_ids)))
    return post_json(row)


def _custom_emoji_json(names):
    """Custom emoji (not deleted) with these names, in Mattermost's Emoji shape."""
    if not names:
        return []
    Emoji = models.Emoji
    return [{"id": e.id, "creator_id": e.creator_id, "name": e.name, "create_at": e.create_at,
             "update_at": e.update_at, "delete_at": e.delete_at}
            for e in Emoji.select().where(Emoji.name.in_(sorted(names)) & (Emoji.delete_at == 0)).order_by(Emoji.name)]


def posts_json(posts, deleted_files=False):
    """Posts in Mattermost's shape with their thread counts and metadata: files,
    reactions, acknowledgements and the custom emoji the reactions use.
    Empty parts are left out, as Mattermost does."""
    from store import file_infos, reactions
    posts = list(posts)
    ids = [p.id for p in posts]
    roots = [p.root_id or p.id for p in posts]
    counts = reply_counts(roots)
    last = last_reply_times(roots)
    files = file_infos.for_posts(ids, include_deleted=deleted_files)
    reacts = reactions.for_posts([p.id for p in posts if p.has_reactions])
    acks = acknowledgements_for(ids)
    names = {r.emoji_name for rows in reacts.values() for r in rows}
    emojis = {e["name"]: e for e in _custom_emoji_json(names)}
    result = []
    for post in posts:
        metadata = {}
        if post.id in files:
            metadata["files"] = [file_infos.file_info_json(f) for f in files[post.id]]
        if post.id in reacts:
            metadata["reactions"] = [reactions.reaction_json(r) for r in reacts[post.id]]
            used = [emojis[n] for n in dict.fromkeys(r.emoji_name for r in reacts[post.id]) if n in emojis]
            if used:
                metadata["emojis"] = used
        if post.id in acks:
            metadata["acknowledgements"] = acks[post.id]
        root = post.root_id or post.id
        result.append(post_json(post, reply_count=counts.get(root, 0), last_reply_at=last.get(root, 0),
                                metadata=metadata))
    return result


def acknowledgements_for(post_ids):
    """{post id: [acknowledgement dicts]} of the given posts."""
    if not post_ids:
        return {}
    Ack = models.PostAcknowledgement
    found = {}
    for ack in Ack.select().where(Ack.post_id.in_(list(set(post_ids)))).order_by(Ack.acknowledged_at):
        found.setdefault(ack.post_id, []).append({
            "user_id": ack.user_id, "post_id": ack.post_id, "acknowledged_at": ack.acknowledged_at,
            "channel_id": ack.channel_id, "remote_id": ack.remote_id or ""})
    return found


def last_reply_times(root_ids):
    """{root id: create_at of its newest reply that is not deleted}."""
    if not root_ids:
        return {}
    Post = models.Post
    rows = (Post.select(Post.root_id, peewee.fn.MAX(Post.create_at))
            .where(Post.root_id.in_(list(set(root_ids))) & (Post.delete_at == 0))
            .group_by(Post.root_id).tuples())
    return dict(rows)


def post_list_json(posts, order=None, next_post_id="", prev_post_id="", has_next=None):
    """A PostList: posts keyed by id, their order (the given one, else as
    listed), the neighbouring post ids, and has_next only when it is known
    (Mattermost leaves it out otherwise). posts are post_json dicts."""
    body = {
        "order": list(order) if order is not None else [p["id"] for p in posts],
        "posts": {p["id"]: p for p in posts},
        "next_post_id": next_post_id, "prev_post_id": prev_post_id,
        "first_inaccessible_post_time": 0,
    }
    if has_next is not None:
        body["has_next"] = has_next
    return body


def post_list_etag(version, body):
    """Mattermost's PostList ETag: the first id in the order, and the id and
    update time of the most recently updated post."""
    newest_id, newest_at = "0", 0
    for post in body["posts"].values():
        if post["update_at"] > newest_at or (post["update_at"] == newest_at and post["id"] > newest_id):
            newest_id, newest_at = post["id"], post["update_at"]
    first = body["order"][0] if body["order"] else ""
    return "%s.%s.%s.%d" % (version, first, newest_id, newest_at)


def get(post_id):
    """A post that is not deleted, or None."""
    return models.Post.get_or_none((models.Post.id == post_id) & (models.Post.delete_at == 0))


def get_many(post_ids, include_deleted=False):
    """The posts with these ids (not deleted unless asked), in no set order."""
    if not post_ids:
        return []
    query = models.Post.select().where(models.Post.id.in_(list(set(post_ids))))
    if not include_deleted:
        query = query.where(models.Post.delete_at == 0)
    return list(query)


def reply_counts(root_ids):
    """{root id: number of replies not deleted}."""
    if not root_ids:
        return {}
    Post = models.Post
    rows = (Post.select(Post.root_id, peewee.fn.COUNT(Post.id))
            .where(Post.root_id.in_(list(set(root_ids))) & (Post.delete_at == 0))
            .group_by(Post.root_id).tuples())
    return dict(rows)


def pinned(channel_id):
    """The channel's pinned posts that are not deleted, oldest first (the order
    Mattermost lists them in), as post_json dicts."""
    Post = models.Post
    return posts_json(Post.select().where((Post.channel_id == channel_id) & (Post.is_pinned == True)  # noqa: E712
                                          & (Post.delete_at == 0)).order_by(Post.create_at, Post.id))


# Writing posts

MESSAGE_MAX_RUNES = 16383          # Mattermost's maximum post size
PROPS_MAX_USER_RUNES = 400000      # props a client may send (Mattermost's PostPropsMaxUserRunes)
MAX_FILES_PER_POST = 10


class Options:
    """How a post is written. allow_channel_mentions: the sender may use
    @channel/@all/@here (the handler checks use_channel_mentions);
    thread_auto_follow and collapsed_threads mirror ServiceSettings;
    mark_viewed: the sender has read the channel up to their post (posts
    made by a user; not system messages or webhooks)."""

    def __init__(self, allow_channel_mentions=True, thread_auto_follow=True, collapsed_threads="always_on",
                 mark_viewed=True, max_notifications_per_channel=1000):
        self.allow_channel_mentions = allow_channel_mentions
        self.thread_auto_follow = thread_auto_follow
        self.collapsed_threads = collapsed_threads
        self.mark_viewed = mark_viewed
        self.max_notifications_per_channel = max_notifications_per_channel


class Created:
    """A saved post, whether it was a repeat of an earlier create (same
    pending_post_id), and the users it mentioned."""

    def __init__(self, post, repeated=False, mentioned=()):
        self.post = post
        self.repeated = repeated
        self.mentioned = list(mentioned)


def _millis():
    import time
    return int(time.time() * 1000)


def attachable_file_ids(file_ids, user_id, channel_id):
    """The ids among file_ids of files the user uploaded that are not attached
    to any post yet (in this channel, or uploaded without one), in order."""
    wanted = [f for f in dict.fromkeys(file_ids or []) if isinstance(f, str)]
    if not wanted:
        return []
    FileInfo = models.FileInfo
    ok = {row[0] for row in FileInfo.select(FileInfo.id).where(
        FileInfo.id.in_(wanted) & (FileInfo.creator_id == user_id) & (FileInfo.post_id == "")
        & (FileInfo.delete_at == 0) & ((FileInfo.channel_id == channel_id) | (FileInfo.channel_id == ""))).tuples()}
    return [f for f in wanted if f in ok]


def create(fields, channel, sender, options=None):
    """Save a post made by sender in channel and everything that follows from it
    in one transaction: attach its files, count it in the channel, in its
    thread, and in the mention counts of the members it mentions, and mark the
    channel read for the sender. fields: message, type, props, root_id,
    file_ids, create_at (0 for now), pending_post_id. The caller has checked
    permissions, the root post and sizes. Returns Created."""
    from store import channel_members, threads
    from store.db import transaction
    from store.ids import new_id
    from store.mentions import hashtags
    options = options or Options()
    pending = fields.get("pending_post_id") or ""
    with transaction():
        if pending:
            seen = models.PendingPost.get_or_none((models.PendingPost.user_id == sender.id)
                                                  & (models.PendingPost.pending_post_id == pending))
            if seen is not None:
                earlier = models.Post.get_or_none(models.Post.id == seen.post_id)
                if earlier is not None:
                    return Created(earlier, repeated=True)
        now = _millis()
        create_at = fields.get("create_at") or now
        root_id = fields.get("root_id") or ""
        message = fields.get("message") or ""
        file_ids = attachable_file_ids(fields.get("file_ids"), sender.id, channel.id)
        post = models.Post(
            id=new_id(), create_at=create_at, update_at=create_at, user_id=sender.id, channel_id=channel.id,
            root_id=root_id, message=message, type=fields.get("type") or "", props=fields.get("props") or {},
            hashtags=hashtags(message) if not (fields.get("type") or "").startswith("system_") else "",
            file_ids=json.dumps(file_ids))
        post.save(force_insert=True)
        if pending:
            with transaction():
                models.PendingPost.insert(user_id=sender.id, pending_post_id=pending, post_id=post.id,
                                          create_at=now).on_conflict_ignore().execute()
        if file_ids:
            models.FileInfo.update(post_id=post.id, channel_id=channel.id, update_at=now).where(
                models.FileInfo.id.in_(file_ids)).execute()
        Channel = models.Channel
        counts = {"last_post_at": peewee.Case(None, [(Channel.last_post_at < create_at, create_at)],
                                              Channel.last_post_at),
                  "total_msg_count": Channel.total_msg_count + 1}
        if not root_id:
            counts["last_root_post_at"] = peewee.Case(None, [(Channel.last_root_post_at < create_at, create_at)],
                                                      Channel.last_root_post_at)
            counts["total_msg_count_root"] = Channel.total_msg_count_root + 1
        Channel.update(**counts).where(Channel.id == channel.id).execute()
        root = None
        if root_id:
            root = models.Post.get_or_none(models.Post.id == root_id)
            models.Post.update(update_at=create_at).where(models.Post.id == root_id).execute()
            threads.on_reply(root, post, channel.team_id)
        mentioned = _apply_mentions(post, channel, root, options)
        if options.mark_viewed:
            channel_members.view([channel.id], sender.id)
            if root_id:
                threads.maintain_membership(sender.id, root_id, following=True, update_viewed=True,
                                            viewed_at=create_at)
    return Created(post, mentioned=mentioned)


def channel_profiles(channel_id):
    """{user id: (user, member notify props)} for the channel's active members."""
    CM = models.ChannelMember
    props = dict(CM.select(CM.user_id, CM.notify_props).where(CM.channel_id == channel_id).tuples())
    if not props:
        return {}
    users = models.User.select().where(models.User.id.in_(list(props)) & (models.User.delete_at == 0))
    return {user.id: (user, models.JSONField().python_value(props[user.id]) if isinstance(props[user.id], str)
                      else props[user.id] or {}) for user in users}


def _apply_mentions(post, channel, root, options):
    """Count the post's mentions in the members' unread mentions and keep the
    thread's followers, as Mattermost's SendNotifications does. Returns the
    mentioned user ids."""
    from store import mentions, threads
    if channel.delete_at:
        return []
    profiles = channel_profiles(channel.id)
    mentioned = {}   # user id -> kind: "explicit", "thread" (replied-to thread) or "dm"
    keywords = None
    if channel.type == "D":
        for user_id in channel.name.split("__"):
            if user_id in profiles and (user_id != post.user_id or post.props.get("from_webhook") == "true"):
                mentioned[user_id] = "dm"
    else:
        allow = (options.allow_channel_mentions and post.type not in ("system_header_change", "system_purpose_change")
                 and len(profiles) < options.max_notifications_per_channel)
        online = set()
        if allow:
            online = {row[0] for row in models.Status.select(models.Status.user_id).where(
                models.Status.user_id.in_(list(profiles)) & (models.Status.status == "online")).tuples()}
        keywords = mentions.Keywords()
        for user_id, (user, member_props) in profiles.items():
            keywords.add_member(user, member_props, user_id in online, allow)
        for user_id in mentions.explicit(mentions.texts_of(post.message, post.props), keywords).user_ids:
            mentioned[user_id] = "explicit"
        if channel.type == "G":
            for user_id in profiles:
                mentioned.setdefault(user_id, "gm")
        added = (post.props or {}).get("addedUserId")
        if post.type == "system_add_to_channel" and isinstance(added, str) and added in profiles:
            mentioned[added] = "explicit"
        if root is not None and options.collapsed_threads == "disabled":
            # Without collapsed threads, users who asked for it hear of replies
            # to threads they started or took part in.
            thread_authors = {root.user_id: True}
            Post = models.Post
            for (author,) in Post.select(Post.user_id).where((Post.root_id == root.id) & (Post.delete_at == 0)).tuples():
                thread_authors.setdefault(author, False)
            for author, is_root in thread_authors.items():
                if author not in profiles:
                    continue
                setting = (profiles[author][0].notify_props or {}).get("comments", "never")
                if setting == "any" or (setting == "root" and is_root):
                    mentioned.setdefault(author, "thread")
        if post.props.get("from_webhook") != "true":
            mentioned.pop(post.user_id, None)
    counted = [u for u in mentioned]
    if counted:
        CM = models.ChannelMember
        changes = {"mention_count": CM.mention_count + 1}
        if not post.root_id:
            changes["mention_count_root"] = CM.mention_count_root + 1
        CM.update(**changes).where((CM.channel_id == channel.id) & CM.user_id.in_(counted)).execute()
    if root is not None and options.thread_auto_follow:
        participants = {post.user_id}
        if root.user_id in profiles and root.props.get("from_webhook") != "true":
            participants.add(root.user_id)
        if keywords is not None:
            participants |= mentions.explicit(mentions.texts_of(root.message, root.props), keywords).user_ids
        participants |= set(mentioned)
        if channel.type != "D":
            already = set(threads.followers(root.id))
            for user_id, (_, member_props) in profiles.items():
                if member_props.get("channel_auto_follow_threads") == "on" and user_id not in already:
                    participants.add(user_id)
        for user_id in participants:
            if user_id not in profiles and user_id != post.user_id:
                continue
            kind = mentioned.get(user_id)
            if kind is None:
                membership = threads.get_membership(root.id, user_id)
                if membership is not None and not membership.following:
                    continue
            passive = kind == "thread"
            threads.maintain_membership(user_id, root.id, following=True, update_following=not passive,
                                        increment_mentions=kind is not None and not passive)
    return sorted(mentioned)


def edit(post, message=None, props=None, file_ids=None, is_pinned=None, has_reactions=None):
    """Change a post. A new message or new files keep the old version as an
    edit-history row (a deleted copy whose original_id is the post) and set
    edit_at, as Mattermost's UpdatePost.
    Returns the post as saved."""
    from store.db import transaction
    from store.ids import new_id
    from store.mentions import hashtags
    now = _millis()
    with transaction():
        changes = {"update_at": now}
        new_message = message is not None and message != post.message
        new_files = file_ids is not None and list(file_ids) != _id_list(post.file_ids)
        if new_message or new_files:
            history = models.Post(**{f: getattr(post, f) for f in post._meta.fields})
            history.id, history.original_id = new_id(), post.id
            history.delete_at = history.update_at = now
            history.save(force_insert=True)
            changes["edit_at"] = now
        if new_message:
            changes.update(message=message, hashtags=hashtags(message))
        if props is not None:
            changes["props"] = props
        if new_files:
            changes["file_ids"] = json.dumps(list(file_ids))
        if is_pinned is not None:
            changes["is_pinned"] = bool(is_pinned)
        if has_reactions is not None:
            changes["has_reactions"] = bool(has_reactions)
        models.Post.update(**changes).where(models.Post.id == post.id).execute()
        return models.Post.get(models.Post.id == post.id)


def delete(post, deleted_by):
    """Soft-delete a post; a root post takes its replies with it. Their files
    are deleted too, and the thread counts follow."""
    from store import threads
    from store.db import transaction
    now = _millis()
    Post = models.Post
    with transaction():
        props = dict(post.props or {})
        props["deleteBy"] = deleted_by
        Post.update(delete_at=now, update_at=now, props=props).where(Post.id == post.id).execute()
        ids = [post.id]
        if not post.root_id:
            ids += [row[0] for row in Post.select(Post.id).where((Post.root_id == post.id) & (Post.delete_at == 0)).tuples()]
            Post.update(delete_at=now, update_at=now).where((Post.root_id == post.id) & (Post.delete_at == 0)).execute()
            threads.on_root_deleted(post.id, now)
        else:
            threads.recount(post.root_id)
        models.FileInfo.update(delete_at=now, update_at=now).where(
            models.FileInfo.post_id.in_(ids) & (models.FileInfo.delete_at == 0)).execute()
    return ids
