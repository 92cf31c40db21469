"""Posts: Mattermost's Post and PostList shapes, and the writes every post
goes through (create with its counts and mentions, edit with history,
delete with replies). The reads of the posts operations are in
store/post_queries.py."""
import json

import peewee

from store import models
from store.db import Lookup


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


def posts_json(posts, deleted_files=False, just_created=False):
    """Posts in Mattermost's shape with their thread counts and metadata: files,
    reactions, acknowledgements and the custom emoji the reactions use.
    Empty parts are left out, as Mattermost does. just_created: the posts
    were saved in this request, so they have no replies of their own, no
    acknowledgements and no files but those of their file_ids (those
    lookups are skipped)."""
    from store import file_infos, reactions
    posts = list(posts)
    ids = [p.id for p in posts]
    # As Mattermost: a post's files are looked up only when it names some.
    with_files = [p.id for p in posts if _id_list(p.file_ids)]
    if just_created:
        roots = [p.root_id for p in posts if p.root_id]
    else:
        roots = [p.root_id or p.id for p in posts]
    counts, last = thread_stats(roots)
    files = file_infos.for_posts(with_files, include_deleted=deleted_files) if with_files else {}
    reacts = reactions.for_posts([p.id for p in posts if p.has_reactions])
    acks = acknowledgements_for(ids) if not just_created else {}
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


_ACKS = Lookup(models.PostAcknowledgement, lambda a: models.PostAcknowledgement.select()
               .where(models.PostAcknowledgement.post_id.in_(a[0]))
               .order_by(models.PostAcknowledgement.acknowledged_at))


def acknowledgements_for(post_ids):
    """{post id: [acknowledgement dicts]} of the given posts."""
    if not post_ids:
        return {}
    found = {}
    for ack in _ACKS.all(sorted(set(post_ids))):
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


_THREAD_STATS = Lookup(models.Post, lambda a: models.Post.select(
    models.Post.root_id, peewee.fn.COUNT(models.Post.id), peewee.fn.MAX(models.Post.create_at))
    .where(models.Post.root_id.in_(a[0]) & (models.Post.delete_at == 0)).group_by(models.Post.root_id))


def thread_stats(root_ids):
    """({root id: replies not deleted}, {root id: create_at of the newest of
    them}) in one query: reply_counts and last_reply_times together."""
    if not root_ids:
        return {}, {}
    counts, last = {}, {}
    for root_id, count, newest in _THREAD_STATS.tuples(sorted(set(root_ids))):
        counts[root_id], last[root_id] = count, newest
    return counts, last


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
    file_ids, create_at (0 for now), pending_post_id, and optionally root
    (the root post's row, when the caller has read it). The caller has
    checked permissions, the root post and sizes. Returns Created."""
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
            root = fields.get("root")
            if root is None or root.id != root_id:
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


def _json_object(value):
    if isinstance(value, str):
        return models.JSONField().python_value(value)
    return value or {}


def channel_profiles(channel_id, user_ids=None):
    """{user id: (profile, member notify props)} for the channel's active
    members (only those among user_ids when given); a profile has the
    user's id, username, first_name and notify_props."""
    members = _ChannelMembers(channel_id)
    return dict(members.all() if user_ids is None else members.among(user_ids))


class _Profile:
    """What the mention rules read of a user (id, username, first name and
    notify props), without the rest of the row."""
    __slots__ = ("id", "username", "first_name", "notify_props")

    def __init__(self, user_id, username, first_name, notify_props):
        self.id, self.username, self.first_name, self.notify_props = user_id, username, first_name, notify_props


_MAX_LISTED = 500   # more names or ids than this: load every member instead


class _ChannelMembers:
    """A channel's active members as _apply_mentions needs them, loaded only
    as far as the post asks: {user id: (profile, member notify props)}.
    A query may load more members than asked for; every reader checks the
    rules on what it gets, so loading more never changes an answer."""

    def __init__(self, channel_id):
        self.channel_id = channel_id
        self.loaded = {}
        self.looked_up = set()   # user ids whose membership is known
        self.complete = False

    def _load(self, condition):
        CM, User = models.ChannelMember, models.User
        query = (User.select(User.id, User.username, User.first_name, User.notify_props, CM.notify_props)
                 .join(CM, on=(CM.user_id == User.id))
                 .where((CM.channel_id == self.channel_id) & (User.delete_at == 0)))
        if condition is not None:
            query = query.where(condition)
        found = {}
        for user_id, username, first_name, user_props, member_props in query.tuples():
            found[user_id] = (_Profile(user_id, username, first_name, _json_object(user_props)),
                              _json_object(member_props))
        self.loaded.update(found)
        self.looked_up.update(found)
        return found

    def all(self):
        if not self.complete:
            self._load(None)
            self.complete = True
        return self.loaded

    def load(self, condition=None, user_ids=()):
        """The members the condition selects (a superset is fine) and those
        among user_ids; everything when already complete."""
        user_ids = {u for u in user_ids if u and u not in self.looked_up}
        if self.complete:
            return self.loaded
        if len(user_ids) > _MAX_LISTED:
            return self.all()
        if user_ids:
            id_condition = models.User.id.in_(sorted(user_ids))
            condition = id_condition if condition is None else (condition | id_condition)
        if condition is None:
            return {}
        found = self._load(condition)
        self.looked_up.update(user_ids)
        return found

    def among(self, user_ids):
        """{user id: (profile, member props)} of the active members among user_ids."""
        user_ids = {u for u in user_ids if u}
        if not self.complete and user_ids - self.looked_up:
            self.load(user_ids=user_ids)
        return {u: self.loaded[u] for u in user_ids if u in self.loaded}

    def count(self):
        if self.complete:
            return len(self.loaded)
        CM, User = models.ChannelMember, models.User
        return (CM.select().join(User, on=(User.id == CM.user_id))
                .where((CM.channel_id == self.channel_id) & (User.delete_at == 0)).count())


def _contains(field, fragment):
    """field LIKE '%fragment%' with the wildcards in fragment escaped. LIKE,
    not ILIKE: case-sensitive (and several times cheaper) on PostgreSQL;
    SQLite's LIKE ignores ASCII case, which only widens the superset."""
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    # Spelled out: peewee turns its LIKE into GLOB on SQLite, which has no ESCAPE.
    return peewee.NodeList((field, peewee.SQL("LIKE"), peewee.Value("%" + escaped + "%", converter=False),
                            peewee.SQL("ESCAPE"), peewee.Value("\\", converter=False)), parens=True)


def _keyword_condition(usernames):
    """A condition true for every user whose keywords could match: a
    username among usernames, mention keys set, or first-name mentions on
    (a superset: the rules are checked on the rows). The cheapest test comes
    first: most users keep the empty default mention keys."""
    User = models.User
    props = User.notify_props
    # JSONField writes compact JSON; the spaced form is matched too.
    condition = ((~_contains(props, '"mention_keys":""') & _contains(props, '"mention_keys"'))
                 | ((User.first_name != "")
                    & (_contains(props, '"first_name":"true"') | _contains(props, '"first_name": "true"'))))
    if usernames:
        condition |= peewee.fn.LOWER(User.username).in_(usernames)
    return condition


def _auto_follow_condition():
    """Members whose channel settings make them follow every thread (a superset)."""
    props = models.ChannelMember.notify_props
    # Most members keep the default "off": one cheap test rules them out.
    return (~_contains(props, '"channel_auto_follow_threads":"off"')
            & (_contains(props, '"channel_auto_follow_threads":"on"')
               | _contains(props, '"channel_auto_follow_threads": "on"')))


def _apply_mentions(post, channel, root, options):
    """Count the post's mentions in the members' unread mentions and keep the
    thread's followers, as Mattermost's SendNotifications does. Returns the
    mentioned user ids. Only the members the message could concern are
    loaded: those whose username, mention keys or first name could be among
    its words, everyone only for @channel, @all and @here in a channel small
    enough for them."""
    from store import mentions, threads
    if channel.delete_at:
        return []
    members = _ChannelMembers(channel.id)
    mentioned = {}   # user id -> kind: "explicit", "thread" (replied-to thread) or "dm"
    keywords = None
    follow = root is not None and options.thread_auto_follow
    auto_followers_loaded = False
    root_texts = mentions.texts_of(root.message, root.props) if follow else []
    if channel.type == "D":
        names = channel.name.split("__")
        present = members.among(names)
        for user_id in names:
            if user_id in present and (user_id != post.user_id or post.props.get("from_webhook") == "true"):
                mentioned[user_id] = "dm"
    else:
        texts = mentions.texts_of(post.message, post.props)
        forms = mentions.lookup_forms(texts + root_texts)
        allow = (options.allow_channel_mentions and post.type not in ("system_header_change", "system_purpose_change")
                 and mentions.has_channel_wide(forms))
        if allow:
            # Without @channel, @all or @here among the words, the keywords
            # they would add match nothing.
            allow = members.count() < options.max_notifications_per_channel
        usernames = mentions.usernames_in(forms)
        if allow or channel.type == "G" or len(usernames) > _MAX_LISTED:
            candidates = members.all()
        else:
            condition = _keyword_condition(usernames)
            if follow:
                condition |= _auto_follow_condition()
                auto_followers_loaded = True
            wanted = [post.user_id, root.user_id] if root is not None else [post.user_id]
            candidates = members.load(condition, wanted)
        online = set()
        if allow:
            online = {row[0] for row in models.Status.select(models.Status.user_id).where(
                models.Status.user_id.in_(list(candidates)) & (models.Status.status == "online")).tuples()}
        keywords = mentions.Keywords()
        for user_id, (user, member_props) in candidates.items():
            keywords.add_member(user, member_props, user_id in online, allow)
        for user_id in mentions.explicit(texts, keywords).user_ids:
            mentioned[user_id] = "explicit"
        if channel.type == "G":
            for user_id in members.all():
                mentioned.setdefault(user_id, "gm")
        added = (post.props or {}).get("addedUserId")
        if post.type == "system_add_to_channel" and isinstance(added, str) and added in members.among([added]):
            mentioned[added] = "explicit"
        if root is not None and options.collapsed_threads == "disabled":
            # Without collapsed threads, users who asked for it hear of replies
            # to threads they started or took part in.
            thread_authors = {root.user_id: True}
            Post = models.Post
            for (author,) in Post.select(Post.user_id).where((Post.root_id == root.id) & (Post.delete_at == 0)).tuples():
                thread_authors.setdefault(author, False)
            present = members.among(thread_authors)
            for author, is_root in thread_authors.items():
                if author not in present:
                    continue
                setting = (present[author][0].notify_props or {}).get("comments", "never")
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
    if follow:
        participants = {post.user_id}
        if root.props.get("from_webhook") != "true":
            participants.add(root.user_id)
        if keywords is not None:
            participants |= mentions.explicit(root_texts, keywords).user_ids
        participants |= set(mentioned)
        if channel.type != "D":
            already = set(threads.followers(root.id))
            if members.complete or auto_followers_loaded:
                auto = members.loaded
            else:
                auto = members.load(_auto_follow_condition())
            for user_id, (_, member_props) in list(auto.items()):
                if member_props.get("channel_auto_follow_threads") == "on" and user_id not in already:
                    participants.add(user_id)
        present = members.among(participants)
        participants = [u for u in participants if u in present or u == post.user_id]
        TM = models.ThreadMembership
        memberships = {m.user_id: m for m in TM.select().where(
            (TM.post_id == root.id) & TM.user_id.in_(participants))} if participants else {}
        for user_id in participants:
            kind = mentioned.get(user_id)
            if kind is None:
                membership = memberships.get(user_id)
                if membership is not None:
                    # Not following: left alone; following: nothing to change.
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
    from store import channel_members
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
        if is_pinned is not None:
            channel_members.pinned_changed([post.channel_id])
        return models.Post.get(models.Post.id == post.id)


def delete(post, deleted_by):
    """Soft-delete a post; a root post takes its replies with it. Their files
    are deleted too, and the thread counts follow."""
    from store import channel_members, threads
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
        channel_members.pinned_changed([post.channel_id])   # the post or a reply may have been pinned
    return ids
