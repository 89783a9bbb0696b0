"""Stage 3, the graph: extraction records to RDF (IRIs, named graphs, canonical files), checked with SHACL."""
