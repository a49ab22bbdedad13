package dev.lectern.index.vector;

import java.util.UUID;

/** A search result: the chunk id and its cosine similarity to the query (higher is closer). */
public record VectorHit(UUID id, double score) {}
