package io.pgrelocate.engine.copy;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Passes bytes on and counts them: the size of a dump that is streamed rather than kept. */
final class ByteCounter extends FilterOutputStream {
    private long count;

    ByteCounter(OutputStream sink) {
        super(sink);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        count += len;
    }

    long count() {
        return count;
    }
}
