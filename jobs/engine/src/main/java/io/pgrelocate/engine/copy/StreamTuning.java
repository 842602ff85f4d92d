package io.pgrelocate.engine.copy;

/**
 * The stream strategy's knobs. The defaults are what the bench measured best; the environment
 * overrides exist so bench/run.sh can measure the alternatives in one run.
 *
 * @param splitBytes tables larger than this (on disk) are copied as ranges by several workers
 * @param binary     binary COPY where every column's type is built in (else always text)
 * @param freeze     COPY FREEZE after TRUNCATE in the same transaction for tables loaded whole
 * @param digestMinBytes tables from this size on are digested from the stream for the proof; smaller ones cost
 *                   the verification one statement per hundred in SQL, reading them back one COPY each would cost more
 */
public record StreamTuning(long splitBytes, boolean binary, boolean freeze, long digestMinBytes) {
    public static final StreamTuning DEFAULT = new StreamTuning(64L << 20, true, true);

    public StreamTuning(long splitBytes, boolean binary, boolean freeze) {
        this(splitBytes, binary, freeze, 1L << 20);
    }

    public StreamTuning {
        if (splitBytes < 1) {
            throw new IllegalArgumentException("split threshold must be positive");
        }
    }

    /** DEFAULT, with PGRELOCATE_STREAM_SPLIT_MB, PGRELOCATE_STREAM_BINARY and PGRELOCATE_STREAM_FREEZE where set. */
    public static StreamTuning fromEnvironment() {
        String split = System.getenv("PGRELOCATE_STREAM_SPLIT_MB");
        String binary = System.getenv("PGRELOCATE_STREAM_BINARY");
        String freeze = System.getenv("PGRELOCATE_STREAM_FREEZE");
        return new StreamTuning(split == null ? DEFAULT.splitBytes : Long.parseLong(split.trim()) << 20,
                binary == null ? DEFAULT.binary : Boolean.parseBoolean(binary.trim()),
                freeze == null ? DEFAULT.freeze : Boolean.parseBoolean(freeze.trim()));
    }
}
