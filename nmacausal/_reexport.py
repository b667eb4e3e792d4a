"""A package that offers its modules' public names as its own, found rather than listed.

``nmacausal.model``, ``nmacausal.plotting`` and ``nmacausal.widgets`` each hold one
module per method or per figure family; each module's ``__all__`` is its public
surface. The package re-exports every module's ``__all__``, so a tutorial's new
module (``model/regression.py``, say) is importable from the package, and from
``nmacausal`` itself, without editing a shared list.
"""

from __future__ import annotations

import importlib
import pkgutil

__all__ = ["reexport_modules"]


def reexport_modules(package_name, package_path, namespace) -> list[str]:
    """Import every public module of a package and copy each one's ``__all__`` into it.

    Parameters
    ----------
    package_name : str
        The package's ``__name__``.
    package_path : list of str
        The package's ``__path__``.
    namespace : dict
        The package's ``globals()``, which receives the names.

    Returns
    -------
    list of str
        Every name re-exported, sorted: the package's ``__all__``.

    Raises
    ------
    ImportError
        If two modules export the same name (one would hide the other).
    """
    exported = {}
    for info in sorted(pkgutil.iter_modules(package_path), key=lambda info: info.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package_name}.{info.name}")
        for name in module.__all__:
            if name in exported:
                raise ImportError(
                    f"{package_name}.{info.name} and {package_name}.{exported[name]} both "
                    f"export {name!r}"
                )
            exported[name] = info.name
            namespace[name] = getattr(module, name)
    return sorted(exported)
