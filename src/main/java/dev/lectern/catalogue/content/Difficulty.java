package dev.lectern.catalogue.content;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How demanding a chapter is; stored as its lower-case name (CHECK constraint in V1). */
public enum Difficulty {
    BEGINNER,
    INTERMEDIATE,
    ADVANCED;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Difficulty fromCode(String code) {
        if (code == null) {
            return null;
        }
        for (Difficulty d : values()) {
            if (d.code().equals(code.trim().toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("difficulty must be one of beginner, intermediate, advanced");
    }

    @Override
    public String toString() {
        return code();
    }
}
