"""The one exception type that means "the user gave us something we cannot use".

Library code raises :class:`GanalyzeError` with a message that names the parameter,
what was passed and what is allowed. The CLI turns it into one line on stderr and exit
code 2; anything else is a bug and keeps its traceback.
"""


class GanalyzeError(Exception):
    """Bad input from the user (a file, a column, an option). Message is one line."""
