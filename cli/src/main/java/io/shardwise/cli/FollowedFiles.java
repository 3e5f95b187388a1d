package io.shardwise.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The files a follower reads: the current generation of every file a FILE_OR_GLOB matches, known
 * by its file key (the inode), and the generations no longer read (truncated, or gone) whose sent
 * lines are not all covered by the state file yet. The first look matches the saved state to the
 * files, so each is read on from its saved offset.
 */
final class FollowedFiles {

    /** What the state file may hold now, and how far each generation's sent lines are covered once it does. */
    record Coverage(List<FollowState.Entry> entries, Map<FollowedFile, Long> covered) {
    }

    private final FileGlobs globs;
    private final Consumer<String> notes;
    /** The current generation of every followed file, by file key. */
    private final Map<String, FollowedFile> files = new LinkedHashMap<>();
    /** Generations no longer read (truncated, or gone) whose sent lines are not all covered yet. */
    private final List<FollowedFile> retired = new ArrayList<>();
    private final Set<String> unreadable = new HashSet<>();
    private final Set<String> everFollowed = new HashSet<>();
    /** The saved state until the first look has matched it to files. */
    private Map<String, FollowState.Entry> saved;

    FollowedFiles(FileGlobs globs, Map<String, FollowState.Entry> saved, Consumer<String> notes) {
        this.globs = globs;
        this.saved = saved;
        this.notes = notes;
    }

    /** The current generations, in the order they were first found. */
    List<FollowedFile> current() {
        return List.copyOf(files.values());
    }

    /** How many files were followed so far. */
    int everFollowed() {
        return everFollowed.size();
    }

    /**
     * Finds what the FILE_OR_GLOB arguments match now: a followed file under a new name was renamed
     * (it is still followed), a file key not followed yet is a new file. The files already followed
     * come first, so a rotation reads as "renamed", then "new file".
     */
    void look() throws IOException {
        Map<String, Path> matched = new LinkedHashMap<>();
        for (Path path : globs.matches()) {
            String key = fileKey(path);
            if (key != null) { // else gone since the listing
                matched.putIfAbsent(key, path);
            }
        }
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
        if (saved != null) {
            findRotatedWhileStopped(matched.keySet());
            saved = null;
        }
    }

    /** A shorter file, or one whose first bytes changed, was truncated: a new generation reads it from 0. */
    FollowedFile renewIfTruncated(FollowedFile file) throws IOException {
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
        FollowedFile next = file.nextGeneration();
        files.put(file.fileKey, next);
        return next;
    }

    /** Closes a file read to its end that no FILE_OR_GLOB matches any more; its sent lines still count. */
    void closeGone(FollowedFile file) throws IOException {
        file.channel.close();
        files.remove(file.fileKey);
        retired.add(file);
        notes.accept(file.path + " no longer matches (rotated away or deleted) and was read to its end: closed");
    }

    /** The entries to save: every current generation's, and a gone file's while lines of it are unacknowledged. */
    Coverage coverage() {
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
        return new Coverage(List.copyOf(entries.values()), covered);
    }

    /** Forgets the lines a saved coverage made safe, and the retired generations left without any; returns how many. */
    int dropCovered(Coverage coverage) {
        int dropped = 0;
        for (Map.Entry<FollowedFile, Long> file : coverage.covered().entrySet()) {
            dropped += file.getKey().dropAcknowledgedHead(file.getValue());
        }
        retired.removeIf(file -> file.unacknowledged.isEmpty());
        return dropped;
    }

    boolean allAcknowledged() {
        return files.values().stream().allMatch(FollowedFile::allAcknowledged)
                && retired.stream().allMatch(FollowedFile::allAcknowledged);
    }

    void close() throws IOException {
        for (FollowedFile file : files.values()) {
            file.channel.close();
        }
    }

    /** A file the state knows that no FILE_OR_GLOB matches now: renamed in its directory while stopped? */
    private void findRotatedWhileStopped(Set<String> seen) throws IOException {
        for (FollowState.Entry entry : List.copyOf(saved.values())) {
            if (seen.contains(entry.fileKey())) {
                continue;
            }
            Path found = findInDirectory(Path.of(entry.path()).getParent(), entry.fileKey());
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

    private static Path findInDirectory(Path directory, String key) throws IOException {
        if (directory == null || !Files.isDirectory(directory)) {
            return null;
        }
        try (Stream<Path> list = Files.list(directory)) {
            for (Path candidate : (Iterable<Path>) list::iterator) {
                if (FileGlobs.isRegularFile(candidate) && key.equals(fileKey(candidate))) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private void open(Path path, String key, boolean inGlob) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException e) {
            if (unreadable.add(key)) {
                notes.accept("cannot read " + path + " (" + e.getMessage() + "): not followed");
            }
            return;
        }
        long offset = savedOffset(path, key, channel);
        files.put(key, new FollowedFile(key, path, channel, offset, inGlob));
        everFollowed.add(key);
        notes.accept("following " + path + " from byte " + offset);
    }

    /** Where the state says to read on in this file: 0 for a file it does not know, or knew with other bytes. */
    private long savedOffset(Path path, String key, FileChannel channel) throws IOException {
        FollowState.Entry entry = saved == null ? null : saved.remove(key);
        if (entry == null && saved != null) {
            entry = samePathAndFirstKilobyte(path, channel);
        }
        if (entry == null) {
            return 0;
        }
        if (!entry.fingerprint().matches(channel)) {
            notes.accept(path + " starts with other bytes than the file the state knew by its inode: a new file,"
                    + " sent from its start");
            return 0;
        }
        if (channel.size() < entry.offset()) {
            notes.accept(path + " holds " + channel.size() + " bytes, fewer than the " + entry.offset()
                    + " the state had read: truncated while stopped, sent from its start");
            return 0;
        }
        return entry.offset();
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
