"""Data package: the ontology, lexicon, SHACL shapes and extraction patterns (Turtle/TOML)."""
