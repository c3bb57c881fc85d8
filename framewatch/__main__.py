"""``python -m framewatch``: the same as the ``framewatch`` command."""
from framewatch.cli import main

main()
