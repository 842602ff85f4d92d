package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** A PostgreSQL source's fence behind the window's port: {@link Fence} on a session of the tool's role. */
public final class PostgresFence implements SourceFence {
    private final ConnectionSpec source;
    private final Fence fence;
    private Db session;

    public PostgresFence(ConnectionSpec source, Consumer<String> out, Clock clock) {
        this.source = source;
        this.fence = new Fence(out, clock);
    }

    @Override
    public Optional<String> missingPrivilege() {
        try (Db db = Db.connect(source)) {
            return Fence.missingPrivilege(db);
        }
    }

    @Override
    public List<String> plan() {
        try (Db db = Db.connect(source)) {
            return Fence.plan(db);
        }
    }

    @Override
    public Raised raise() {
        session = Db.connect(source);
        FenceRecord record = fence.raise(session, Set.of(session.<Integer>one("SELECT pg_backend_pid()", rs -> rs.getInt(1))));
        return new Raised(record.summary(), record);
    }

    @Override
    public void confirm() {
        fence.confirm(session);
    }

    @Override
    public String stillPossible() {
        return Fence.stillPossible();
    }

    @Override
    public String position() {
        return session.text("SELECT pg_current_wal_lsn()::text");
    }

    @Override
    public SourceMarker marker(ObjectFilter filter, Instant at) {
        return SourceMarker.take(session, filter, at);
    }

    @Override
    public Optional<String> lift() {
        if (session == null) {
            return Optional.empty(); // raise never reached the source: nothing to lift
        }
        try (Db fresh = Db.connect(source)) {
            return fence.lift(fresh).map(FenceRecord::summary);
        }
    }

    @Override
    public String liftCommand() {
        return "pgrelocate rollback --source postgresql://" + source.display();
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
    }
}
