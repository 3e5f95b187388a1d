package io.shardwise.aggregation;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;

/**
 * A deduplicated key table of an aggregate (partition keys or explicit hash keys): each distinct
 * key is stored once, as UTF-8, and records refer to it by index. Tracks its serialized size.
 */
final class KeyTable {

    private final HashMap<String, Integer> indexes = new HashMap<>();
    private byte[][] entries = new byte[16][];
    private int size;
    private int serializedSize;

    /** Bytes one entry of {@code utf8Length} takes: tag (one byte for fields 1 and 2), length, bytes. */
    static int entrySize(int utf8Length) {
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(utf8Length) + utf8Length;
    }

    int indexOf(String key) {
        Integer index = indexes.get(key);
        return index == null ? -1 : index;
    }

    /** Adds a key not yet in the table and returns its index. */
    int add(String key) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
        }
        entries[size] = utf8;
        indexes.put(key, size);
        serializedSize += entrySize(utf8.length);
        return size++;
    }

    int size() {
        return size;
    }

    int serializedSize() {
        return serializedSize;
    }

    void writeTo(CodedOutputStream out, int fieldNumber) throws IOException {
        for (int i = 0; i < size; i++) {
            out.writeByteArray(fieldNumber, entries[i]);
        }
    }

    void clear() {
        Arrays.fill(entries, 0, size, null);
        indexes.clear();
        size = 0;
        serializedSize = 0;
    }
}
