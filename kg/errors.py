"""Errors a user can cause, each with the exit code the command line gives it."""

from __future__ import annotations

#: Exit codes of the ``kg`` command, as pySHACL's command line has them.
EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
#: Ctrl-C (SIGINT), as a shell reports a command it interrupted: 128 + 2.
EXIT_INTERRUPTED = 130


class KgError(Exception):
    """A problem the user can fix: a missing file, malformed input, an unknown name.

    The command line prints ``str(error)`` on one line and exits with ``exit_code``.
    """

    exit_code = EXIT_USAGE


class InputError(KgError):
    """A file that is missing, unreadable or malformed (Turtle, SPARQL, TOML)."""


class UnknownNameError(KgError):
    """A name (query, concept, parameter) that the project does not know."""


class CurationError(KgError):
    """A curation sheet that cannot be turned into a graph (a quote not in the source ...)."""
