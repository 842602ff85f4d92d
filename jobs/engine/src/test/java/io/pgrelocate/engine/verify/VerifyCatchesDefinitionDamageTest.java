package io.pgrelocate.engine.verify;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damage to definitions that leaves every name in place, each on its own copy of a verified target:
 * caught, named, both definitions shown. (The reproduction: a column that lost its
 * DEFAULT nextval(…) passed verify.)
 */
class VerifyCatchesDefinitionDamageTest {
    private static VerifiedCopies copies;

    @BeforeAll
    static void migrateOnce() {
        copies = VerifiedCopies.migrate("def");
    }

    private Difference onlyDifferenceAfter(String damage) {
        VerifyResult r = copies.verifyAfter(damage);
        assertThat(r.differences()).hasSize(1);
        return r.differences().get(0);
    }

    @Test
    void droppedDefault() {
        Difference d = onlyDifferenceAfter("ALTER TABLE public.orders ALTER COLUMN id DROP DEFAULT");
        assertThat(d.describe()).isEqualTo("column public.orders.id: source definition integer NOT NULL "
                + "DEFAULT nextval('public.orders_id_seq'::regclass), target definition integer NOT NULL");
    }

    @Test
    void changedCheck() {
        Difference d = onlyDifferenceAfter("ALTER TABLE public.orders DROP CONSTRAINT orders_status_check, "
                + "ADD CONSTRAINT orders_status_check CHECK (status IN ('new', 'paid', 'shipped', 'lost'))");
        assertThat(d.kind()).isEqualTo("constraint");
        assertThat(d.object()).isEqualTo("public.orders.orders_status_check");
        assertThat(d.source()).startsWith("definition CHECK").doesNotContain("'lost'");
        assertThat(d.target()).startsWith("definition CHECK").contains("'lost'");
    }

    @Test
    void droppedNotNull() {
        Difference d = onlyDifferenceAfter("ALTER TABLE public.orders ALTER COLUMN ordered_at DROP NOT NULL");
        assertThat(d.describe()).isEqualTo("column public.orders.ordered_at: source definition timestamp without time zone NOT NULL, "
                + "target definition timestamp without time zone");
    }

    @Test
    void changedColumnType() {
        Difference d = onlyDifferenceAfter("ALTER TABLE public.audit_log ALTER COLUMN op TYPE varchar(10)");
        assertThat(d.describe()).isEqualTo("column public.audit_log.op: source definition text NOT NULL, "
                + "target definition character varying(10) NOT NULL");
    }

    @Test
    void indexRebuiltOnAnotherColumn() {
        Difference d = onlyDifferenceAfter("DROP INDEX public.orders_customer_idx; CREATE INDEX orders_customer_idx ON public.orders (ordered_at)");
        assertThat(d.describe()).isEqualTo("index public.orders_customer_idx: source definition USING btree (customer_id), "
                + "target definition USING btree (ordered_at)");
    }

    @Test
    void changedFunctionBody() {
        Difference d = onlyDifferenceAfter("CREATE OR REPLACE FUNCTION public.add_vat(amount numeric, rate numeric DEFAULT 0.081) "
                + "RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT round(amount * (1 + rate), 1)'");
        assertThat(d.kind()).isEqualTo("function");
        assertThat(d.object()).isEqualTo("public.add_vat(amount numeric, rate numeric)");
        assertThat(d.target()).contains("round(amount * (1 + rate), 1)");
        assertThat(d.source()).doesNotContain(", 1)");
    }

    @Test
    void aTableDifferenceNamesExampleKeys() {
        Difference d = onlyDifferenceAfter("ALTER TABLE public.audit_log DISABLE TRIGGER USER; DELETE FROM public.audit_log WHERE id = 1;"
                + "UPDATE public.audit_log SET op = op || '!' WHERE id = 2");
        assertThat(d.object()).isEqualTo("public.audit_log");
        assertThat(d.target()).endsWith("; e.g. key (1) missing on the target, (2) differs");
    }
}
