"""Codes and scenes (docs/rules.md section 9): make_scene and parse_scene."""

from gen import *  # noqa: F401,F403

SYMBOLS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECKS = SYMBOLS + "*~$=U"
LETTER = {"member": "M", "guide": "G", "store": "S", "channel": "C"}
MAX_NUMBER = 2 ** 53 - 1


def b32(n):
    out = ""
    while True:
        out = SYMBOLS[n % 32] + out
        n //= 32
        if n == 0:
            return out


def checked(body):
    """`body` and its mod-37 check symbol (`-` counts as 32), written here
    independently of the engine."""
    v = 0
    for ch in body:
        v = (v * 32 + (32 if ch == "-" else SYMBOLS.index(ch))) % 37
    return body + CHECKS[v]


def scene(kind, number, channel=None, campaign=None):
    body = LETTER[kind] + b32(number)
    if channel is not None:
        body += "-C" + b32(channel)
    if campaign is not None:
        body += "-K" + b32(campaign)
    return checked(body)


def make(name, **inp):
    case("scene", "make_" + name, "make_scene", inp)


def parse(name, s):
    case("scene", "parse_" + name, "parse_scene", {"scene": s})


# Round trips: every kind at the edges of the numbers.
EDGES = [("0", 0), ("1", 1), ("31", 31), ("32", 32), ("2_32", 2 ** 32), ("2_53_minus_1", MAX_NUMBER)]
for kind in LETTER:
    for label, n in EDGES:
        make(f"{kind}_{label}", kind=kind, number=n)
        parse(f"{kind}_{label}", scene(kind, n))

# With a channel, a campaign, both.
make("guide_with_channel", kind="guide", number=42, channel=7)
make("guide_with_campaign", kind="guide", number=42, campaign=2026)
make("guide_with_channel_and_campaign", kind="guide", number=42, channel=7, campaign=2026)
make("channel_zero_with_zero_channel_and_campaign", kind="channel", number=0, channel=0, campaign=0)
parse("guide_with_channel", scene("guide", 42, channel=7))
parse("guide_with_campaign", scene("guide", 42, campaign=2026))
parse("guide_with_channel_and_campaign", scene("guide", 42, 7, 2026))
parse("store_with_largest_channel", scene("store", 5, channel=MAX_NUMBER))

# Exactly 32 characters, and 33.
make("exactly_32_characters", kind="member", number=MAX_NUMBER, channel=MAX_NUMBER, campaign=1000000)
make("33_characters_is_too_long", kind="member", number=MAX_NUMBER, channel=MAX_NUMBER, campaign=1048576)
make("all_three_at_the_largest_is_too_long", kind="store", number=MAX_NUMBER, channel=MAX_NUMBER,
     campaign=MAX_NUMBER)
longest = scene("member", MAX_NUMBER, MAX_NUMBER, 1000000)
assert len(longest) == 32
parse("exactly_32_characters", longest)
parse("33_characters_is_too_long", scene("member", MAX_NUMBER, MAX_NUMBER, 1048576))
parse("chinese_is_too_long_or_a_bad_character", "会员码" * 11)

# What people type: lower case, I/L for 1, O for 0.
parse("lower_case", scene("guide", 42, 7, 2026).lower())
parse("i_and_l_read_as_1", "gla-c7-kiza1")
parse("o_read_as_0", scene("member", 32, channel=1024).replace("0", "o"))
parse("u_as_the_check_symbol_in_lower_case", next(
    scene("member", n).lower() for n in range(1000) if scene("member", n).endswith("U")))

# A changed character is caught by the check.
good = scene("member", 10086)
parse("flipped_character_fails_the_check", good[:2] + "W" + good[3:])
parse("swapped_neighbours_fail_the_check", good[0] + good[2] + good[1] + good[3:])
parse("changed_check_symbol_fails", good[:-1] + ("0" if good[-1] != "0" else "1"))
with_parts = scene("guide", 42, 7, 2026)
parse("changed_channel_fails_the_check", with_parts.replace("-C7", "-C8"))
parse("changed_kind_fails_the_check", "S" + good[1:])

# Every refusal.
parse("percent_encoded_is_a_bad_character", "G1A%3D")
parse("exclamation_mark_is_a_bad_character", "M9V6!")
parse("space_is_a_bad_character", "M9V 61")
parse("empty_is_malformed", "")
parse("unknown_kind_is_malformed", "X9V61")
parse("leading_zero_is_malformed", "M09V6")
parse("no_number_is_malformed", "M-C11")
parse("campaign_before_channel_is_malformed", checked("G1A-K7-C7"))
parse("two_channels_are_malformed", checked("G1A-C7-C8"))
parse("unknown_part_is_malformed", checked("G1A-X7"))
parse("empty_channel_is_malformed", "G1A-C-K1")
parse("u_inside_is_malformed", "M1U2X")
parse("check_symbol_inside_is_malformed", "M1*2X")
parse("lone_check_symbol_is_malformed", "=")
parse("trailing_dash_is_malformed", "M1-")
parse("2_53_is_too_large", checked("M" + b32(2 ** 53)))
parse("u64_max_is_too_large", checked("M" + b32(2 ** 64 - 1)))
parse("past_u64_is_too_large", checked("M" + b32(2 ** 64)))
parse("channel_2_53_is_too_large", checked("G1-C" + b32(2 ** 53)))

# Shape.
make("unknown_kind", kind="partner", number=1)
make("missing_number", kind="member")
make("negative_number", kind="member", number=-1)
make("number_as_a_string", kind="member", number="12")
make("unknown_field", kind="member", number=1, inviter=2)
case("scene", "parse_missing_scene", "parse_scene", {})
case("scene", "parse_scene_as_a_number", "parse_scene", {"scene": 12})
