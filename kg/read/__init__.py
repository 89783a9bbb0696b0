"""Stage 1, reading: files of any supported format to normalised :class:`kg.model.Document` records."""
