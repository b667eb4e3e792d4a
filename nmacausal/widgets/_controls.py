"""What every explorer does the same way: CSS classes, its figure as PNG, and showing it.

Private: the explorers (:mod:`~nmacausal.widgets.dynamics`,
:mod:`~nmacausal.widgets.correlation`) import these; the package re-exports
none of them.
"""

from __future__ import annotations

import base64
import io

from PIL import Image


def with_class(widget, css_class):
    """``widget`` with a stable CSS class, for styling and browser tests."""
    widget.add_class(css_class)
    return widget


def draw_png(figure, artists):
    """Draw ``artists`` over what ``figure``'s Agg canvas holds and return it as PNG bytes."""
    for artist in artists:
        figure.draw_artist(artist)
    canvas = figure.canvas
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    encoded = io.BytesIO()
    # The figure is opaque, so RGB loses nothing; a low compression level
    # keeps encoding a small share of each redraw's time.
    image.convert("RGB").save(encoded, format="png", compress_level=1)
    return encoded.getvalue()


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
