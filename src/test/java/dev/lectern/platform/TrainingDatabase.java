package dev.lectern.platform;

import dev.lectern.support.AsAdmin;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * A scratch database and the tests' bootstrap admin key for the packaged application that {@link AotTrainingIT} starts: the
 * launcher passes these to it as system properties, so the run migrates and uses its own database and leaves nothing.
 */
public final class TrainingDatabase implements QuarkusTestResourceLifecycleManager {

    private ScratchDatabase database;

    @Override
    public Map<String, String> start() {
        try {
            database = ScratchDatabase.create("aot");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the training database", e);
        }
        return Map.of(
                "DATABASE_URL",
                "postgres://postgres@localhost:5432/" + database.name(),
                "lectern.auth.admin-api-key",
                AsAdmin.ADMIN_KEY);
    }

    @Override
    public void stop() {
        if (database != null) {
            try {
                database.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot drop the training database " + database.name(), e);
            }
        }
    }
}
