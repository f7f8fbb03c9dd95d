"""What a command can fail with, and the exit code each failure ends with.

Every stage raises one of these with a message for people; the commands print
the message and exit with its code, so no failure a user can cause becomes a
traceback. (Problems in catalogue files are not errors: they are collected as
`contract.problems.Problem` records and reported all at once.)
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_PROBLEMS = 1  # the catalogue has errors, or a build or export could not finish
EXIT_USAGE = 2  # the command was given something it cannot use
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report it


class Failed(Exception):
    """A failure with a message for people; `exit_code` says how the command ends."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(Failed):
    """The command cannot use what it was given: a missing folder, a bad id, an unknown revision."""

    exit_code = EXIT_USAGE


class SettingsError(Failed):
    """mkdocs.yml cannot be read; the message names the file (and line and column)."""


class BuildFailed(Failed):
    """The build stopped; the message says why. The previous output is untouched."""


class SiteFailed(BuildFailed):
    """MkDocs refused the configuration or a page."""


class IndexFailed(BuildFailed):
    """Pagefind failed to index the site."""


class OpenDataError(BuildFailed):
    """A refusal to write an open-data file (a path outside the output, a path claimed twice)."""


class ExportRefused(Failed):
    """`microcred export` wrote nothing; exit 2 for a bad target, 1 for a catalogue with errors."""

    exit_code = EXIT_USAGE


class DiffError(UsageError):
    """The base revision of `microcred diff` cannot be read."""


class ScaffoldError(UsageError):
    """Something the user can fix in `microcred new`: a bad id, an existing file, a value not allowed."""
