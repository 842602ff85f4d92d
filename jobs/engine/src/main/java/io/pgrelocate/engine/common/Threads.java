package io.pgrelocate.engine.common;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/** N worker threads of one body, waited for together. */
public final class Threads {
    private Threads() {
    }

    /** Runs {@code body.accept(i)} for i in 0..n-1 on threads named {@code name-1} … {@code name-n}; returns when all have ended. */
    public static void runAll(int n, String name, IntConsumer body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread t = new Thread(() -> body.accept(index), name + "-" + (i + 1));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
