"""Who a message mentions, by Mattermost's rules.

Pure functions over text and the channel members' settings; the caller loads
the members and applies the result (mention counts, thread follows).
"""
import re

# Mattermost splits text into words at any character other than these.
_WORD = re.compile(r"[\w:.\-@]+", re.UNICODE)
# Mentions are not looked for inside code.
_CODE_BLOCK = re.compile(r"```.*?(?:```|\Z)", re.S)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_TRAILING = re.compile(r"[^\w]+$|_+$", re.UNICODE)

CHANNEL_WIDE = ("@channel", "@all", "@here")


class Keywords:
    """The words that mention each member of a channel."""

    def __init__(self):
        self.lower = {}       # case-insensitive keyword -> {user ids}
        self.exact = {}       # case-sensitive keyword (first names) -> {user ids}

    def add(self, word, user_id, exact=False):
        table = self.exact if exact else self.lower
        table.setdefault(word if exact else word.lower(), set()).add(user_id)

    def add_member(self, user, member_notify_props, online, allow_channel_mentions):
        """Add one member's keywords: @username always; their mention keys;
        their first name when they asked for it; @channel, @all (and @here
        when online) unless they turned channel mentions off."""
        props = user.notify_props or {}
        self.add("@" + user.username, user.id)
        for key in (props.get("mention_keys") or "").split(","):
            key = key.strip()
            if key:
                self.add(key, user.id)
        if props.get("first_name") == "true" and user.first_name:
            self.add(user.first_name, user.id, exact=True)
        ignores = (member_notify_props or {}).get("ignore_channel_mentions") == "on"
        if allow_channel_mentions and props.get("channel", "true") == "true" and not ignores:
            self.add("@channel", user.id)
            self.add("@all", user.id)
            if online:
                self.add("@here", user.id)

    def match(self, word):
        found = set(self.lower.get(word.lower(), ()))
        found |= self.exact.get(word, set())
        return found


def mentioned_words(text):
    """The words of text outside code, as Mattermost's parser sees them."""
    text = _CODE_SPAN.sub(" ", _CODE_BLOCK.sub(" ", text or ""))
    return _WORD.findall(text)


def trimmed_forms(word):
    """The word, then the word without its trailing punctuation, one piece at
    a time ("@alice." -> "@alice.", "@alice"), as mentions are tried."""
    while word:
        yield word
        trimmed = _TRAILING.sub("", word)
        if trimmed == word:
            return
        word = trimmed


def lookup_forms(texts):
    """Every form explicit() may look a word of the texts up by (each word
    and its trimmed forms), so that only the members one of them could
    mention need loading."""
    forms = set()
    for text in texts:
        for word in mentioned_words(text):
            forms.update(trimmed_forms(word))
    return forms


def usernames_in(forms):
    """The lowercased usernames that @-forms among forms would mention."""
    return sorted({form[1:].lower() for form in forms if form.startswith("@") and len(form) > 1})


def has_channel_wide(forms):
    return any(form.lower() in CHANNEL_WIDE for form in forms)


class Result:
    def __init__(self):
        self.user_ids = set()
        self.channel_wide = set()   # "@channel", "@all", "@here" when used
        self.unknown = []           # @words that match no member (possible out-of-channel mentions)


def explicit(texts, keywords):
    """The members the texts mention. A word that matches no keyword but
    starts with @ is tried again without its trailing punctuation
    ("@alice." mentions alice)."""
    result = Result()
    for text in texts:
        for word in mentioned_words(text):
            candidate = word
            while candidate:
                users = keywords.match(candidate)
                if users:
                    result.user_ids |= users
                    if candidate.lower() in CHANNEL_WIDE:
                        result.channel_wide.add(candidate.lower())
                    break
                if candidate.lower() in CHANNEL_WIDE:
                    result.channel_wide.add(candidate.lower())
                    break
                trimmed = _TRAILING.sub("", candidate)
                if trimmed == candidate or not candidate.startswith("@"):
                    if candidate.startswith("@") and len(candidate) > 1:
                        result.unknown.append(candidate[1:])
                    break
                candidate = trimmed
    return result


def texts_of(message, props):
    """The parts of a post where mentions count: its message, and the pretext,
    text and field values of its message attachments."""
    texts = [message or ""]
    attachments = (props or {}).get("attachments")
    if isinstance(attachments, list):
        for attachment in attachments:
            if not isinstance(attachment, dict):
                continue
            for key in ("pretext", "text"):
                if isinstance(attachment.get(key), str) and attachment[key]:
                    texts.append(attachment[key])
            fields = attachment.get("fields")
            if isinstance(fields, list):
                for field in fields:
                    if isinstance(field, dict) and isinstance(field.get("value"), str) and field["value"]:
                        texts.append(field["value"])
    return texts


_HASHTAG = re.compile(r"^#[^\W\d_][\w\-.]*[^\W_]$", re.UNICODE)
_PUNCT_START = re.compile(r"^[^\w\s#]+", re.UNICODE)
_PUNCT_END = re.compile(r"[^\w\s]+$", re.UNICODE)
MAX_HASHTAGS_LENGTH = 1000


def hashtags(text):
    """The message's #hashtags, space separated, as Mattermost stores them:
    a letter after the #, then letters, digits, '-', '_' or '.', ending in a
    letter or digit; at most 1000 characters, cut at a whole tag."""
    found = []
    for word in (text or "").split():
        word = _PUNCT_START.sub("", word)
        word = re.sub(r"^#{2,}", "#", word)
        word = _PUNCT_END.sub("", word)
        if _HASHTAG.match(word):
            found.append(word)
    joined = " ".join(dict.fromkeys(found))
    if len(joined) > MAX_HASHTAGS_LENGTH:
        joined = joined[:MAX_HASHTAGS_LENGTH + 1]
        joined = joined[:joined.rfind(" ")] if " " in joined else ""
    return joined
