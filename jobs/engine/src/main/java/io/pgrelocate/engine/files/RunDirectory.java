package io.pgrelocate.engine.files;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One run's private directory, {@code pgrelocate-<random>} inside the work directory the user
 * names (its parent): mode 0700, created atomically so two runs never share one, locked while the
 * run holds it (a cleanup script can tell a live run from a leftover), and removed at the end.
 * The run removes only this directory, never the parent nor anything it did not create.
 *
 * <p>The parent must be safe: a world-writable parent without the sticky bit, or one owned by
 * another user (other than root), lets someone else rename the run's directory and slip in their
 * own, where the pgpass file would then be written.
 */
public final class RunDirectory implements AutoCloseable {
    private static final int OTHERS_WRITE = 0002;
    private static final int STICKY = 01000;
    private static final int ROOT = 0;
    private static volatile boolean sharedParentAllowed;

    private final Path path;
    private final FileChannel lockFile;
    private final FileLock lock;

    private RunDirectory(Path path, FileChannel lockFile, FileLock lock) {
        this.path = path;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /**
     * For the Jobs' pods: Kubernetes makes an emptyDir 0777 (2777 with fsGroup) and only the job's
     * own user runs there, so a world-writable parent without the sticky bit is no risk in a pod.
     */
    public static void allowWorldWritableParent() {
        sharedParentAllowed = true;
    }

    /** Creates the run's directory in {@code parent} (created 0700 if missing); throws exit 2 on an unsafe parent. */
    public static RunDirectory create(Path parent) {
        try {
            if (!Files.exists(parent)) {
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            checkParent(parent);
            Path dir = Files.createTempDirectory(parent, "pgrelocate-");  // 0700, a fresh random name
            FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new RunDirectory(dir, channel, channel.lock());
        } catch (IOException e) {
            throw new EngineException(ExitCode.BAD_SETTINGS, "work directory " + parent + ": cannot create this run's directory: "
                    + e.getMessage() + "; choose another with --work-dir (PGRELOCATE_WORK_DIR)", e);
        }
    }

    /** Refuses (exit 2) a parent that is not a writable directory, or that others could tamper with. */
    public static void checkParent(Path parent) {
        String fix = "; choose another with --work-dir (PGRELOCATE_WORK_DIR)";
        if (!Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw new EngineException(ExitCode.BAD_SETTINGS, "work directory " + parent
                    + (Files.exists(parent) ? " is not a directory this user can write to" : " does not exist") + fix);
        }
        try {
            int mode = (Integer) Files.getAttribute(parent, "unix:mode");
            int owner = (Integer) Files.getAttribute(parent, "unix:uid");
            int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if ((mode & OTHERS_WRITE) != 0 && (mode & STICKY) == 0 && !sharedParentAllowed) {
                throw new EngineException(ExitCode.BAD_SETTINGS, "work directory " + parent + " is writable by every user "
                        + "and has no sticky bit, so another user could replace this run's files (chmod o-w or +t)" + fix);
            }
            if (owner != self && owner != ROOT) {
                throw new EngineException(ExitCode.BAD_SETTINGS, "work directory " + parent + " belongs to another user (uid "
                        + owner + "), who could replace this run's files" + fix);
            }
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            // not a POSIX file system with unix attributes: only the writability check applies
        }
    }

    public Path path() {
        return path;
    }

    /** Releases the lock and removes the directory with everything in it (the dump, lists, pgpass). */
    @Override
    public void close() {
        try {
            lock.release();
            lockFile.close();
        } catch (IOException ignored) {
            // closing a lock on a file about to be deleted: nothing to do
        }
        Directories.deleteRecursively(path);
    }
}
