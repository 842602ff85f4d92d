package io.pgrelocate.controller;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A pod's log bytes written to the terminal a line at a time: decoding whole lines keeps UTF-8
 * characters intact ('\n' never occurs inside one), and each line shows as soon as it arrives.
 */
final class LogLines extends OutputStream {
    private final PrintWriter out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LogLines(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            out.println(line.toString(StandardCharsets.UTF_8));
            out.flush();
            line.reset();
        } else {
            line.write(b);
        }
    }

    /** Prints a last line that had no newline. */
    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            write('\n');
        }
    }
}
