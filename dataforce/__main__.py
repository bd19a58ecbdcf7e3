"""``python -m dataforce``: the ``dataforce`` command, for when the console script is not
on ``PATH`` (a virtualenv that is not activated, ``pipx run``, an unusual install)."""

from dataforce.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
