"""Source documents: loading, cleaning, structure, catalogue and the bilingual layer."""
