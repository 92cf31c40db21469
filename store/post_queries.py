"""The reads of the posts operations: a channel's pages of posts (by page,
since a time, before or after a post), threads, posts by id, flagged posts
and the ids around a time that PostList cursors name. Every function returns
Post rows; the handlers turn them into Mattermost's shapes with
store.posts.posts_json / post_list_json.

A page of a channel (without collapsed threads) brings along the threads of
the replies on it: their root posts and, unless skip_threads, every other
reply of those threads, as Mattermost's GetPosts does. Those extras go in the
PostList's posts, not in its order."""
import peewee

from store import models
from store.db import Lookup

Post = models.Post

SINCE_LIMIT = 1000      # Mattermost's cap on the posts changed since a time


def get(post_id, include_deleted=False):
    """A post by id (deleted ones only when asked), or None."""
    query = Post.id == post_id
    if not include_deleted:
        query &= Post.delete_at == 0
    return Post.get_or_none(query)


def by_ids(post_ids):
    """The posts with these ids (deleted ones too, as Mattermost's
    GetPostsByIds answers them), newest first."""
    ids = list(dict.fromkeys(i for i in post_ids if isinstance(i, str)))
    if not ids:
        return []
    return list(Post.select().where(Post.id.in_(ids)).order_by(Post.create_at.desc(), Post.id.desc()))


def _thread_extras(channel_id, posts, skip_threads, include_deleted):
    """The root posts of the replies among posts and, unless skip_threads,
    the other replies of those threads (oldest first)."""
    roots = list(dict.fromkeys(p.root_id for p in posts if p.root_id))
    if not roots:
        return []
    condition = Post.id.in_(roots)
    if not skip_threads:
        condition |= Post.root_id.in_(roots)
    query = Post.select().where(condition & (Post.channel_id == channel_id))
    if not include_deleted:
        query = query.where(Post.delete_at == 0)
    return list(query.order_by(Post.create_at, Post.id))


_PAGES = {}


def _page_lookup(live, roots_only):
    """The compiled page query (every channel switch reads one)."""
    lookup = _PAGES.get((live, roots_only))
    if lookup is None:
        def build(a):
            query = Post.select().where(Post.channel_id == a[0])
            if live:
                query = query.where(Post.delete_at == 0)
            if roots_only:
                query = query.where(Post.root_id == "")
            return query.order_by(Post.create_at.desc(), Post.id.desc()).offset(a[1]).limit(a[2])
        lookup = _PAGES[(live, roots_only)] = Lookup(Post, build)
    return lookup


def channel_page(channel_id, offset, limit, include_deleted=False, collapsed=False, skip_threads=False):
    """(ordered, extras): a page of the channel's posts, newest first (root
    posts only with collapsed threads), and the thread posts that come with
    the replies on it."""
    ordered = _page_lookup(not include_deleted or collapsed, collapsed).all(channel_id, int(offset), int(limit))
    if collapsed:
        return ordered, []
    return ordered, _thread_extras(channel_id, ordered, skip_threads, include_deleted)


def _since(channel_id, since, collapsed):
    query = Post.select().where((Post.channel_id == channel_id) & (Post.update_at > since))
    if collapsed:
        query = query.where((Post.delete_at == 0) & (Post.root_id == ""))
    return query.order_by(Post.create_at.desc(), Post.id.desc()).limit(SINCE_LIMIT)


def _around_post(channel_id, post_id, before, live, roots_only, offset, limit):
    anchor = Post.select(Post.create_at).where(Post.id == post_id)
    query = Post.select().where(Post.channel_id == channel_id)
    query = query.where(Post.create_at < anchor if before else Post.create_at > anchor)
    if live:
        query = query.where(Post.delete_at == 0)
    if roots_only:
        query = query.where(Post.root_id == "")
    order = (Post.create_at.desc(), Post.id.desc()) if before else (Post.create_at, Post.id)
    return query.order_by(*order).offset(offset).limit(limit)


# Compiled reads of the post lists clients ask for most (changes since a time,
# pages before or after a post), by their flags.
_SINCE = {c: Lookup(Post, lambda a, c=c: _since(a[0], a[1], c)) for c in (False, True)}
_AROUND_POST = {(b, live, c): Lookup(Post, lambda a, b=b, live=live, c=c: _around_post(a[0], a[1], b, live, c,
                                                                                   a[2], a[3]))
                for b in (False, True) for live in (False, True) for c in (False, True)}


def channel_since(channel_id, since, collapsed=False):
    """(ordered, extras): the channel's posts changed after since (deleted
    ones too, so clients learn of deletions; with collapsed threads only root
    posts not deleted), newest first, with the root posts of the replies
    among them."""
    changed = _SINCE[bool(collapsed)].all(channel_id, int(since))
    if collapsed:
        return changed, []
    have = {p.id for p in changed}
    roots = [r for r in dict.fromkeys(p.root_id for p in changed if p.root_id) if r not in have]
    extras = list(Post.select().where(Post.id.in_(roots))) if roots else []
    return changed, extras


def channel_around(channel_id, post_id, before, offset, limit, include_deleted=False, collapsed=False,
                   skip_threads=False):
    """(ordered, extras): the channel's posts created before (or after) the
    given post, newest first either way, a page of limit from offset counted
    away from that post; and their threads as channel_page brings them."""
    found = _AROUND_POST[(bool(before), not include_deleted or bool(collapsed), bool(collapsed))].all(
        channel_id, post_id, int(offset), int(limit))
    if not before:
        found.reverse()
    if collapsed:
        return found, []
    if not found:
        return found, []
    # Mattermost fetches the threads of the page's root posts as well as of its replies.
    roots = list(dict.fromkeys([p.id for p in found if not p.root_id] + [p.root_id for p in found if p.root_id]))
    condition = Post.id.in_(roots)
    if not skip_threads:
        condition |= Post.root_id.in_(roots)
    extra_query = Post.select().where(condition & (Post.channel_id == channel_id))
    if not include_deleted:
        extra_query = extra_query.where(Post.delete_at == 0)
    return found, list(extra_query.order_by(Post.create_at.desc(), Post.id.desc()))


def _around_time(query, channel_id, time, before, collapsed):
    query = query.where((Post.channel_id == channel_id) & (Post.delete_at == 0))
    if collapsed:
        query = query.where(Post.root_id == "")
    if before:
        query = query.where(Post.create_at < time).order_by(Post.create_at.desc(), Post.id.desc())
    else:
        query = query.where(Post.create_at > time).order_by(Post.create_at, Post.id)
    return query.limit(1)


# (before, collapsed) -> the compiled read of the post, and of its id
_AROUND = {(b, c): Lookup(Post, lambda a, b=b, c=c: _around_time(Post.select(), a[0], a[1], b, c))
           for b in (False, True) for c in (False, True)}
_ID_AROUND = {(b, c): Lookup(Post, lambda a, b=b, c=c: _around_time(Post.select(Post.id), a[0], a[1], b, c))
              for b in (False, True) for c in (False, True)}


def _last_update(channel_id, collapsed):
    query = Post.select(peewee.fn.MAX(Post.update_at)).where(Post.channel_id == channel_id)
    return query.where(Post.root_id == "") if collapsed else query


_LAST_UPDATE = {c: Lookup(Post, lambda a, c=c: _last_update(a[0], c)) for c in (False, True)}


def post_id_around_time(channel_id, time, before, collapsed=False):
    """The id of the channel's first post (not deleted) created after time,
    or the last one created before it; "" if none."""
    rows = _ID_AROUND[(bool(before), bool(collapsed))].tuples(channel_id, int(time))
    return rows[0][0] if rows else ""


def post_around_time(channel_id, time, before, collapsed=False):
    """The post post_id_around_time names, or None."""
    return _AROUND[(bool(before), bool(collapsed))].first(channel_id, int(time))


def channel_last_update(channel_id, collapsed=False):
    """The latest update time of the channel's posts (root posts only with
    collapsed threads), deleted ones included; None when it has none."""
    rows = _LAST_UPDATE[bool(collapsed)].tuples(channel_id)
    return rows[0][0] if rows else None


def thread(post, collapsed=False, direction="", from_create_at=0, from_post="", from_update_at=0, per_page=0,
           skip_threads=False):
    """(others, has_next): the other posts of the post's thread (the root and
    its replies, not deleted; with collapsed threads only the replies of the
    post itself), filtered and paged as Mattermost's thread read does:
    direction "up" is newest first, "down" oldest first; from_create_at (with
    from_post to break ties) starts after that point in the direction;
    per_page 0 means all."""
    if skip_threads and not collapsed:
        return [], False
    root = post.id if collapsed else (post.root_id or post.id)
    condition = Post.root_id == root
    if not collapsed:
        condition |= Post.id == root
    query = Post.select().where(condition & (Post.delete_at == 0) & (Post.id != post.id))
    down = direction == "down"
    if from_create_at:
        if down:
            step = Post.create_at > from_create_at
            if from_post:
                step |= (Post.create_at == from_create_at) & (Post.id > from_post)
        else:
            step = Post.create_at < from_create_at
            if from_post:
                step |= (Post.create_at == from_create_at) & (Post.id < from_post)
        query = query.where(step)
    elif from_update_at:
        query = query.where(Post.update_at > from_update_at if direction != "up" else Post.update_at < from_update_at)
    if from_update_at and not from_create_at:
        key = Post.update_at
    else:
        key = Post.create_at
    if down:
        query = query.order_by(key, Post.id)
    else:
        query = query.order_by(key.desc(), Post.id.desc())
    if per_page:
        query = query.limit(per_page + 1)
    found = list(query)
    has_next = bool(per_page) and len(found) > per_page
    return found[:per_page] if has_next else found, has_next


def flagged(user_id, channel_id="", team_id="", offset=0, limit=60):
    """The user's flagged posts (preferences of category flagged_post), not
    deleted, in channels the user is a member of; channel_id keeps one
    channel, team_id one team and the direct and group messages (as
    Mattermost's filter does). Newest first."""
    Pref, Channel, Member = models.Preference, models.Channel, models.ChannelMember
    flagged_ids = Pref.select(Pref.name).where((Pref.user_id == user_id) & (Pref.category == "flagged_post"))
    member_of = Member.select(Member.channel_id).where(Member.user_id == user_id)
    query = (Post.select(Post).join(Channel, on=(Channel.id == Post.channel_id))
             .where(Post.id.in_(flagged_ids) & (Post.delete_at == 0) & Post.channel_id.in_(member_of)))
    if channel_id:
        query = query.where(Post.channel_id == channel_id)
    if team_id:
        query = query.where((Channel.team_id == team_id) | (Channel.team_id == ""))
    return list(query.order_by(Post.create_at.desc(), Post.id.desc()).offset(offset).limit(limit))


def channel_pages(channel_id):
    """The channel's wiki pages (posts of type "page"), newest first."""
    Post = models.Post
    return list(Post.select().where((Post.channel_id == channel_id) & (Post.type == "page")
                                    & (Post.delete_at == 0)).order_by(Post.create_at.desc()))



def thread_memberships(root_id, user_ids):
    """{user id: ThreadMembership} of these users in the thread of root_id."""
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return {}
    TM = models.ThreadMembership
    return {m.user_id: m for m in TM.select().where((TM.post_id == root_id) & TM.user_id.in_(user_ids))}


def unread_replies_by_user(root_id, user_ids):
    """{user id: replies of the thread (not deleted) created after the user
    last viewed it} for those of user_ids with a thread membership (users
    with no unread reply are left out)."""
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return {}
    TM = models.ThreadMembership
    query = (Post.select(TM.user_id, peewee.fn.COUNT(Post.id))
             .join(TM, on=((TM.post_id == Post.root_id) & TM.user_id.in_(user_ids)))
             .where((Post.root_id == root_id) & (Post.create_at > TM.last_viewed) & (Post.delete_at == 0))
             .group_by(TM.user_id))
    return dict(query.tuples())
