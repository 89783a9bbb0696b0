"""Static assets served or inlined by ftz-kg (vendored JavaScript, CSS)."""
