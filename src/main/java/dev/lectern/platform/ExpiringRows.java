package dev.lectern.platform;

import java.util.List;

/**
 * A feature's tables whose rows expire, for {@link ExpiryPurge}: the owner of a table says what "expired" means for
 * it, the purge says how they are deleted. Implemented by the stores of those features (CDI beans), the way features
 * contribute to the GDPR export.
 */
public interface ExpiringRows {

    /**
     * @param table the table
     * @param keyColumns its primary key, one column or several ({@code "user_id, key"})
     * @param expired the SQL condition of an expired row (using {@code expires_at}, by which the purge orders)
     */
    record Table(String table, String keyColumns, String expired) {}

    List<Table> expiringTables();
}
