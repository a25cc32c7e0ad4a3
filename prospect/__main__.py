"""Run the command line as ``python -m prospect``."""

from prospect.cli import main

main()
