"""``python -m hubport.entrypoints``: the same as the ``hubport`` command."""

from hubport.entrypoints.cli import main

main()
