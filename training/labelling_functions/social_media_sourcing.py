"""Labelling functions for ``social_media_sourcing``."""
from __future__ import annotations

import re
from typing import Any

from ..labelling import ABSTAIN, NEGATIVE, POSITIVE, labelling_function
from .common import ATTRIBUTION, I, found, none_found, text_of

_PLATFORM = (
    r"(?:Telegram|Twitter|Facebook|YouTube|Instagram|TikTok|VKontakte|(?-i:VK)|WhatsApp|Viber|Reddit|Weibo|LiveLeak"
    r"|(?-i:X)|social (?:media|networks?|network sites?)|messaging (?:app|service|channel)s?|blogs?|(?:the )?internet"
    r"|online(?!\s+(?:meetings?|conferences?|summits?|format|mode|sessions?|forums?|talks?|events?|courses?|lessons?"
    r"|education|learning|services?|platforms?|shopping|trade|sales|banking|games?|classes|school|video ?conferences?"
    r"|consultations?|discussions?|address|negotiations|voting|registration)))"
)
POSTED_ON_PLATFORM = re.compile(
    r"\b(?:posted|published|shared|wrote|writes|write|said|says|announced|claimed|claims|reported|reports|uploaded"
    r"|tweeted|stated|released|circulated|appeared|message|statement|post|video)\b(?:\s+[\w'’-]+){0,6}?\s+(?:on|to|in"
    r"|via|through|over)\s+(?:(?:his|her|its|their|the|a|an|one|official|personal|own)\s+)*"
    rf"(?:[\w'’-]+\s+){{0,2}}?{_PLATFORM}\b",
    I,
)
"""Posting or saying something on a platform ("wrote on Telegram", "a message posted on the Telegram channel")."""

PLATFORM_CHANNEL = re.compile(
    r"\b(?:Telegram|Twitter|Facebook|YouTube|Instagram|TikTok|VKontakte|(?-i:VK)|WhatsApp|Viber|(?-i:X))\s+(?:channels?"
    r"|accounts?|page|pages|posts?|feeds?|videos?|messages?|groups?|chats?|handles?|profiles?|statements?|"
    r"stories|thread)\b|\btweeted\b|\bin a tweet\b|\btweets? (?:by|from|posted)\b|\bretweet(?:ed|ing)\b",
    I,
)
"""A post or channel on a named platform, or a tweet."""

VIDEO_SHOWS = re.compile(
    r"(?<!satellite )\b(?:videos?|footage|images?|photos?|photographs?|pictures?|clips?|recordings?"
    r"|livestream)\b(?:\s+[\w'’,-]+){0,6}?\s+(?:shows?|showed|showing|appears? to show|appeared to show"
    r"|purport(?:s|ed|ing)? to show|"
    r"depict(?:s|ed|ing)?|reveal(?:s|ed|ing)?|captur(?:es|ed|ing)|documents|documented|allegedly shows?)\b",
    I,
)
"""A claim resting on what a video or photo shows (rule 4: "video shows...")."""

CIRCULATING = re.compile(
    r"\b(?:videos?|footage|images?|photos?|pictures?|clips?|posts?|recordings?)\s+(?:[\w'’-]+\s+){0,3}?(?:circulat\w+"
    r"|posted|uploaded|shared|went viral|gone viral|surfaced|leaked)\b|\b(?:leaked|amateur|purported) (?:videos?"
    r"|footage|images?|photos?|recordings?)\b|\bin (?:a|an|his|her|its|their|the) (?:[\w-]+\s+)?video (?:message"
    r"|address|appeal|statement|clip)\b"
    r"|\bvideo (?:message|appeal|statement)\b",
    I,
)
"""Footage or posts in circulation, leaked or amateur footage, and video messages."""

BLOGGER_CHANNEL = re.compile(
    r"\b(?:bloggers?|milbloggers?|vloggers?|influencers?|(?:telegram|online|social media|twitter) (?:channels?|users?"
    r"|accounts?|commentators?)|netizens|internet users|war ?correspondents?)\b(?:\s+[\w'’-]+){0,5}?\s+(?:reported|said"
    r"|says|wrote|writes|posted|claimed|claims|shared|published|alleged)\b"
    r"|\baccording to (?:[\w-]+\s+){0,3}?(?:bloggers?|posts?|tweets?|(?:telegram|social media|online) (?:channels?|"
    r"posts?|accounts?|reports?)|social media)\b",
    I,
)
"""Bloggers, online channels and their posts as sources ("a blogger reported", "according to posts online")."""

BROADCASTER_FOOTAGE = re.compile(
    r"\b(?:state|national|syrian|russian|ukrainian|iranian|iraqi|turkish|lebanese|government|pro-government"
    r"|official)(?:-run)?\s+(?:tv|television|broadcaster|news channel)\b|\b(?:tv|television|broadcaster|Ikhbariya"
    r"|al-Mayadeen|Al Mayadeen|al-Manar|Rossiya|Channel One|CNN|BBC|Sky News|Al Jazeera|Al Arabiya"
    r"|our (?:crew|correspondent|reporter|camera\w*))\b(?:\s+[\w'’-]+){0,4}?\s+(?:broadcast|aired|showed|shows|shown"
    r"|footage|images|pictures)\b|\b(?:Reuters|AFP|AP|Associated Press|Getty)(?:\s+[\w'’-]+){0,2}?\s+(?:photographs?"
    r"|photos?|pictures?|images?|"
    r"footage|video|journalists?|photographers?|cameram[ae]n|reporters?)\b",
    I,
)
"""Footage from a named broadcaster or the outlet's own crew (rule 4 exclusion)."""

PLATFORM_AS_TOPIC = re.compile(
    r"\b(?:ban\w*|block\w*|restrict\w*|regulat\w*|shut\w* down|censor\w*|fined|sued|law on|access to|users of|use of"
    r"|the role of|addict\w*|literacy|algorithms?|companies|giants?|moderation|campaigns? (?:on|against)"
    r"|accounts? (?:were |was |have been )?(?:suspended|blocked|removed|deleted|closed)|presence on|followers on|"
    rf"subscribers)\b[^.;]{{0,40}}?\b{_PLATFORM}\b|\b{_PLATFORM}\s+(?:companies|giants|platforms|networks|firms|ban"
    rf"|blocking|regulation|users|addiction|"
    r"algorithms?|moderation)\b",
    I,
)
"""A platform as the topic ("blocked Facebook", "social media companies"), not as the source of a claim."""

_SOCIAL_POSITIVE_CUES = (POSTED_ON_PLATFORM, PLATFORM_CHANNEL, VIDEO_SHOWS, CIRCULATING, BLOGGER_CHANNEL)


@labelling_function("social_media_sourcing", resources={"posted": POSTED_ON_PLATFORM})
def smed_posted_on_platform(passage: Any, posted: re.Pattern[str]) -> int:
    """A claim posted or stated on a platform ("posted on the Telegram channel of...", "wrote on X")."""
    return POSITIVE if found(posted, text_of(passage)) else ABSTAIN


@labelling_function("social_media_sourcing", resources={"channel": PLATFORM_CHANNEL, "attribution": ATTRIBUTION})
def smed_platform_channel(passage: Any, channel: re.Pattern[str], attribution: re.Pattern[str]) -> int:
    """A named platform's channel, account or post together with attribution, or a tweet."""
    text = text_of(passage)
    return POSITIVE if found(channel, text) and found(attribution, text) else ABSTAIN


@labelling_function("social_media_sourcing", resources={"shows": VIDEO_SHOWS, "broadcaster": BROADCASTER_FOOTAGE})
def smed_video_shows(passage: Any, shows: re.Pattern[str], broadcaster: re.Pattern[str]) -> int:
    """A claim based on what a video or photo shows, unless the footage is a named broadcaster's."""
    text = text_of(passage)
    return POSITIVE if found(shows, text) and not found(broadcaster, text) else ABSTAIN


@labelling_function("social_media_sourcing", resources={"circulating": CIRCULATING})
def smed_circulating_footage(passage: Any, circulating: re.Pattern[str]) -> int:
    """Circulating, posted, leaked or amateur footage, or a video message."""
    return POSITIVE if found(circulating, text_of(passage)) else ABSTAIN


@labelling_function("social_media_sourcing", resources={"blogger": BLOGGER_CHANNEL})
def smed_blogger_or_channel(passage: Any, blogger: re.Pattern[str]) -> int:
    """A blogger, online channel or post as the source."""
    return POSITIVE if found(blogger, text_of(passage)) else ABSTAIN


@labelling_function(
    "social_media_sourcing",
    resources={
        "broadcaster": BROADCASTER_FOOTAGE,
        "posted": (POSTED_ON_PLATFORM, PLATFORM_CHANNEL, CIRCULATING, BLOGGER_CHANNEL),
    },
)
def smed_broadcaster_footage(passage: Any, broadcaster: re.Pattern[str], posted: tuple[re.Pattern[str], ...]) -> int:
    """Footage from a named broadcaster (state TV, a network's crew) and no online post: NEGATIVE (rule 4)."""
    text = text_of(passage)
    return NEGATIVE if found(broadcaster, text) and none_found(posted, text) else ABSTAIN


@labelling_function("social_media_sourcing", resources={"topic": PLATFORM_AS_TOPIC, "cues": _SOCIAL_POSITIVE_CUES})
def smed_platform_as_topic(passage: Any, topic: re.Pattern[str], cues: tuple[re.Pattern[str], ...]) -> int:
    """Social media as the subject of the sentence, not the source of a claim: NEGATIVE."""
    text = text_of(passage)
    return NEGATIVE if found(topic, text) and none_found(cues, text) else ABSTAIN


