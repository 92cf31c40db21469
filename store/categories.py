"""Sidebar categories: how each user arranges a team's channels in the sidebar.

Every member of a team has, in that team, three default categories, made the
first time they are needed (ensure_defaults), with deterministic ids
"<type>_<user id>_<team id>" so that two requests racing to make them cannot
make two of each: favorites ("Favorites", sort order 0), channels ("Channels",
10) and direct_messages ("Direct Messages", 20, sorted by recency); plus the
custom categories they create.

A category's channels are the ones placed in it explicitly (SidebarChannel rows,
in sort order) that the user is still a member of. The channels category also
holds, first and by display name, every public or private channel of the team
the user belongs to that sits in no category of theirs in that team, and the
direct_messages category every direct and group message likewise (in every
team). Archived channels are never added that way; placed ones stay.

Category rows of a team the user is not (or no longer) a member of, or of a
deleted team, are treated as absent.
"""
import re
import time

from store import models
from store.db import objects, transaction
from store.ids import is_valid_id, new_id

FAVORITES, CHANNELS, DIRECT_MESSAGES, CUSTOM = "favorites", "channels", "direct_messages", "custom"
SORT_DISTANCE = 10  # between neighbours, as Mattermost spaces them
# (type, display name, sort order, sorting) of the default categories.
DEFAULTS = ((FAVORITES, "Favorites", 0, ""), (CHANNELS, "Channels", 10, ""),
            (DIRECT_MESSAGES, "Direct Messages", 20, "recent"))
SORTINGS = ("", "manual", "recent", "alpha")
FAVORITE_PREFERENCE = "favorite_channel"

# Mattermost's pattern for default category ids; it looks for it anywhere in the
# value (an unanchored match), and so does is_valid_category_id.
_DEFAULT_ID = re.compile(r"(favorites|channels|direct_messages)_[a-z0-9]{26}_[a-z0-9]{26}")
_Cat, _Chan = models.SidebarCategory, models.SidebarChannel


class NotFound(Exception):
    """The user has no categories in that team."""


class Invalid(Exception):
    """The request does not fit the user's categories."""


def _millis():
    return int(time.time() * 1000)


def is_valid_category_id(value):
    """A plain id, or a default category's "<type>_<user id>_<team id>"."""
    return isinstance(value, str) and (is_valid_id(value) or _DEFAULT_ID.search(value) is not None)


def default_id(kind, user_id, team_id):
    return "%s_%s_%s" % (kind, user_id, team_id)


def is_team_member(user_id, team_id):
    """True if the user is a current member of the team and the team is not deleted."""
    return (models.TeamMember.select(models.TeamMember.user_id)
            .join(models.Team, on=(models.Team.id == models.TeamMember.team_id))
            .where((models.TeamMember.team_id == team_id) & (models.TeamMember.user_id == user_id)
                   & (models.TeamMember.delete_at == 0) & (models.Team.delete_at == 0))
            .exists())


def ensure_defaults(user_id, team_id):
    """Make the user's default categories in the team if they are missing (and
    put the channels they marked favourite in Favorites). Returns False, making
    nothing, when the user is not a member of the team."""
    if not is_team_member(user_id, team_id):
        return False
    wanted = {default_id(kind, user_id, team_id): (kind, name, order, sorting)
              for kind, name, order, sorting in DEFAULTS}
    have = {c.id for c in _Cat.select(_Cat.id).where(_Cat.id.in_(list(wanted)))}
    missing = [i for i in wanted if i not in have]
    if not missing:
        return True
    with transaction():
        rows = [{"id": i, "user_id": user_id, "team_id": team_id, "sort_order": wanted[i][2],
                 "sorting": wanted[i][3], "type": wanted[i][0], "display_name": wanted[i][1],
                 "muted": False, "collapsed": False} for i in missing]
        _Cat.insert_many(rows).on_conflict_ignore().execute()
        favorites_id = default_id(FAVORITES, user_id, team_id)
        if favorites_id in missing:
            _place_favorites(user_id, team_id, favorites_id)
    return True


def _place_favorites(user_id, team_id, favorites_id):
    """Put the channels of the team (and direct and group messages) the user
    marked favourite (favorite_channel preferences) in the Favorites category."""
    C, M, P = models.Channel, models.ChannelMember, models.Preference
    query = (C.select(C.id).join(M, on=(M.channel_id == C.id))
             .join(P, on=((P.name == C.id) & (P.user_id == M.user_id)))
             .where((M.user_id == user_id) & (P.category == FAVORITE_PREFERENCE) & (P.value == "true")
                    & ((C.team_id == team_id) | (C.team_id == "")))
             .order_by(C.display_name, C.name))
    rows = [{"channel_id": c.id, "user_id": user_id, "category_id": favorites_id, "sort_order": i * SORT_DISTANCE}
            for i, c in enumerate(query)]
    if rows:
        _Chan.insert_many(rows).on_conflict_ignore().execute()


def _categories(user_id, team_id):
    """The user's category rows in the team, in sidebar order (none unless a member)."""
    if not is_team_member(user_id, team_id):
        return []
    return objects(_Cat.select().where((_Cat.user_id == user_id) & (_Cat.team_id == team_id))
                   .order_by(_Cat.sort_order, _Cat.id))


def member_channels(user_id, team_id):
    """{id: Channel} of the channels a category of the user in the team may
    hold: the team's public and private channels and every direct and group
    message the user is a member of, archived ones included."""
    C, M = models.Channel, models.ChannelMember
    query = (C.select(C.id, C.type, C.team_id, C.delete_at, C.display_name, C.name)
             .join(M, on=(M.channel_id == C.id))
             .where((M.user_id == user_id)
                    & (((C.team_id == team_id) & C.type.in_(("O", "P"))) | C.type.in_(("D", "G")))))
    return {c.id: c for c in objects(query)}


def _populate(user_id, team_id, categories):
    """{category id: [channel ids]} for the user's categories in the team."""
    members = member_channels(user_id, team_id)
    result = {c.id: [] for c in categories}
    placed = set()
    if categories:
        rows = (_Chan.select(_Chan.channel_id, _Chan.category_id)
                .where((_Chan.user_id == user_id) & _Chan.category_id.in_(list(result)))
                .order_by(_Chan.sort_order, _Chan.channel_id))
        for row in objects(rows):
            if row.channel_id in members and row.channel_id not in result[row.category_id]:
                result[row.category_id].append(row.channel_id)
                placed.add(row.channel_id)
    loose = sorted((c for c in members.values() if c.id not in placed and c.delete_at == 0),
                   key=lambda c: (c.display_name.lower(), c.name, c.id))
    for category in categories:
        if category.type == CHANNELS:
            result[category.id] = [c.id for c in loose if c.type in ("O", "P")] + result[category.id]
        elif category.type == DIRECT_MESSAGES:
            result[category.id] = [c.id for c in loose if c.type in ("D", "G")] + result[category.id]
    return result


def category_json(category, channel_ids):
    return {
        "id": category.id, "user_id": category.user_id, "team_id": category.team_id,
        "sort_order": category.sort_order, "sorting": category.sorting, "type": category.type,
        "display_name": category.display_name, "muted": category.muted, "collapsed": category.collapsed,
        "channel_ids": list(channel_ids),
    }


def get_all(user_id, team_id):
    """{"categories", "order"}: the user's categories in the team, made first if needed."""
    ensure_defaults(user_id, team_id)
    categories = _categories(user_id, team_id)
    channels = _populate(user_id, team_id, categories)
    return {"categories": [category_json(c, channels[c.id]) for c in categories],
            "order": [c.id for c in categories]}


def get_order(user_id, team_id):
    ensure_defaults(user_id, team_id)
    return [c.id for c in _categories(user_id, team_id)]


def get_row(category_id):
    """The category row, whoever's it is (None if there is none)."""
    return _Cat.get_or_none(_Cat.id == category_id)


def get_one(user_id, team_id, category_id):
    """One category of the user in the team with its channels, or None."""
    category = next((c for c in _categories(user_id, team_id) if c.id == category_id), None)
    if category is None:
        return None
    return category_json(category, _populate(user_id, team_id, [category])[category.id])


def _renumber(order):
    for i, category_id in enumerate(order):
        _Cat.update(sort_order=i * SORT_DISTANCE).where(_Cat.id == category_id).execute()


def _place(user_id, category_ids_of_team, category_id, channel_ids):
    """Make channel_ids the explicit channels of category_id, in order, taking
    them out of the user's other categories of the team."""
    _Chan.delete().where(_Chan.category_id == category_id).execute()
    if channel_ids:
        _Chan.delete().where((_Chan.user_id == user_id) & _Chan.channel_id.in_(channel_ids)
                             & _Chan.category_id.in_(category_ids_of_team)).execute()
        _Chan.insert_many([{"channel_id": c, "user_id": user_id, "category_id": category_id,
                            "sort_order": i * SORT_DISTANCE} for i, c in enumerate(channel_ids)]).execute()


def _unfavorite(user_id, channel_ids):
    P = models.Preference
    if channel_ids:
        P.delete().where((P.user_id == user_id) & (P.category == FAVORITE_PREFERENCE)
                         & P.name.in_(list(channel_ids))).execute()


def _favorite(user_id, channel_ids):
    _unfavorite(user_id, channel_ids)
    if channel_ids:
        models.Preference.insert_many([{"user_id": user_id, "category": FAVORITE_PREFERENCE, "name": c,
                                        "value": "true"} for c in channel_ids]).execute()


def set_channels_muted(user_id, channel_ids, muted):
    """Mute (notify_props mark_unread "mention") or unmute ("all") the user's
    memberships of these channels."""
    if not channel_ids:
        return
    M = models.ChannelMember
    value = "mention" if muted else "all"
    now = _millis()
    for member in M.select().where((M.user_id == user_id) & M.channel_id.in_(list(channel_ids))):
        props = dict(member.notify_props or {})
        if props.get("mark_unread") == value:
            continue
        props["mark_unread"] = value
        M.update(notify_props=props, last_update_at=now).where(
            (M.user_id == user_id) & (M.channel_id == member.channel_id)).execute()


def _dedupe(channel_ids):
    seen = []
    for channel_id in channel_ids:
        if channel_id not in seen:
            seen.append(channel_id)
    return seen


def create_custom(user_id, team_id, display_name, sorting="", muted=False, channel_ids=()):
    """A new custom category, placed after Favorites when Favorites comes
    first (else first), holding channel_ids (taken out of their categories).
    Raises NotFound when the user has no categories in the team."""
    channel_ids = _dedupe(channel_ids)
    ensure_defaults(user_id, team_id)
    with transaction():
        categories = _categories(user_id, team_id)
        if not categories:
            raise NotFound()
        category_id = new_id()
        order = [c.id for c in categories]
        position = 1 if categories[0].type == FAVORITES else 0
        order.insert(position, category_id)
        _Cat.insert(id=category_id, user_id=user_id, team_id=team_id, sort_order=len(order) * SORT_DISTANCE,
                    sorting=sorting, type=CUSTOM, display_name=display_name, muted=bool(muted),
                    collapsed=False).execute()
        _place(user_id, order, category_id, channel_ids)
        _unfavorite(user_id, channel_ids)
        _renumber(order)
        if muted:
            set_channels_muted(user_id, channel_ids, True)
        category = get_row(category_id)
    return category_json(category, channel_ids)


def update(user_id, team_id, changes):
    """Apply changes (dicts with "id" and any of display_name, sorting, muted,
    collapsed, channel_ids) to the user's categories in the team, as Mattermost
    allows: only custom categories are renamed; the direct messages category
    keeps its channels and is never muted. Channels moved into a category leave
    their previous one; muting a category mutes its channels, and a channel
    moved between a muted and an unmuted category follows its new category.
    Returns the changed categories with their channels, in request order.
    Raises Invalid when an id is not one of the user's categories in the team."""
    with transaction():
        categories = {c.id: c for c in _categories(user_id, team_id)}
        for change in changes:
            if change["id"] not in categories:
                raise Invalid(change["id"])
        order = list(categories)
        before = _populate(user_id, team_id, list(categories.values()))
        was_muted = {c.id: c.muted for c in categories.values()}
        for change in changes:
            category = categories[change["id"]]
            fields = {}
            if category.type == CUSTOM and "display_name" in change:
                fields["display_name"] = change["display_name"]
            for name in ("sorting", "collapsed"):
                if name in change:
                    fields[name] = change[name]
            if category.type != DIRECT_MESSAGES and "muted" in change:
                fields["muted"] = bool(change["muted"])
            if fields:
                _Cat.update(fields).where(_Cat.id == category.id).execute()
                for name, value in fields.items():
                    setattr(category, name, value)
            if category.type != DIRECT_MESSAGES and "channel_ids" in change:
                channel_ids = _dedupe(change["channel_ids"])
                _place(user_id, order, category.id, channel_ids)
                if category.type == FAVORITES:
                    _unfavorite(user_id, before[category.id])
                    _favorite(user_id, channel_ids)
                else:
                    _unfavorite(user_id, channel_ids)
        after = _populate(user_id, team_id, list(categories.values()))
        _follow_mute(user_id, categories, before, after, was_muted, {c["id"] for c in changes})
    return [category_json(categories[c["id"]], after[c["id"]]) for c in changes]


def _follow_mute(user_id, categories, before, after, was_muted, changed_ids):
    mute, unmute = set(), set()
    for category_id in changed_ids:
        category = categories[category_id]
        if category.muted and not was_muted[category_id]:
            mute.update(after[category_id])
        elif not category.muted and was_muted[category_id]:
            unmute.update(after[category_id])
    old_home = {ch: cid for cid, chs in before.items() for ch in chs}
    for category_id, channel_ids in after.items():
        for channel_id in channel_ids:
            old = old_home.get(channel_id)
            if old is None or old == category_id:
                continue
            if categories[category_id].muted and not was_muted[old]:
                mute.add(channel_id)
            elif not categories[category_id].muted and was_muted[old]:
                unmute.add(channel_id)
    set_channels_muted(user_id, unmute - mute, False)
    set_channels_muted(user_id, mute, True)


def update_order(user_id, team_id, order):
    """Reorder the user's categories in the team; order must name each of them
    once. Raises Invalid otherwise."""
    with transaction():
        existing = [c.id for c in _categories(user_id, team_id)]
        if len(order) != len(existing) or set(order) != set(existing):
            raise Invalid(order)
        _renumber(order)
    return list(order)


def delete_custom(category_id):
    """Delete a custom category; its channels go back to the channels and
    direct messages categories. Raises Invalid for a default category."""
    with transaction():
        category = get_row(category_id)
        if category is None or category.type != CUSTOM:
            raise Invalid(category_id)
        _Cat.delete().where(_Cat.id == category_id).execute()
        _Chan.delete().where(_Chan.category_id == category_id).execute()


def clear_for_team(user_id, team_id):
    """Forget the user's categories in the team (call when they leave it, as
    Mattermost does; they get fresh defaults if they come back)."""
    with transaction():
        ids = _Cat.select(_Cat.id).where((_Cat.user_id == user_id) & (_Cat.team_id == team_id))
        _Chan.delete().where((_Chan.user_id == user_id) & _Chan.category_id.in_(ids)).execute()
        _Cat.delete().where((_Cat.user_id == user_id) & (_Cat.team_id == team_id)).execute()


def favorite_changed(user_id, channel_id, favorite):
    """Keep the Favorites categories in step with a favorite_channel preference
    set (favorite=True: the channel goes first in Favorites of its team, or of
    every team for a direct or group message) or removed."""
    with transaction():
        favorites = _Cat.select(_Cat.id).where((_Cat.user_id == user_id) & (_Cat.type == FAVORITES))
        if not favorite:
            _Chan.delete().where((_Chan.user_id == user_id) & (_Chan.channel_id == channel_id)
                                 & _Chan.category_id.in_(favorites)).execute()
            return
        channel = models.Channel.get_or_none(models.Channel.id == channel_id)
        if channel is None:
            return
        query = _Cat.select().where((_Cat.user_id == user_id) & (_Cat.type == FAVORITES))
        if channel.team_id:
            query = query.where(_Cat.team_id == channel.team_id)
        for category in query:
            ids = _Cat.select(_Cat.id).where((_Cat.user_id == user_id) & (_Cat.team_id == category.team_id))
            if _Chan.select().where((_Chan.category_id == category.id) & (_Chan.channel_id == channel_id)).exists():
                continue
            first = (_Chan.select(_Chan.sort_order).where(_Chan.category_id == category.id)
                     .order_by(_Chan.sort_order).first())
            _Chan.delete().where((_Chan.user_id == user_id) & (_Chan.channel_id == channel_id)
                                 & _Chan.category_id.in_(ids)).execute()
            _Chan.insert(channel_id=channel_id, user_id=user_id, category_id=category.id,
                         sort_order=(first.sort_order - SORT_DISTANCE) if first else 0).execute()


def place_in_named_category(user_id, team_id, channel_id, name, max_name=64):
    """Mattermost's addChannelToDefaultCategory for one user: put the channel
    first in the user's custom category of that name in the team (the name
    compared without regard to case), making the category when there is none
    (with the channel alone in it). The channel leaves the user's other
    categories of the team. Nothing happens for an empty name, a user who is
    not a member of the team, or a name too long for a category (Mattermost
    fails to save it and goes on). Returns the category's JSON, or None."""
    name = (name or "").strip()
    if not name or len(name) > max_name or not ensure_defaults(user_id, team_id):
        return None
    folded = name.casefold()
    with transaction():
        categories = _categories(user_id, team_id)
        target = next((c for c in categories if c.type == CUSTOM and c.display_name.casefold() == folded), None)
        if target is None:
            return create_custom(user_id, team_id, name, channel_ids=[channel_id])
        current = _populate(user_id, team_id, [target])[target.id]
        channel_ids = [channel_id] + [c for c in current if c != channel_id]
        return update(user_id, team_id, [{"id": target.id, "channel_ids": channel_ids}])[0]
