package dev.lectern.index.search;

import dev.lectern.index.search.SearchViews.Hit;

/**
 * A hydrated hit with what diversifying (its stored vector, null unless it was asked for) and context packs (hash,
 * tokens, position) need.
 */
record Candidate(Hit hit, float[] embedding, String contentHash, int tokenCount, int ordinal) {

    /** The same candidate ranked with another score. */
    Candidate withScore(double score) {
        return new Candidate(hit.withScore(score), embedding, contentHash, tokenCount, ordinal);
    }
}
