"""The command line's one exception: a problem the person can fix, printed without a traceback."""


class CommandError(Exception):
    pass
