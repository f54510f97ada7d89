"""Content thumbnails: an abstract picture of a dashboard's tiles or a Look's chart, as SVG or PNG.

As Looker's content_thumbnail says, it shows the content's shape, not its data. Pure code: a list of
rectangles drawn two ways; the PNG encoder is the format's minimum (8-bit RGB, one IDAT, no filter).
"""

from __future__ import annotations

import struct
import zlib

BACKGROUND, TILE, ACCENT = (246, 248, 250), (255, 255, 255), (26, 115, 232)
GRID_COLUMNS = 24  # dashboard layouts are 24 columns wide
Rect = tuple[float, float, float, float, tuple[int, int, int]]  # x, y, width, height (0..1 of the picture), color


def dashboard_rects(components: list[dict]) -> list[Rect]:
    """One white tile per layout component, with an accent bar where its title goes."""
    if not components:
        return []
    rows = max(c["row"] + c["height"] for c in components) or 1
    rects: list[Rect] = []
    for c in components:
        x, y = c["column"] / GRID_COLUMNS, c["row"] / rows
        w, h = c["width"] / GRID_COLUMNS, c["height"] / rows
        rects.append((x + 0.01, y + 0.01, w - 0.02, h - 0.02, TILE))
        rects.append((x + 0.03, y + 0.03, w * 0.4, min(0.04, h / 4), ACCENT))
    return rects


def look_rects(bars: int = 6) -> list[Rect]:
    """A column chart's outline: bars of rising then falling height."""
    heights = [0.3 + 0.5 * (1 - abs(i - bars / 2) / bars) for i in range(bars)]
    width = 0.8 / bars
    return [(0.1 + i * width + width * 0.1, 0.9 - h, width * 0.8, h, ACCENT) for i, h in enumerate(heights)]


def svg(rects: list[Rect], width: int, height: int) -> str:
    shapes = "".join(f'<rect x="{x * width:.1f}" y="{y * height:.1f}" width="{w * width:.1f}" '
                     f'height="{h * height:.1f}" fill="#{r:02x}{g:02x}{b:02x}"/>' for x, y, w, h, (r, g, b) in rects)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}"><rect width="100%" height="100%" '
            f'fill="#{BACKGROUND[0]:02x}{BACKGROUND[1]:02x}{BACKGROUND[2]:02x}"/>{shapes}</svg>\n')


def png(rects: list[Rect], width: int, height: int) -> bytes:
    pixels = [bytearray(bytes(BACKGROUND) * width) for _ in range(height)]
    for x, y, w, h, color in rects:
        left, right = max(0, int(x * width)), min(width, int((x + w) * width))
        top, bottom = max(0, int(y * height)), min(height, int((y + h) * height))
        for row in pixels[top:bottom]:
            row[left * 3:right * 3] = bytes(color) * (right - left)
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)  # filter type 0 on each scanline

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
