package dev.lectern.index.chunk;

/** Counts tokens the way the embedding model's tokenizer does (chunk sizes are bounded in these tokens). */
@FunctionalInterface
public interface TokenCounter {

    int count(String text);
}
