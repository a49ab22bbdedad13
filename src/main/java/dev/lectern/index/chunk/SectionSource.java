package dev.lectern.index.chunk;

/** One stored section of a chapter, the unit the chunker splits: its number, title, anchor and Markdown body. */
public record SectionSource(int number, String title, String anchor, String markdown) {}
