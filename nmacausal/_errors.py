"""The exception a user can act on, shared by the library and the command line."""


class ActionableError(Exception):
    """A failure the user can fix; its message says how, in one line.

    The ``nmacausal`` command prints the message of these errors, and nothing
    else, before exiting with a non-zero status. Any other exception is a bug
    and keeps its traceback.
    """
