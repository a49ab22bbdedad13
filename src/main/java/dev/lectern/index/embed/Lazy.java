package dev.lectern.index.embed;

import java.util.function.Supplier;

/** A value built once, on first use, by whichever thread needs it first (the native model parts are slow to load). */
final class Lazy<T> implements Supplier<T> {

    private final Supplier<T> factory;
    private volatile T value;

    Lazy(Supplier<T> factory) {
        this.factory = factory;
    }

    @Override
    public T get() {
        T current = value;
        if (current == null) {
            synchronized (this) {
                current = value;
                if (current == null) {
                    current = factory.get();
                    value = current;
                }
            }
        }
        return current;
    }

    /** The value if it has been built, else null. */
    T ifLoaded() {
        return value;
    }
}
