package io.pgrelocate.engine.verify;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each kind of damage, on its own copy of a correctly migrated target ({@link VerifiedCopies}), is caught and named.
 */
class VerifyCatchesDamageTest {
    private static VerifiedCopies copies;

    @BeforeAll
    static void migrateOnce() {
        copies = VerifiedCopies.migrate("dmg");
    }

    private VerifyResult verifyAfter(String damage) {
        return copies.verifyAfter(damage);
    }

    @Test
    void deletedRow() {
        VerifyResult r = verifyAfter("DELETE FROM public.raw_events WHERE ctid = (SELECT min(ctid) FROM public.raw_events)");
        assertThat(r.differences()).containsExactly(new Difference("table", "public.raw_events", "23 rows", "22 rows"));
    }

    @Test
    void changedValue() {
        VerifyResult r = verifyAfter("""
                ALTER TABLE inventory.items DISABLE TRIGGER USER;
                UPDATE inventory.items SET name = name || '!' WHERE ctid = (SELECT min(ctid) FROM inventory.items)""");
        assertThat(r.differences()).singleElement().satisfies(d -> {
            assertThat(d.object()).isEqualTo("inventory.items");
            assertThat(d.target()).contains("same row count, values differ");
        });
    }

    @Test
    void wrongSequenceValue() {
        VerifyResult r = verifyAfter("SELECT setval('public.ticket_no_seq', 1)");
        assertThat(r.differences()).containsExactly(new Difference("sequence", "public.ticket_no_seq",
                "last_value=1056, is_called=true", "last_value=1, is_called=true"));
    }

    @Test
    void missingIndex() {
        VerifyResult r = verifyAfter("DROP INDEX \"Ünïcode Schema\".\"Índice Spaced\"");
        assertThat(r.differences()).containsExactly(
                new Difference("index", "Ünïcode Schema.Índice Spaced", "present", "absent"));
    }

    @Test
    void missingLargeObject() {
        VerifyResult r = verifyAfter("SELECT lo_unlink(424242)");
        assertThat(r.differences()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo("large object");
            assertThat(d.object()).isEqualTo("424242");
            assertThat(d.target()).isEqualTo("absent");
        });
    }

    @Test
    void missingExtension() {
        VerifyResult r = verifyAfter("DROP EXTENSION pgcrypto CASCADE");
        assertThat(r.differences()).extracting(Difference::describe)
                .contains("extension pgcrypto: source version 1.3, target absent");
    }
}
