"""``python -m nmacausal``: the same as the ``nmacausal`` command."""

import sys

from .cli import main

sys.exit(main())
