"""argparse in Dutch: usage, help and error texts for the command lines (`python -m etl`,
and any other Stuurbord command that builds its parser with `DutchParser`).

argparse has no Dutch translation, and installing a gettext catalogue would change
argparse for the whole process. So the parser sets its own titles and help option,
and translates argparse's English error messages (Python 3.11) in `error`. A message
not in the table stays English rather than becoming wrong Dutch.
"""
from __future__ import annotations

import argparse
import re
import sys

# (English pattern, Dutch replacement): argparse's messages, applied in order
_MESSAGES = (
    (r"the following arguments are required: (.*)", r"deze argumenten ontbreken: \1"),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"ongeldige keuze: \1 (kies uit \2)"),
    (r"invalid int value: (.*)", r"geen geheel getal: \1"),
    (r"invalid float value: (.*)", r"geen getal: \1"),
    (r"invalid (\w+) value: (.*)", r"ongeldige waarde: \2"),
    (r"unrecognized arguments: (.*)", r"onbekende argumenten: \1"),
    (r"expected one argument", r"verwacht één waarde"),
    (r"expected at least one argument", r"verwacht minstens één waarde"),
    (r"expected at most one argument", r"verwacht hoogstens één waarde"),
    (r"ambiguous option: (.*) could match (.*)", r"optie \1 is niet eenduidig: bedoelt u \2?"),
    (r"one of the arguments (.*) is required", r"een van de argumenten \1 is verplicht"),
    (r"not allowed with argument (.*)", r"niet samen met argument \1"),
    (r"ignored explicit argument (.*)", r"waarde \1 genegeerd"),
)


def dutch(message: str) -> str:
    """An argparse error message in Dutch (unchanged when it is not one argparse writes)."""
    for pattern, replacement in _MESSAGES:
        message, count = re.subn(pattern, replacement, message, count=1)
        if count:
            break
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


class DutchParser(argparse.ArgumentParser):
    """ArgumentParser with Dutch usage, section titles, help option and error messages;
    subparsers made with `add_subparsers().add_parser` are Dutch too."""

    def __init__(self, *args, add_help: bool = True, parents=(), **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="deze hulp tonen en stoppen")
        for parent in parents:  # after the titles, so that the parents' options join "opties"
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {dutch(message)}\n")
