"""Data package: the saved SPARQL queries (*.rq)."""
