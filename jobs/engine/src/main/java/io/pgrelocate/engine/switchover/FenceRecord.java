package io.pgrelocate.engine.switchover;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a fence changed on the source database, so that lifting it restores exactly what was there:
 * the CONNECT grants it revoked, the grant it gave the tool's own role, the database's previous
 * {@code default_transaction_read_only} setting and its previous comment (the record lives in the
 * comment itself, see {@link Fence}). Holds role names only, never a secret.
 *
 * @param readOnlyBefore the database's own setting before the fence ({@code on}/{@code off}), null when it had none
 * @param toolGrant      the tool's role, when the fence granted it CONNECT so that it can still connect
 * @param mysql          a MySQL/MariaDB source's fence, as its summary line (its record lives on that server); null for PostgreSQL
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FenceRecord(String database, Instant raisedAt, String raisedBy, List<Grant> revoked, String toolGrant,
                          String readOnlyBefore, String commentBefore, String mysql) {
    static final String PREFIX = "pgrelocate-fence: ";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** One CONNECT grant: {@code PUBLIC} or a role, with or without grant option. */
    public record Grant(String grantee, boolean grantable) {
        String sqlGrantee() {
            return grantee.equals("PUBLIC") ? "PUBLIC" : io.pgrelocate.engine.postgres.Db.quoteIdent(grantee);
        }

        @Override
        public String toString() {
            return grantee + (grantable ? " (with grant option)" : "");
        }
    }

    public FenceRecord {
        revoked = List.copyOf(revoked);
    }

    /** A PostgreSQL source's fence. */
    public FenceRecord(String database, Instant raisedAt, String raisedBy, List<Grant> revoked, String toolGrant,
                       String readOnlyBefore, String commentBefore) {
        this(database, raisedAt, raisedBy, revoked, toolGrant, readOnlyBefore, commentBefore, null);
    }

    /** What the applications' ledger keeps of a MySQL/MariaDB source's fence, so that a rollback knows to lift it. */
    public static FenceRecord ofMysql(String database, Instant raisedAt, String raisedBy, String summary) {
        return new FenceRecord(database, raisedAt, raisedBy, List.of(), null, null, null, summary);
    }

    /** One line for logs, the ledger and the report. */
    public String summary() {
        if (mysql != null) {
            return mysql;
        }
        return "database " + database + " fenced at " + raisedAt + " by " + raisedBy + ": default_transaction_read_only=on, CONNECT revoked from "
                + (revoked.isEmpty() ? "nobody" : revoked.stream().map(Grant::toString).reduce((a, b) -> a + ", " + b).orElseThrow());
    }

    /**
     * Writes and reads one record, so that loading Jackson's serializers (most of a second on a busy
     * machine) happens before the freeze rather than inside the write window.
     */
    static void warmUp() {
        fromComment(new FenceRecord("warm-up", Instant.EPOCH, "nobody", List.of(new Grant("PUBLIC", false)), null, null, null).toComment());
    }

    String toComment() {
        try {
            return PREFIX + JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record a database comment holds, if it is one. */
    static Optional<FenceRecord> fromComment(String comment) {
        if (comment == null || !comment.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(comment.substring(PREFIX.length()), FenceRecord.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the fence record in the database comment is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
