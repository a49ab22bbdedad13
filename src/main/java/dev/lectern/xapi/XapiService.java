package dev.lectern.xapi;

import dev.lectern.platform.Cursor;
import dev.lectern.platform.Page;
import dev.lectern.xapi.XapiViews.XapiStatementView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The learner's own xAPI statements, queued and delivered, newest first. */
@ApplicationScoped
public class XapiService {

    private static final String CURSOR = "xapi-statements";

    private final XapiStore store;
    private final XapiStatements statements;

    public XapiService(XapiStore store, XapiConfig config) {
        this.store = store;
        this.statements = XapiStatements.of(config);
    }

    /** One statement whatever the page size; the (timestamp, id) of the last row is the cursor. */
    public Uni<Page<XapiStatementView>> list(UUID userId, int limit, String cursor) {
        OffsetDateTime afterTime = null;
        UUID afterId = null;
        if (cursor != null) {
            List<String> key = Cursor.decode(cursor, CURSOR, 2);
            afterTime = Cursor.timestampKey(key.get(0));
            afterId = Cursor.uuidKey(key.get(1));
        }
        return store.list(userId, afterTime, afterId, limit + 1)
                .map(rows -> Page.of(
                        rows,
                        limit,
                        this::view,
                        s -> Cursor.encode(
                                CURSOR, s.facts().occurredAt(), s.facts().id())));
    }

    private XapiStatementView view(XapiStore.Stored s) {
        return new XapiStatementView(
                s.facts().id(),
                XapiViews.StatementStatus.valueOf(s.status()),
                s.deliveredAt(),
                statements.render(s.facts()));
    }
}
