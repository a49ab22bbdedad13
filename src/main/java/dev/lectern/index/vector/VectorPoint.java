package dev.lectern.index.vector;

import java.util.List;
import java.util.UUID;

/**
 * One chunk's vector and the payload it is filtered on. {@code id} is the chunk id; adapters derive their point id
 * from it deterministically so an upsert of the same chunk is idempotent.
 */
public record VectorPoint(
        UUID id,
        float[] vector,
        UUID bookId,
        UUID chapterId,
        int sectionNumber,
        String difficulty,
        String language,
        List<String> outcomeCodes) {}
