package io.pgrelocate.engine.rollback;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.verify.SequenceState;
import io.pgrelocate.engine.verify.SnapshotReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * What the target took since the switch, counted with the target fenced (its sessions ended, so
 * their statistics are flushed): per table the row changes since the {@link SwitchPoint}, and the
 * sequences that moved past the fenced source's (which stood still since the switch). Without a
 * switch point every table is named: nothing proves it unchanged.
 *
 * @param tables    {@code schema.table (N row changes)}
 * @param sequences {@code schema.sequence (source X, target Y)}
 */
public record TargetWrites(List<String> tables, List<String> sequences) {

    public static TargetWrites since(SwitchPoint point, Db source, Db target, ObjectFilter filter) {
        List<String> tables = new ArrayList<>();
        for (Map.Entry<String, Long> now : SwitchPoint.changesNow(target).entrySet()) {
            Long before = point == null ? null : point.changes().get(now.getKey());
            if (before == null) {
                tables.add(now.getKey() + (point == null ? " (no switch point recorded)" : " (created since the switch)"));
            } else if (!before.equals(now.getValue())) {
                tables.add(now.getKey() + " (" + Math.abs(now.getValue() - before) + " row change(s))");
            }
        }
        SortedMap<String, SequenceState> onSource = new SnapshotReader(source, filter, line -> { }).sequences();
        SortedMap<String, SequenceState> onTarget = new SnapshotReader(target, filter, line -> { }).sequences();
        List<String> sequences = new ArrayList<>();
        onTarget.forEach((name, state) -> {
            SequenceState was = onSource.get(name);
            if (!Objects.equals(was, state)) {
                sequences.add(name + " (source " + (was == null ? "none" : was.lastValue()) + ", target " + state.lastValue() + ")");
            }
        });
        return new TargetWrites(List.copyOf(tables), List.copyOf(sequences));
    }

    public boolean none() {
        return tables.isEmpty() && sequences.isEmpty();
    }

    /** E.g. {@code table(s) public.orders (3 row changes); sequence(s) public.orders_id_seq (source 10, target 13)}. */
    public String line() {
        List<String> parts = new ArrayList<>();
        if (!tables.isEmpty()) {
            parts.add("table(s) " + String.join(", ", tables));
        }
        if (!sequences.isEmpty()) {
            parts.add("sequence(s) " + String.join(", ", sequences));
        }
        return String.join("; ", parts);
    }
}
