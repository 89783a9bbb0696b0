"""The SPARQL endpoint, query editor and question endpoint over a build's store (``ftz-kg serve``)."""
