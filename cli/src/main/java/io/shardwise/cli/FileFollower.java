package io.shardwise.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

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
    private final FileGlobs globs;
    private final FollowState state;
    private final LineSender sender;
    private final PartitionKeys keys;
    private final Consumer<String> notes;
    private final ByteBuffer buffer = ByteBuffer.allocate(FollowedFile.MAX_LINE_BYTES + 1);
    private final Closeable lock;

    /** The current generation of every followed file, by file key. */
    private final Map<String, FollowedFile> files = new LinkedHashMap<>();
    /** Generations no longer read (truncated, or gone) whose sent lines are not all covered yet. */
    private final List<FollowedFile> retired = new ArrayList<>();
    private final Set<String> unreadable = new HashSet<>();
    private final Set<String> everFollowed = new HashSet<>();
    /** The saved state until the first look has matched it to files. */
    private Map<String, FollowState.Entry> saved;
    private List<FollowState.Entry> lastSaved = List.of();
    /** Lines sent whose acknowledgement the state file does not hold yet. */
    private int unacknowledged;

    private final Queue<FollowedFile.SentLine> toSendAgain = new ConcurrentLinkedQueue<>();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final Object progress = new Object();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private long sent;
    private long sentAgain;
    private long randomKeys;
    private long lineNumber;
    private volatile boolean stopping;
    private boolean closed;

    FileFollower(Settings settings, LineSender sender, PartitionKeys keys, Consumer<String> notes) throws IOException {
        this.settings = settings;
        this.state = new FollowState(settings.stateFile());
        this.globs = new FileGlobs(settings.patterns(), Set.of(state.file(), state.temporaryFile(), state.lockFile()));
        this.sender = sender;
        this.keys = keys;
        this.notes = notes;
        this.lock = state.lock();
        try {
            this.saved = state.load();
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    Path stateFile() {
        return state.file();
    }

    Counts counts() {
        return new Counts(everFollowed.size(), sent, acknowledged.get(), sentAgain, skipped.get(), randomKeys);
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
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** One look: returns whether lines are left to read now (a limit stopped the reading). */
    boolean pollOnce() throws IOException {
        look();
        sendAgain();
        checkpoint(); // acknowledgements since the last look make room in the window
        boolean more = read();
        checkpoint();
        reportFailures();
        return more;
    }

    /**
     * Flushes, waits up to {@code timeout} for every sent line to be acknowledged (sending failed
     * ones again), writes the state a last time and closes the files.
     */
    void finish(Duration timeout) throws IOException, InterruptedException {
        sender.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allAcknowledged() && System.nanoTime() < deadline) {
            sendAgain();
            checkpoint();
            reportFailures();
            pause(50);
        }
        checkpoint();
        reportFailures();
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
        for (FollowedFile file : files.values()) {
            file.channel.close();
        }
        lock.close();
    }

    private void look() throws IOException {
        Map<String, Path> matched = new LinkedHashMap<>();
        for (Path path : globs.matches()) {
            String key = fileKey(path);
            if (key != null) { // else gone since the listing
                matched.putIfAbsent(key, path);
            }
        }
        // the files already followed first, so a rotation reads as "renamed", then "new file"
        for (FollowedFile file : files.values()) {
            Path path = matched.get(file.fileKey);
            file.inGlob = path != null;
            if (path != null && !file.path.equals(path)) {
                notes.accept(file.path + " is now " + path + " (renamed): still followed");
                file.path = path;
            }
        }
        for (Map.Entry<String, Path> match : matched.entrySet()) {
            if (!files.containsKey(match.getKey())) {
                open(match.getValue(), match.getKey(), true);
            }
        }
        Set<String> seen = matched.keySet();
        if (saved != null) {
            findRotatedWhileStopped(seen);
            saved = null;
        }
    }

    /** A file the state knows that no FILE_OR_GLOB matches now: renamed in its directory while stopped? */
    private void findRotatedWhileStopped(Set<String> seen) throws IOException {
        for (FollowState.Entry entry : List.copyOf(saved.values())) {
            if (seen.contains(entry.fileKey())) {
                continue;
            }
            Path directory = Path.of(entry.path()).getParent();
            Path found = null;
            if (directory != null && Files.isDirectory(directory)) {
                try (Stream<Path> list = Files.list(directory)) {
                    for (Path candidate : (Iterable<Path>) list::iterator) {
                        if (FileGlobs.isRegularFile(candidate) && entry.fileKey().equals(fileKey(candidate))) {
                            found = candidate;
                            break;
                        }
                    }
                }
            }
            if (found != null) {
                notes.accept(entry.path() + " was renamed to " + found + " while stopped: reading it to its end");
                open(found, entry.fileKey(), false);
            } else {
                saved.remove(entry.fileKey());
                notes.accept(entry.path() + " is gone (the state had it at byte " + entry.offset()
                        + "): lines added to it after that were not sent");
            }
        }
    }

    private FollowedFile open(Path path, String key, boolean inGlob) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException e) {
            if (unreadable.add(key)) {
                notes.accept("cannot read " + path + " (" + e.getMessage() + "): not followed");
            }
            return null;
        }
        FollowState.Entry entry = saved == null ? null : saved.remove(key);
        if (entry == null && saved != null) {
            entry = samePathAndFirstKilobyte(path, channel);
        }
        long offset = 0;
        if (entry != null) {
            if (!entry.fingerprint().matches(channel)) {
                notes.accept(path + " starts with other bytes than the file the state knew by its inode: a new file,"
                        + " sent from its start");
            } else if (channel.size() < entry.offset()) {
                notes.accept(path + " holds " + channel.size() + " bytes, fewer than the " + entry.offset()
                        + " the state had read: truncated while stopped, sent from its start");
            } else {
                offset = entry.offset();
            }
        }
        FollowedFile file = new FollowedFile(key, path, channel, offset, Fingerprint.read(channel), inGlob);
        files.put(key, file);
        everFollowed.add(key);
        notes.accept("following " + path + " from byte " + offset);
        return file;
    }

    /**
     * A saved entry of this path whose file key differs (the device was numbered anew, e.g. after
     * a reboot or a remount) but whose first full kilobyte is this file's: the same file. A shorter
     * fingerprint is too weak a proof (two small files may start alike), so such a file is new.
     */
    private FollowState.Entry samePathAndFirstKilobyte(Path path, FileChannel channel) throws IOException {
        for (FollowState.Entry candidate : saved.values()) {
            if (candidate.path().equals(path.toString()) && !candidate.fingerprint().growable()
                    && candidate.fingerprint().matches(channel)) {
                saved.remove(candidate.fileKey());
                notes.accept(path + " has another file key than the state's " + candidate.fileKey()
                        + " (device numbered anew?) but the same first " + Fingerprint.MAX_BYTES + " bytes: the same file");
                return candidate;
            }
        }
        return null;
    }

    private boolean read() throws IOException {
        boolean more = false;
        for (FollowedFile file : List.copyOf(files.values())) {
            int room = settings.maxUnacknowledged() - unacknowledged;
            if (room <= 0) {
                return true;
            }
            file = checkTruncation(file);
            FollowedFile.Progress progress = file.readLines(buffer, room, MAX_BYTES_PER_FILE_PER_LOOK, lines);
            if (progress == FollowedFile.Progress.MORE) {
                more = true;
            } else if (progress == FollowedFile.Progress.NOTHING && !file.inGlob) {
                finishGoneFile(file);
            }
        }
        return more;
    }

    /** A shorter file, or one whose first bytes changed, was truncated: a new generation reads it from 0. */
    private FollowedFile checkTruncation(FollowedFile file) throws IOException {
        long size = file.channel.size();
        if (size >= file.readOffset && file.fingerprint.matches(file.channel)) {
            if (file.fingerprint.growable() && size > file.fingerprint.length()) {
                file.fingerprint = Fingerprint.read(file.channel);
            }
            return file;
        }
        notes.accept(file.path + " was truncated (copy-truncate?): " + file.readOffset + " bytes were read, it holds "
                + size + " now; reading it again from byte 0");
        retired.add(file);
        FollowedFile fresh = new FollowedFile(file.fileKey, file.path, file.channel, 0, Fingerprint.read(file.channel),
                file.inGlob);
        files.put(file.fileKey, fresh);
        return fresh;
    }

    /** Out of every FILE_OR_GLOB and unchanged since the last look: its last line goes, then it is closed. */
    private void finishGoneFile(FollowedFile file) throws IOException {
        long tailStart = file.readOffset;
        byte[] tail = file.takeUnterminatedTail(buffer);
        if (tail != null) {
            lines.line(file, tailStart, file.readOffset, tail);
        }
        file.channel.close();
        files.remove(file.fileKey);
        retired.add(file);
        notes.accept(file.path + " no longer matches (rotated away or deleted) and was read to its end: closed");
    }

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
            sent++;
            dispatch(line);
        }

        @Override
        public void tooLong(FollowedFile file, long start) {
            skipped.incrementAndGet();
            notes.accept(file.path + " byte " + start + ": a line longer than " + FollowedFile.MAX_LINE_BYTES
                    + " bytes (the largest record) is skipped");
        }
    };

    private void dispatch(FollowedFile.SentLine line) {
        CompletableFuture<?> result;
        try {
            result = sender.send(line.partitionKey, line.data);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((ignored, failure) -> completed(line, failure));
    }

    /** On the producer's thread: marks the line, or queues it to be sent again. */
    private void completed(FollowedFile.SentLine line, Throwable failure) {
        if (failure == null) {
            acknowledged.incrementAndGet();
            line.markDone();
        } else {
            Throwable cause = failure instanceof CompletionException || failure instanceof ExecutionException
                    ? failure.getCause() : failure;
            if (sender.refusedForGood(cause)) {
                skipped.incrementAndGet();
                failures.add(line.file.path + " byte " + line.start + ": skipped, the stream refuses it: "
                        + cause.getMessage());
                line.markDone();
            } else {
                failures.add("sending again a line that failed: " + cause.getMessage());
                toSendAgain.add(line);
            }
        }
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private void sendAgain() {
        for (FollowedFile.SentLine line = toSendAgain.poll(); line != null; line = toSendAgain.poll()) {
            sentAgain++;
            dispatch(line);
        }
    }

    /**
     * Writes the acknowledged offsets when they moved; then forgets the lines they cover (only
     * those: a line acknowledged while the state was being written stays counted until the next).
     */
    private void checkpoint() throws IOException {
        Map<String, FollowState.Entry> entries = new LinkedHashMap<>();
        Map<FollowedFile, Long> covered = new IdentityHashMap<>();
        for (FollowedFile file : files.values()) {
            FollowState.Entry entry = file.stateEntry();
            entries.put(file.fileKey, entry);
            covered.put(file, entry.offset());
        }
        for (FollowedFile file : retired) {
            FollowState.Entry entry = file.stateEntry();
            if (files.containsKey(file.fileKey)) {
                // truncated: its successor owns the entry, and its bytes are gone, so no restart reads them again
                covered.put(file, Long.MAX_VALUE);
            } else if (!file.unacknowledged.isEmpty()) {
                // gone: its entry stays while lines of it are unacknowledged
                entries.putIfAbsent(file.fileKey, entry);
                covered.put(file, entry.offset());
            }
        }
        List<FollowState.Entry> snapshot = List.copyOf(entries.values());
        if (!snapshot.equals(lastSaved)) {
            state.save(snapshot);
            lastSaved = snapshot;
        }
        covered.forEach((file, offset) -> unacknowledged -= file.dropAcknowledgedHead(offset));
        retired.removeIf(file -> file.unacknowledged.isEmpty());
    }

    private boolean allAcknowledged() {
        return files.values().stream().allMatch(FollowedFile::allAcknowledged)
                && retired.stream().allMatch(FollowedFile::allAcknowledged) && toSendAgain.isEmpty();
    }

    /** At most one note per kind of failure and look, with a count. */
    private void reportFailures() {
        Map<String, Integer> counted = new LinkedHashMap<>();
        for (String failure = failures.poll(); failure != null; failure = failures.poll()) {
            counted.merge(failure, 1, Integer::sum);
        }
        counted.forEach((failure, count) -> notes.accept(count == 1 ? failure : failure + " (" + count + " lines)"));
    }

    private void pause(long millis) throws InterruptedException {
        synchronized (progress) {
            if (!stopping) {
                progress.wait(millis);
            }
        }
    }

    /** The file system's identity of the file (device and inode on Unix), or null when it is gone. */
    static String fileKey(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            Object key = attributes.fileKey();
            return key != null ? key.toString() : path.toAbsolutePath().toString();
        } catch (IOException gone) {
            return null;
        }
    }
}
