"""What every explorer does the same way: CSS classes, its figure as PNG, and showing it.

Private: the explorers (:mod:`~nmacausal.widgets.dynamics`,
:mod:`~nmacausal.widgets.correlation`) import these; the package re-exports
none of them.
"""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np


def with_class(widget, css_class):
    """``widget`` with a stable CSS class, for styling and browser tests."""
    widget.add_class(css_class)
    return widget


def draw_png(figure, artists):
    """Draw ``artists`` over what ``figure``'s Agg canvas holds and return it as PNG bytes."""
    for artist in artists:
        figure.draw_artist(artist)
    return encode_png(np.asarray(figure.canvas.buffer_rgba()))


def encode_png(rgba):
    """An RGBA image, shape (height, width, 4) of uint8, as PNG bytes (lossless).

    Every row is stored as its difference from the row above (PNG's "Up"
    filter), which turns the flat areas and the tall cells of a figure into
    runs of zeros, then deflated at the fastest level. Pillow's encoder tries
    five filters on every row and keeps the best, which costs more than the
    compression itself: on the explorers' figures this is more than twice as
    fast, for about a tenth more bytes, and encoding is a large share of each
    step's time. The alpha channel stays: an opaque figure's alpha differs by
    0 from row to row, which costs less to compress than dropping it costs to
    copy (a strided copy of every pixel).

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> rgba = np.zeros((2, 3, 4), np.uint8); rgba[1, 2] = (255, 0, 0, 255)
    >>> decoded = np.asarray(Image.open(io.BytesIO(encode_png(rgba))))
    >>> decoded.shape, decoded[1, 2].tolist()
    ((2, 3, 4), [255, 0, 0, 255])
    """
    height, width = rgba.shape[:2]
    flat = np.ascontiguousarray(rgba).reshape(height, 4 * width)
    rows = np.empty((height, 1 + 4 * width), np.uint8)
    rows[:, 0] = 2  # the "Up" filter
    rows[:1, 1:] = flat[:1]
    np.subtract(flat[1:], flat[:-1], out=rows[1:, 1:])  # wraps modulo 256, as PNG says
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(rows, 1)),
            _png_chunk(b"IEND", b""),
        ]
    )


def _png_chunk(kind, data):
    """A PNG chunk: length, type, data, CRC of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def draw_background(figure, dynamic_artists):
    """Draw all of ``figure`` but ``dynamic_artists`` and return a copy of its Agg canvas.

    The artists are marked animated only meanwhile, so that ``figure.savefig``
    still draws them. Restore the copy with ``figure.canvas.restore_region``
    and draw the artists over it with :func:`draw_png`.
    """
    for artist in dynamic_artists:
        artist.set_animated(True)
    try:
        figure.canvas.draw()
    finally:
        for artist in dynamic_artists:
            artist.set_animated(False)
    return figure.canvas.copy_from_bbox(figure.bbox)


def show_png(output, png, text):
    """Make ``png`` the one thing ``output`` displays; ``text`` is its plain-text form.

    The PNG is made by the explorer, not by IPython's display formatter: a
    fresh kernel formats a Figure as an image only once pyplot is imported,
    and the explorers never import it. Replacing the outputs in one assignment
    (rather than clear_output and display) is what stays reliable in Voila.
    """
    output.outputs = (
        {
            "output_type": "display_data",
            "data": {
                "image/png": base64.b64encode(png).decode("ascii"),
                "text/plain": text,
            },
            "metadata": {},
        },
    )
