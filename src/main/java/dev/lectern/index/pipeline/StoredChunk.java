package dev.lectern.index.pipeline;

import java.util.UUID;

/** A chunk row as the indexer sees it: identity, position, hash and the stored vector (null until embedded). */
record StoredChunk(
        UUID id, int ordinal, int sectionNumber, String contentHash, float[] embedding, String embeddingModel) {}
