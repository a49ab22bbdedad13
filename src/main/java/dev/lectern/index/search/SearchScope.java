package dev.lectern.index.search;

import dev.lectern.index.vector.VectorFilter;

/**
 * A search's filters resolved to ids, and whether the caller sees drafts: the vector index filters on the ids,
 * Postgres (full text, hydration) on the same ids.
 */
record SearchScope(VectorFilter vector, boolean drafts) {}
