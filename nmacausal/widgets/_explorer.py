"""What the explorers share: blitted figures (all of them), cached settings (the slider demos).

Private: :mod:`~nmacausal.widgets.correlation`,
:mod:`~nmacausal.widgets.regression` and :mod:`~nmacausal.widgets.instrumental`
build their slider demos on these, :mod:`~nmacausal.widgets.methods` its
explorer on the blitted figure and the slider, and
:mod:`~nmacausal.widgets.dynamics` its figure on :class:`BlittedFigure`; the
package re-exports none of them.
"""

from __future__ import annotations

import ipywidgets

from .._validation import check_integer
from ._controls import draw_background, draw_png, show_png, with_class

# Bounds of the simulation's arguments.
MIN_TIMESTEPS = 3  # an estimate needs two (x[t], x[t + 1]) pairs
MAX_TIMESTEPS = 20_000


class BlittedFigure:
    """A figure whose changing artists are drawn over a saved copy of the rest.

    A subclass sets ``figure`` (a Figure with an Agg canvas), ``setting``,
    ``_dynamic_artists`` (what :meth:`show` changes, drawn on every render)
    and ``_backgrounds = {}``; it says in :meth:`_background_key` what the
    saved copy depends on.
    """

    def render_png(self, *, full_redraw=False):
        """Draw the figure with Agg and return it as PNG bytes.

        Parameters
        ----------
        full_redraw : bool, default=False
            Draw everything again, as after a change made to the figure
            outside :meth:`show` (its size, an added title).

        Returns
        -------
        bytes
        """
        if full_redraw:
            self._backgrounds.clear()
        key = self._background_key()
        if key not in self._backgrounds:
            self._backgrounds[key] = draw_background(self.figure, self._dynamic_artists)
        else:
            self.figure.canvas.restore_region(self._backgrounds[key])
        return draw_png(self.figure, self._dynamic_artists)

    def _background_key(self):
        """What the saved copy depends on; by default nothing: it is drawn once."""
        return None


class SliderExplorer:
    """A slider over settings, each computed once, and the figure that shows the current one.

    A subclass checks its arguments (:meth:`_check_simulation` for the ones
    every simulation shares), then calls :meth:`_build`. It says what a slider
    value means (:meth:`_compute`, returning a setting with a ``correlation``),
    how a setting is drawn (:meth:`_make_view`, a :class:`BlittedFigure` with
    ``show`` and ``correlation_text``) and how the figure is named in plain
    text (:meth:`_describe`).
    """

    _name = "explorer"
    _class_prefix = "nmacausal-explorer"
    _max_timesteps = MAX_TIMESTEPS

    def _check_simulation(self, timesteps, random_state):
        """Check and keep the arguments every setting's simulation shares."""
        self.timesteps = check_integer(
            timesteps, "timesteps", minimum=MIN_TIMESTEPS, maximum=self._max_timesteps
        )
        self.random_state = check_integer(
            random_state, "random_state", minimum=0, maximum=2**32 - 1
        )

    def _build(self, slider, explanation):
        self._settings = {}
        self.slider = with_class(slider, f"{self._class_prefix}-slider")
        self.setting = self._setting(slider.value)
        self.view = self._make_view(self.setting)
        self.figure = self.view.figure
        self.figure_output = with_class(ipywidgets.Output(), f"{self._class_prefix}-figure")
        self.widget = ipywidgets.VBox(
            [
                ipywidgets.HBox(
                    [
                        self.slider,
                        with_class(
                            ipywidgets.Label(explanation), f"{self._class_prefix}-explanation"
                        ),
                    ]
                ),
                self.figure_output,
            ]
        )
        self.slider.observe(self._on_value_change, names="value")
        self._show(slider.value)

    @property
    def correlation(self):
        """Correlation between the shown truth and its estimate; None when undefined."""
        return self.setting.correlation

    @property
    def correlation_text(self):
        """The correlation as the figure gives it, for example ``"Correlation: 0.91"``."""
        return self.view.correlation_text

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _setting(self, value):
        # Each setting is computed once: going back to a slider position is instant.
        if value not in self._settings:
            self._settings[value] = self._compute(value)
        return self._settings[value]

    def _on_value_change(self, change):
        self._show(change["new"])

    def _show(self, value):
        self.setting = self._setting(value)
        self.view.show(self.setting)
        show_png(
            self.figure_output,
            self.view.render_png(),
            f"<{self._name} figure: {self._describe(self.setting)}>",
        )

    def _compute(self, value):
        raise NotImplementedError

    def _make_view(self, setting):
        raise NotImplementedError

    def _describe(self, setting):
        raise NotImplementedError


def slider(
    widget_class, value, value_range, description, *, width="400px", while_dragged=True, **options
):
    """A demo's slider over ``value_range`` (min, max, step), updating while dragged.

    With ``value_range=None`` the positions are the ``options`` of a selection slider.
    With ``while_dragged=False`` it updates when released, for a change that
    takes longer than a drag allows (a new simulation).
    """
    bounds = {}
    if value_range is not None:
        low, high, step = value_range
        bounds = {"min": low, "max": high, "step": step}
    return widget_class(
        value=value,
        **bounds,
        description=description,
        continuous_update=while_dragged,
        layout=ipywidgets.Layout(width=width),
        **options,
    )
