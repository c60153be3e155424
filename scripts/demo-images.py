#!/usr/bin/env python3
"""Make the demo posters' images (src/demo/*.png): pure Python (zlib), no
dependencies, the same bytes on every run. Small on purpose: they travel in
vectors as data: URLs.

  avatar.png   64 x 64   a member's avatar (a face on a warm ground)
  logo.png     80 x 80   the tea shop's logo (a leaf in a ring)
  product.png  160 x 120 a product photo (a cup on a table), wider than the
                         boxes it is drawn in, so cover crops it

Run: python3 scripts/demo-images.py   (writes the three files)
"""
import os
import struct
import zlib

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "demo")


def png(width, height, pixel):
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter: none
        for x in range(width):
            raw.extend(pixel(x, y))

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")


def inside(x, y, cx, cy, r):
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def avatar(x, y):
    if inside(x, y, 24, 26, 3) or inside(x, y, 40, 26, 3):
        return (60, 40, 30)  # eyes
    if 38 <= y <= 40 and 24 <= x <= 40:
        return (170, 60, 60)  # mouth
    if inside(x, y, 32, 32, 20):
        return (250, 215, 170)  # face
    return (240, 170, 60 + y)  # ground


def logo(x, y):
    if inside(x, y, 40, 40, 36) and not inside(x, y, 40, 40, 31):
        return (60, 120, 70)  # ring
    if inside(x, y, 34, 44, 16) and inside(x, y, 46, 36, 16):
        return (90, 160, 80)  # leaf
    return (255, 250, 235)


def product(x, y):
    if y >= 84:
        return (150, 100, 60)  # table
    if 56 <= x <= 104 and 40 <= y <= 84:
        return (245, 245, 240)  # cup
    if inside(x, y, 110, 60, 9) and not inside(x, y, 110, 60, 5):
        return (245, 245, 240)  # handle
    return (200, 225, 235 - y // 4)  # wall


for name, w, h, f in [("avatar", 64, 64, avatar), ("logo", 80, 80, logo), ("product", 160, 120, product)]:
    with open(os.path.join(HERE, name + ".png"), "wb") as out:
        out.write(png(w, h, f))
