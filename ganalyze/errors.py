"""The one exception type that means "the user gave us something we cannot use".

Library code raises :class:`GanalyzeError` with a message that names the parameter,
what was passed and what is allowed. The CLI turns it into one line on stderr and exit
code 2; anything else is a bug and keeps its traceback.
"""


class GanalyzeError(Exception):
    """Bad input from the user (a file, a column, an option). Message is one line."""


def install_warning_handler(stream=None) -> None:
    """Show every Python warning as one line ``ganalyze: warning: <message>`` on ``stream``
    (default: stderr); no file names, line numbers or source lines.

    The CLI installs it at start-up, so a user sees what the library warns about (a torn part,
    a skipped sample grid, values read as overflow) and never a raw ``RuntimeWarning`` block.
    """
    import sys
    import warnings

    def show(message, category, filename, lineno, file=None, line=None):  # noqa: ARG001 - warnings.showwarning signature
        print(warning_line(message, category), file=stream or sys.stderr, flush=True)

    warnings.showwarning = show   # Python's filters stay: each message once per place, deprecations hidden


def warning_line(message, category=UserWarning) -> str:
    """The one form a warning takes for the user: ``ganalyze: warning: <text>`` on one line (the
    category named unless it is a plain UserWarning)."""
    text = " ".join(str(message).split())
    if category is not UserWarning and not text.startswith(category.__name__):
        text = f"{text} ({category.__name__})"
    return f"ganalyze: warning: {text}"
