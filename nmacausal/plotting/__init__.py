"""The day's figures. Each function draws on the axes it is given (or new ones)
and returns the figure; none calls ``plt.show()`` unless asked with ``show=True``.

- :mod:`~nmacausal.plotting.network`: networks, connectivity matrices, activity,
  and an estimate beside the truth (every tutorial uses them).
"""

from .network import (
    NetworkArtists,
    circle_positions,
    draw_connectivity_image,
    draw_network,
    plot_connectivity_graph_matrix,
    plot_connectivity_matrix,
    plot_neural_activity,
    plot_true_vs_estimated_connectivity,
    see_neurons,
    symmetric_color_limit,
)

__all__ = [
    "NetworkArtists",
    "circle_positions",
    "draw_connectivity_image",
    "draw_network",
    "plot_connectivity_graph_matrix",
    "plot_connectivity_matrix",
    "plot_neural_activity",
    "plot_true_vs_estimated_connectivity",
    "see_neurons",
    "symmetric_color_limit",
]
