package io.shardwise.aggregation;

import com.google.protobuf.CodedOutputStream;
import java.nio.charset.StandardCharsets;
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
    /** The spread hash of each key: probing compares these before touching a String. */
    private int[] hashes = new int[16];
    /** The UTF-8 length of each key, as counted by the caller of {@link #add}. */
    private int[] utf8Lengths = new int[16];
    private int[] slots = new int[32];
    private int size;
    private int serializedSize;
    /** Where the last missed {@link #indexOf} ended, so {@link #add} inserts without probing again. */
    private String missedKey;
    private int missedSlot;

    /** Bytes one entry of {@code utf8Length} takes: tag (one byte for fields 1 and 2), length, bytes. */
    static int entrySize(int utf8Length) {
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(utf8Length) + utf8Length;
    }

    int indexOf(String key) {
        int hash = spread(key.hashCode());
        int mask = slots.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            int entry = slots[slot];
            if (entry == 0) {
                missedKey = key;
                missedSlot = slot;
                return -1;
            }
            if (hashes[entry - 1] == hash && keys[entry - 1].equals(key)) {
                return entry - 1;
            }
        }
    }

    /** Adds a key not yet in the table, whose UTF-8 length the caller has counted, and returns its index. */
    int add(String key, int utf8Length) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
            utf8Lengths = Arrays.copyOf(utf8Lengths, size * 2);
        }
        int hash = spread(key.hashCode());
        keys[size] = key;
        hashes[size] = hash;
        utf8Lengths[size] = utf8Length;
        if ((size + 1) * 2 > slots.length) {
            rehash(slots.length * 2);
            slots[freeSlot(hash)] = size + 1;
        } else {
            slots[key == missedKey ? missedSlot : freeSlot(hash)] = size + 1;
        }
        missedKey = null;
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
     * Writes every entry with the one-byte {@code tag} at {@code pos}; returns the next position.
     * Bytes are those of {@code String.getBytes(UTF_8)}, which writes an unpaired surrogate as '?'
     * (what {@link Utf8#encodedLength} counts). A key as long in UTF-8 as in chars holds only ASCII
     * and unpaired surrogates (every other char takes more bytes), so it is written char by char.
     */
    int writeTo(byte[] out, int pos, int tag) {
        for (int i = 0; i < size; i++) {
            String key = keys[i];
            int length = utf8Lengths[i];
            out[pos++] = (byte) tag;
            pos = Varint.write(out, pos, length);
            int chars = key.length();
            if (length == chars) {
                for (int c = 0; c < chars; c++) {
                    char ch = key.charAt(c);
                    out[pos++] = ch < 0x80 ? (byte) ch : (byte) '?';
                }
            } else {
                byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
                System.arraycopy(bytes, 0, out, pos, bytes.length);
                pos += bytes.length;
            }
        }
        return pos;
    }

    void clear() {
        missedKey = null;
        if (size == 0) {
            return;
        }
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(slots, 0);
        size = 0;
        serializedSize = 0;
    }

    private int freeSlot(int hash) {
        int mask = slots.length - 1;
        int slot = hash & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void rehash(int capacity) {
        slots = new int[capacity];
        for (int i = 0; i < size; i++) {
            slots[freeSlot(hashes[i])] = i + 1;
        }
    }

    /** Mixes the high bits in, since keys like "key-17" differ mostly in their last characters. */
    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
