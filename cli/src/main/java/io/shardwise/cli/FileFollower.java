package io.shardwise.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Follows files as the Kinesis Agent does, and sends their lines through a {@link LineSender}:
 * {@code put --follow} without the AWS parts, so it can be tested on its own.
 *
 * <p>Each look ({@link #pollOnce()}) finds the files the FILE_OR_GLOB arguments match, reads their
 * new complete lines, sends them, sends again the lines that failed, and checkpoints.
 * <ul>
 * <li>A file is known by its inode (the file system's file key), with the fingerprint of its first
 * bytes to tell a reused inode or a rewritten file. A file renamed (rotated) keeps its inode: it is
 * read on to its end through the channel already open, whatever its new name, while the new file
 * under the old name is a new file, read from its start.</li>
 * <li>A file that got shorter than the offset read, or whose first bytes changed, was truncated
 * (copy-truncate): it is read again from byte 0.</li>
 * <li>A file that no longer matches (renamed away, deleted) is read to its end; once a look finds
 * it unchanged its last line, even without a newline, is sent and it is closed.</li>
 * <li>The state file holds, per file, the offset just past the last line acknowledged with every
 * line before it: it is written when that offset moves, before the lines it covers are forgotten.
 * At most {@code maxUnacknowledged} lines are sent and not covered by the state file at any time:
 * after a crash, those are the only lines a restart can send a second time.</li>
 * </ul>
 * The parts: {@link FollowedFiles} knows which files are followed and in which generation,
 * {@link FollowedFile} reads one file's lines, {@link LineDelivery} sends them and takes their
 * outcomes, {@link FollowState} is the state file; this class runs the looks and the checkpoints.
 * Not thread-safe: one thread calls {@link #pollOnce()}/{@link #run()}; {@link #stop()} may come from any.
 */
final class FileFollower {

    /** Where the lines go: the producer in {@code put}, a stand-in in tests. */
    interface LineSender {
        /** Sends one line; the future completes when the stream acknowledged it, or fails. May block (backpressure). */
        CompletableFuture<?> send(String partitionKey, byte[] data);

        /** Asks for the buffered lines to go out now (at the end). */
        void flush();

        /** Whether a failure is final for that line (it breaks a limit): the line is skipped, not sent again. */
        boolean refusedForGood(Throwable failure);
    }

    /** The options of a follower. */
    record Settings(List<String> patterns, Path stateFile, int maxUnacknowledged, Duration pollInterval) {
        Settings {
            if (patterns == null || patterns.isEmpty()) {
                throw new CliException("--follow needs at least one FILE_OR_GLOB, e.g. '/var/log/app/*.log' (quoted, so"
                        + " the shell leaves the glob to shardwise and files created later are found too)");
            }
            patterns = List.copyOf(patterns);
            Objects.requireNonNull(stateFile, "stateFile");
            if (maxUnacknowledged < 1) {
                throw new CliException("--max-unacknowledged must be at least 1: got " + maxUnacknowledged);
            }
            if (pollInterval.toMillis() < 1) {
                throw new CliException("--poll-interval must be at least 1 ms: got " + pollInterval.toMillis());
            }
        }
    }

    /** What a follower did so far. */
    record Counts(int files, long sent, long acknowledged, long sentAgain, long skipped, long randomKeys) {
    }

    private static final long MAX_BYTES_PER_FILE_PER_LOOK = 4L * 1024 * 1024;
    private static final int KEY_PROBLEMS_SHOWN = 10;

    private final Settings settings;
    private final FollowState state;
    private final Closeable lock;
    private final FollowedFiles files;
    private final LineDelivery delivery;
    private final PartitionKeys keys;
    private final Consumer<String> notes;
    private final ByteBuffer buffer = ByteBuffer.allocate(FollowedFile.MAX_LINE_BYTES + 1);
    /** Notified on every acknowledgement or failure, and on {@link #stop()}. */
    private final Object progress = new Object();
    private List<FollowState.Entry> lastSaved = List.of();
    /** Lines sent whose acknowledgement the state file does not hold yet. */
    private int unacknowledged;
    private long randomKeys;
    private long lineNumber;
    private volatile boolean stopping;
    private boolean closed;

    FileFollower(Settings settings, LineSender sender, PartitionKeys keys, Consumer<String> notes) throws IOException {
        this.settings = settings;
        this.state = new FollowState(settings.stateFile());
        this.keys = keys;
        this.notes = notes;
        this.delivery = new LineDelivery(sender, this::wakeUp);
        FileGlobs globs = new FileGlobs(settings.patterns(), Set.of(state.file(), state.temporaryFile(), state.lockFile()));
        this.lock = state.lock();
        try {
            this.files = new FollowedFiles(globs, state.load(), notes);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    Path stateFile() {
        return state.file();
    }

    Counts counts() {
        return delivery.counts(files.everFollowed(), randomKeys);
    }

    /** Lines sent and not yet covered by the state file (at most {@code maxUnacknowledged}). */
    int unacknowledged() {
        return unacknowledged;
    }

    /** Looks, reads, sends, checkpoints until {@link #stop()}; then {@link #finish(Duration)}. */
    void run(Duration finishTimeout) throws IOException, InterruptedException {
        while (!stopping) {
            boolean more = pollOnce();
            if (!more) {
                pause(settings.pollInterval().toMillis());
            } else if (unacknowledged >= settings.maxUnacknowledged()) {
                pause(20); // the window is full: wait for acknowledgements (each one wakes this up)
            }
        }
        finish(finishTimeout);
    }

    /** Ends {@link #run(Duration)} after the current look; callable from any thread (a shutdown hook). */
    void stop() {
        stopping = true;
        wakeUp();
    }

    /** One look: returns whether lines are left to read now (a limit stopped the reading). */
    boolean pollOnce() throws IOException {
        files.look();
        delivery.sendAgain();
        checkpoint(); // acknowledgements since the last look make room in the window
        boolean more = read();
        checkpoint();
        delivery.reportFailures(notes);
        return more;
    }

    /**
     * Flushes, waits up to {@code timeout} for every sent line to be acknowledged (sending failed
     * ones again), writes the state a last time and closes the files.
     */
    void finish(Duration timeout) throws IOException, InterruptedException {
        delivery.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allAcknowledged() && System.nanoTime() < deadline) {
            delivery.sendAgain();
            checkpoint();
            delivery.reportFailures(notes);
            pause(50);
        }
        checkpoint();
        delivery.reportFailures(notes);
        if (!allAcknowledged()) {
            notes.accept(unacknowledged + " sent lines had no acknowledgement within " + timeout.toSeconds()
                    + " s: the state file does not cover them, so the next run sends them again");
        }
        close();
    }

    /** Closes the files and lets go of the state file, writing nothing (after a failure, or as a crash in tests). */
    void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        files.close();
        lock.close();
    }

    /** Reads each file's new lines while the window has room; returns whether a limit left lines unread. */
    private boolean read() throws IOException {
        boolean more = false;
        for (FollowedFile current : files.current()) {
            int room = settings.maxUnacknowledged() - unacknowledged;
            if (room <= 0) {
                return true;
            }
            FollowedFile file = files.renewIfTruncated(current);
            FollowedFile.Progress read = file.readLines(buffer, room, MAX_BYTES_PER_FILE_PER_LOOK, lines);
            if (read == FollowedFile.Progress.MORE) {
                more = true;
            } else if (read == FollowedFile.Progress.NOTHING && !file.inGlob) {
                finishGoneFile(file);
            }
        }
        return more;
    }

    /** Out of every FILE_OR_GLOB and unchanged since the last look: its last line goes, then it is closed. */
    private void finishGoneFile(FollowedFile file) throws IOException {
        long tailStart = file.readOffset;
        byte[] tail = file.takeUnterminatedTail(buffer);
        if (tail != null) {
            lines.line(file, tailStart, file.readOffset, tail);
        }
        files.closeGone(file);
    }

    /** Each line read gets its partition key and goes out; it counts as unacknowledged until a checkpoint covers it. */
    private final FollowedFile.Lines lines = new FollowedFile.Lines() {
        @Override
        public void line(FollowedFile file, long start, long end, byte[] content) {
            PartitionKeys.Choice key = keys.keyFor(new String(content, StandardCharsets.UTF_8), ++lineNumber);
            if (key.problem() != null && ++randomKeys <= KEY_PROBLEMS_SHOWN) {
                notes.accept(file.path + " byte " + start + ": " + key.problem() + "; sent with a random partition key"
                        + (randomKeys == KEY_PROBLEMS_SHOWN ? " (further such lines are counted, not shown)" : ""));
            }
            FollowedFile.SentLine line = new FollowedFile.SentLine(file, start, end, key.key(), content);
            file.unacknowledged.add(line);
            unacknowledged++;
            delivery.send(line);
        }

        @Override
        public void tooLong(FollowedFile file, long start) {
            delivery.skip();
            notes.accept(file.path + " byte " + start + ": a line longer than " + FollowedFile.MAX_LINE_BYTES
                    + " bytes (the largest record) is skipped");
        }
    };

    /**
     * Writes the acknowledged offsets when they moved; then forgets the lines they cover (only
     * those: a line acknowledged while the state was being written stays counted until the next).
     */
    private void checkpoint() throws IOException {
        FollowedFiles.Coverage coverage = files.coverage();
        if (!coverage.entries().equals(lastSaved)) {
            state.save(coverage.entries());
            lastSaved = coverage.entries();
        }
        unacknowledged -= files.dropCovered(coverage);
    }

    private boolean allAcknowledged() {
        return files.allAcknowledged() && delivery.nothingToSendAgain();
    }

    private void pause(long millis) throws InterruptedException {
        synchronized (progress) {
            if (!stopping) {
                progress.wait(millis);
            }
        }
    }

    private void wakeUp() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }
}
