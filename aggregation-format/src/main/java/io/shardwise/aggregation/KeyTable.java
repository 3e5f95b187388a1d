package io.shardwise.aggregation;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A deduplicated key table of an aggregate (partition keys or explicit hash keys): each distinct
 * key is stored once and records refer to it by index. Tracks its serialized size.
 *
 * <p>Idea: an open-addressing hash index (linear probing over a power-of-two {@code int[]} of
 * index+1, 0 = empty) so that adding a key allocates nothing beyond occasional array growth: no
 * boxed indexes, no map entries, no UTF-8 copy (the key is encoded straight into the output).
 */
final class KeyTable {

    private String[] keys = new String[16];
    private int[] slots = new int[32];
    private int size;
    private int serializedSize;

    /** Bytes one entry of {@code utf8Length} takes: tag (one byte for fields 1 and 2), length, bytes. */
    static int entrySize(int utf8Length) {
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(utf8Length) + utf8Length;
    }

    int indexOf(String key) {
        int mask = slots.length - 1;
        for (int slot = spread(key.hashCode()) & mask; ; slot = (slot + 1) & mask) {
            int entry = slots[slot];
            if (entry == 0) {
                return -1;
            }
            if (keys[entry - 1].equals(key)) {
                return entry - 1;
            }
        }
    }

    /** Adds a key not yet in the table, whose UTF-8 length the caller has counted, and returns its index. */
    int add(String key, int utf8Length) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
        }
        if ((size + 1) * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        keys[size] = key;
        insert(key, size);
        serializedSize += entrySize(utf8Length);
        return size++;
    }

    int size() {
        return size;
    }

    int serializedSize() {
        return serializedSize;
    }

    /**
     * Writes every entry. protobuf-java writes an unpaired surrogate as '?' (it falls back to
     * {@code String.getBytes(UTF_8)}), which is what {@link Utf8#encodedLength} counts.
     */
    void writeTo(CodedOutputStream out, int fieldNumber) throws IOException {
        for (int i = 0; i < size; i++) {
            out.writeString(fieldNumber, keys[i]);
        }
    }

    void clear() {
        if (size == 0) {
            return;
        }
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(slots, 0);
        size = 0;
        serializedSize = 0;
    }

    private void insert(String key, int index) {
        int mask = slots.length - 1;
        int slot = spread(key.hashCode()) & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = index + 1;
    }

    private void rehash(int capacity) {
        slots = new int[capacity];
        for (int i = 0; i < size; i++) {
            insert(keys[i], i);
        }
    }

    /** Mixes the high bits in, since keys like "key-17" differ mostly in their last characters. */
    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
