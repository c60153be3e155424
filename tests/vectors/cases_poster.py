"""Posters: the demo templates rendered (SVG and Canvas commands), every
refusal, missing images, and the hard cases of text and QR codes.

Text wrapping in these vectors comes from the placeholder src/poster/text.rs
until branch poster-text merges; they are blessed again then."""

import base64
import copy
import json
import os

from gen import *  # noqa: F401,F403

POSTERS = json.load(open(os.path.join(ROOT, "src", "demo", "posters.json"), encoding="utf-8"))


def data_url(name):
    with open(os.path.join(ROOT, "src", "demo", name + ".png"), "rb") as f:
        return "data:image/png;base64," + base64.b64encode(f.read()).decode()


AVATAR, LOGO, PRODUCT = data_url("avatar"), data_url("logo"), data_url("product")

INVITE_FIELDS = {"nickname": "茶友小林", "store": "山茶小铺", "scene": "M8MGN", "code": "M8MGN"}
STORE_FIELDS = {"store": "山茶小铺·西湖店", "title": "会员专享：每月 8 日会员日，全场积分翻倍",
                "link": "https://mall.example.com/s?scene=SC%3D", "guide": "阿珍"}
PRODUCT_FIELDS = {"product": "明前西湖龙井 特级 250g 礼盒装（含手提袋）", "price": "368.00",
                  "nickname": "茶友小林", "scene": "M8MG-K7B"}


def P(name):
    return copy.deepcopy(POSTERS[name])


def both(area, name, template, fields, images):
    inp = {"template": template, "fields": fields, "images": images}
    case(area, name + "_svg", "render_poster", inp)
    case(area, name + "_commands", "poster_commands", inp)


# ------------------------------------------------------------------ demo

for n in ["invite", "store", "product"]:
    case("poster", f"validate_demo_{n}", "validate_poster", {"template": P(n)})
both("poster", "demo_invite", P("invite"), INVITE_FIELDS, {"avatar": AVATAR})
both("poster", "demo_store", P("store"), STORE_FIELDS, {"logo": LOGO})
both("poster", "demo_product", P("product"), PRODUCT_FIELDS, {"product": PRODUCT, "avatar": AVATAR})

# ------------------------------------------------------------ missing images

both("poster", "missing_avatar_is_a_circle_placeholder", P("invite"), INVITE_FIELDS, {})
both("poster", "missing_product_photo_is_its_placeholder_colour", P("product"), PRODUCT_FIELDS, {"avatar": AVATAR})


def canvas(*elements, w=400, h=300, **bg):
    t = {"width": w, "height": h, "elements": list(elements)}
    if bg:
        t["background"] = bg
    return t


def text(s, x=10, y=10, width=380, size=20, **kw):
    return dict({"type": "text", "x": x, "y": y, "width": width, "text": s, "size": size}, **kw)


def qr(content, x=100, y=50, size=200, **kw):
    return dict({"type": "qr", "x": x, "y": y, "size": size, "content": content}, **kw)


def img(name, x=10, y=10, width=100, height=100, **kw):
    return dict({"type": "image", "image": name, "x": x, "y": y, "width": width, "height": height}, **kw)


# ------------------------------------------------------------- hard cases

both("poster_text", "nickname_of_60_characters_is_cut_with_an_ellipsis", P("invite"),
     dict(INVITE_FIELDS, nickname="超长昵称" * 12 + "abcdefghij" * 1), {"avatar": AVATAR})
both("poster_text", "emoji_sequences_stay_whole",
     canvas(text("{nickname}", max_lines=3, line_height=30)), {"nickname": "👨‍👩‍👧‍👦 一家人 👍🏽 点赞 🇨🇳 国旗 ❤️ 心"}, {})
both("poster_text", "blank_line_from_two_newlines",
     canvas(text("{title}", max_lines=4, line_height=28)), {"title": "第一行\n\n第三行"}, {})
both("poster_text", "mixed_latin_and_cjk_wraps_in_the_box",
     canvas(text("{product}", width=200, max_lines=3, line_height=28, align="center")),
     {"product": "Siyu 私域 membership 会员 points 积分 coupons 优惠券"}, {})
both("poster_text", "right_aligned_bold_and_braces",
     canvas(text("{{价格}} ¥{price}", align="right", weight="bold", color="#e4393c")), {"price": "9.90"}, {})
both("poster_text", "xml_special_characters_are_escaped",
     canvas(text("{nickname}")), {"nickname": "<Tom & \"Jerry\" 'O'>"}, {})
both("poster_image", "circle_clipped_avatar_in_a_wide_box_is_centred",
     canvas(img("avatar", width=160, height=100, clip="circle")), {}, {"avatar": AVATAR})
both("poster_image", "contain_in_a_tall_box_and_rounded_cover",
     canvas(img("product", width=100, height=200, fit="contain"),
            img("product", x=150, width=100, height=100, radius=12)), {}, {"product": PRODUCT})
both("poster_image", "background_image_covers_the_canvas",
     canvas(text("{title}"), color="#102030", image="product"), {"title": "你好"}, {"product": PRODUCT})
for level in ["L", "M", "Q", "H"]:
    both("poster_qr", f"level_{level}", canvas(qr("https://mall.example.com/s?scene={scene}", level=level)),
         {"scene": "M8MGN"}, {})
both("poster_qr", "quiet_zone_0_and_colours", canvas(qr("{link}", quiet_zone=0, color="#2f4f3a", background="#fffaeb")),
     {"link": "https://mall.example.com/"}, {})
case("poster_qr", "content_too_long_for_level_h", "validate_poster",
     {"template": canvas(qr("https://mall.example.com/s?nickname={nickname}", level="H"))})
case("poster_qr", "box_too_small_for_its_code", "validate_poster",
     {"template": canvas(qr("https://mall.example.com/s?scene={scene}", size=30))})
case("poster_qr", "longest_literal_that_fits_level_l", "validate_poster",
     {"template": canvas(qr("a" * 271, level="L"))})
case("poster_qr", "one_byte_more_is_too_long", "validate_poster",
     {"template": canvas(qr("a" * 272, level="L"))})

# --------------------------------------------------------------- refusals

case("poster_refusals", "every_template_problem_at_once", "validate_poster", {"template": {
    "width": 5000, "height": 0, "background": {"color": "white", "fit": "cover"},
    "elements": [
        {"type": "rect", "x": 0, "y": 0, "width": 10, "height": 10, "radius": 6, "stroke": "#000000"},
        img("Avatar", radius=4, clip="circle", placeholder="#12"),
        text("{nick}} {{x}} {", size=300, width=10, max_lines=21),
        qr("{nickname}{nickname}", level="H", quiet_zone=5),
        {"type": "rect", "x": 4000, "y": 4000, "width": 200, "height": 200},
    ]}})
case("poster_refusals", "unknown_keys_and_types", "validate_poster", {"template": {
    "width": 100, "height": 100, "elements": [
        {"type": "circle", "x": 0},
        {"type": "text", "x": 0, "y": 0, "width": 50, "text": "a", "size": 10, "font": "serif"},
        {"type": "qr", "x": 0, "y": 0, "size": 50, "content": "a", "level": "X"}], "extra": 1}})
case("poster_refusals", "too_many_elements", "validate_poster",
     {"template": canvas(*[{"type": "rect", "x": 0, "y": 0, "width": 1, "height": 1}] * 65)})
case("poster_refusals", "text_too_narrow", "validate_poster", {"template": canvas(text("{title}", width=39, size=20))})
case("poster_refusals", "off_canvas_text_box_counts_its_lines", "validate_poster",
     {"template": canvas(text("{title}", y=250, max_lines=2, line_height=30))})
case("poster_refusals", "control_character_in_template_text", "validate_poster",
     {"template": canvas(text("a\tb"))})

inv = P("invite")
case("poster_refusals", "missing_unknown_and_unused_fields", "render_poster", {
    "template": inv, "fields": {"nickname": "小林", "nick": "x", "price": "1", "scene": "M8MGN"},
    "images": {"avatar": AVATAR, "logo": LOGO}})
case("poster_refusals", "bad_field_values", "render_poster", {
    "template": canvas(text("{nickname}{title}"), qr("{scene}")),
    "fields": {"nickname": "a\u0007b", "title": "长" * 201, "scene": "场景"}, "images": {}})
case("poster_refusals", "bad_images_say_what_is_wrong", "render_poster", {
    "template": canvas(img("a"), img("b", x=120), img("c", x=240), img("d", y=150), img("e", x=120, y=150),
                       img("f", x=240, y=150)),
    "fields": {}, "images": {
        "a": "https://example.com/a.png",
        "b": "data:image/jpg;base64,/9j/",
        "c": "data:image/png;base64,iVBORw0KGgo",
        "d": "data:image/png;base64,/9j/4AAQ",
        "e": "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==",
        "f": "data:image/gif;base64,R0lGODlhAQABAAAAACw="}})
case("poster_refusals", "too_many_images", "render_poster", {
    "template": canvas(*[img(f"i{k}", x=k * 40, width=30, height=30) for k in range(9)]),
    "fields": {}, "images": {f"i{k}": AVATAR for k in range(9)}})
case("poster_refusals", "fields_must_be_strings", "render_poster", {
    "template": canvas(text("{price}")), "fields": {"price": 9}, "images": {}})
