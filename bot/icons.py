"""Draws the Teams app icons: a speech bubble (the assistant) with a coin (pay).

Teams wants a 192×192 full-colour icon with the symbol inside the central ~120 px, and a
32×32 outline icon in white on transparent. The colour coin says "kr"; at 32 px letters
are mush, so the outline coin is a rim and a face. Drawn with shapes only (no fonts), so
the result is the same on every machine. ``python -m bot.icons [DIR]`` rewrites
manifest/color.png and manifest/outline.png (Pillow, a dev dependency; the bot itself
never imports this module).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

from bot.settings import ROOT

MANIFEST_DIR = ROOT / "manifest"
BLUE = (0, 91, 170)  # background; also the manifest's accentColor
INK = (0, 62, 122)  # text lines and the "kr" on the coin
GOLD = (246, 190, 40)
GOLD_EDGE = (214, 148, 16)
WHITE = (255, 255, 255)
SCALE = 8  # draw large, scale down: smooth edges without an anti-aliasing library


def _bubble(
    draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], radius: float, fill: object
) -> None:
    """A filled rounded speech bubble with its tail at the lower left."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    draw.rounded_rectangle(box, radius, fill=fill)
    draw.polygon(
        [(x0 + 0.12 * w, y1 - 1), (x0 + 0.04 * w, y1 + 0.26 * h), (x0 + 0.38 * w, y1 - 1)], fill=fill
    )


def _stroke(draw: ImageDraw.ImageDraw, points: list[tuple[float, float]], width: float, fill: object) -> None:
    """A polyline with round caps and joints, like a pen stroke."""
    draw.line(points, fill=fill, width=int(round(width)), joint="curve")
    r = width / 2
    for x, y in (points[0], points[-1]):
        draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)


def _kr(draw: ImageDraw.ImageDraw, cx: float, cy: float, h: float, width: float, fill: object) -> None:
    """The letters "kr" as pen strokes centred on (cx, cy); h is the ascender height."""
    top, base = cy - h / 2, cy + h / 2
    xh = base - h * 0.62  # x-height line
    k = cx - h * 0.42
    _stroke(draw, [(k, top), (k, base)], width, fill)
    joint = (k + width * 0.4, base - h * 0.26)
    _stroke(draw, [(k + h * 0.36, xh), joint, (k + h * 0.40, base)], width, fill)
    r = cx + h * 0.16
    _stroke(draw, [(r, base), (r, xh)], width, fill)
    # The shoulder of the r: a short arc leaving the stem to the upper right.
    arc = [
        (r, xh + h * 0.18),
        (r + h * 0.07, xh + h * 0.05),
        (r + h * 0.18, xh),
        (r + h * 0.30, xh + h * 0.02),
    ]
    _stroke(draw, arc, width, fill)


def _coin(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, s: float) -> None:
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=BLUE)  # a ring of background around it
    inner = r - 5 * s
    draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), fill=GOLD_EDGE)
    face = inner - 3.5 * s
    draw.ellipse((cx - face, cy - face, cx + face, cy + face), fill=GOLD)
    _kr(draw, cx, cy, 24 * s, 5.6 * s, INK)


def draw_color(size: int = 192) -> Image.Image:
    """The full-colour icon: white bubble with text lines on blue, a gold "kr" coin."""
    s = SCALE * size / 192
    img = Image.new("RGB", (int(192 * s), int(192 * s)), BLUE)
    draw = ImageDraw.Draw(img)
    _bubble(draw, (26 * s, 40 * s, 142 * s, 122 * s), 22 * s, WHITE)
    for y, x_end in ((64, 118), (82, 118), (100, 90)):
        draw.rounded_rectangle((46 * s, (y - 4.5) * s, x_end * s, (y + 4.5) * s), 4.5 * s, fill=INK)
    _coin(draw, 134 * s, 124 * s, 33 * s, s)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def draw_outline(size: int = 32) -> Image.Image:
    """The 32×32 outline icon: the same bubble and coin in white on transparent."""
    s = SCALE * size / 32
    mask = Image.new("L", (int(32 * s), int(32 * s)), 0)
    draw = ImageDraw.Draw(mask)
    stroke = 2 * s
    _bubble(draw, (1 * s, 3 * s, 24 * s, 19 * s), 5 * s, 255)
    draw.rounded_rectangle((1 * s + stroke, 3 * s + stroke, 24 * s - stroke, 19 * s - stroke), 3 * s, fill=0)
    for y, x_end in ((9, 18), (13, 12.5)):
        _stroke(draw, [(6.5 * s, y * s), (x_end * s, y * s)], 2 * s, 255)
    # The coin: a clear gap around it, a solid rim, and a face inside a thin cut line
    # ("kr" is illegible at this size).
    cx, cy, r = 23 * s, 23 * s, 7.5 * s
    for radius, value in ((r + 1.5 * s, 0), (r, 255), (r - 2 * s, 0), (r - 3.2 * s, 255)):
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=value)
    alpha = mask.resize((size, size), Image.Resampling.LANCZOS)
    img = Image.new("RGBA", (size, size), (*WHITE, 0))
    img.putalpha(alpha)
    return img


def main(argv: list[str] | None = None) -> int:
    out = Path(argv[0]) if argv else MANIFEST_DIR
    out.mkdir(parents=True, exist_ok=True)
    draw_color().save(out / "color.png", optimize=True)
    draw_outline().save(out / "outline.png", optimize=True)
    print(f"wrote {out / 'color.png'} and {out / 'outline.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
