package io.pgrelocate.engine.verify;

/** A sequence's position: what nextval will continue from. */
public record SequenceState(long lastValue, boolean isCalled) {
    @Override
    public String toString() {
        return "last_value=" + lastValue + ", is_called=" + isCalled;
    }
}
