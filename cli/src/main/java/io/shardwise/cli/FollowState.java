package io.shardwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state file of {@code put --follow}: per followed file (its identity: the inode, and the
 * fingerprint of its first bytes) the byte offset just past the last line the stream acknowledged,
 * with every line before it acknowledged too.
 *
 * <p>Written durably: to {@code FILE.tmp}, forced to disk, renamed over {@code FILE} atomically,
 * and the directory forced, so a crash leaves the old state or the new one, never a torn one.
 */
final class FollowState {

    static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One file's checkpoint. {@code fileKey} is the file system's identity of the file (device and inode). */
    record Entry(String fileKey, String path, long offset, Fingerprint fingerprint) {
    }

    private final Path file;

    FollowState(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    Path file() {
        return file;
    }

    Path temporaryFile() {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    Path lockFile() {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    /**
     * Takes the lock file beside the state file for as long as the returned handle is open, so two
     * followers never share one state (each would overwrite the other's offsets). The system drops
     * the lock when the process ends, a SIGKILL included.
     */
    Closeable lock() throws IOException {
        FileChannel channel = FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new CliException("state file " + file + " is in use by another 'put --follow' (it holds "
                    + lockFile() + "): give each follower its own --state");
        }
        FileLock held = lock;
        return () -> {
            held.release();
            channel.close();
        };
    }

    /** The saved entries by file key; none when the file does not exist yet. */
    Map<String, Entry> load() {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException none) {
            return new LinkedHashMap<>();
        } catch (IOException e) {
            throw new CliException("state file " + file + " is unreadable: " + e.getMessage()
                    + " (move it away to start over: every file is then sent from its start)", e);
        }
        if (root == null || !root.isObject() || root.path("version").asInt() != VERSION || !root.path("files").isArray()) {
            throw new CliException("state file " + file + " is not a version-" + VERSION + " state of 'put --follow'"
                    + " (move it away to start over: every file is then sent from its start)");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (JsonNode node : root.get("files")) {
            JsonNode fingerprint = node.path("fingerprint");
            Entry entry = new Entry(node.path("fileKey").asText(), node.path("path").asText(),
                    node.path("offset").asLong(-1),
                    new Fingerprint(fingerprint.path("length").asInt(-1), fingerprint.path("sha256").asText()));
            if (entry.fileKey().isEmpty() || entry.offset() < 0 || entry.fingerprint().length() < 0
                    || entry.fingerprint().length() > Fingerprint.MAX_BYTES) {
                throw new CliException("state file " + file + " has a broken entry: " + node);
            }
            entries.put(entry.fileKey(), entry);
        }
        return entries;
    }

    /** Replaces the state with these entries, durably (see the class comment). */
    void save(Collection<Entry> entries) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", VERSION);
        ArrayNode files = root.putArray("files");
        for (Entry entry : entries) {
            ObjectNode node = files.addObject();
            node.put("fileKey", entry.fileKey());
            node.put("path", entry.path());
            node.put("offset", entry.offset());
            ObjectNode fingerprint = node.putObject("fingerprint");
            fingerprint.put("length", entry.fingerprint().length());
            fingerprint.put("sha256", entry.fingerprint().sha256());
        }
        byte[] bytes = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        Path temporary = temporaryFile();
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new CliException("cannot rename " + temporary + " over " + file + " atomically: put the state file"
                    + " on a local file system", e);
        }
        forceDirectory(file.getParent());
    }

    /** Makes the rename itself durable; file systems that cannot open a directory make it durable on their own. */
    private static void forceDirectory(Path directory) {
        if (directory == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // e.g. Windows: a directory cannot be opened; its metadata is written with the rename
        }
    }
}
