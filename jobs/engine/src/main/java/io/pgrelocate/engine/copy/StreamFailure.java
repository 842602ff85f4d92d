package io.pgrelocate.engine.copy;

/** A step of the stream strategy failed: names the step (the table, the index) and keeps the server's message. */
final class StreamFailure extends RuntimeException {
    private final String step;

    StreamFailure(String step, Throwable cause) {
        super(step + " failed: " + cause.getMessage(), cause);
        this.step = step;
    }

    String step() {
        return step;
    }
}
