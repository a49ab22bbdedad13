package dev.lectern.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Counts the SQL statements Hibernate sends while a block runs, by listening to the {@code org.hibernate.SQL}
 * logger (DEBUG in the test profile). Tests use it to prove list endpoints have no N+1.
 */
public final class SqlStatements {

    private SqlStatements() {}

    public static List<String> during(Runnable action) {
        List<String> statements = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger("org.hibernate.SQL");
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                statements.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
        try {
            action.run();
        } finally {
            logger.removeHandler(handler);
        }
        return new ArrayList<>(statements);
    }
}
