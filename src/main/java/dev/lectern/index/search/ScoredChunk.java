package dev.lectern.index.search;

import java.util.UUID;

/** A hit before hydration: a chunk and its score in one ranking (dense, full-text or fused). */
record ScoredChunk(UUID id, double score) {}
