"""``python -m hotspots`` runs the CLI."""

from hotspots.cli import main

main()
