package io.shardwise.aggregation;

import com.google.protobuf.CodedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A deduplicated key table of an aggregate under construction (partition keys or explicit hash
 * keys): each distinct key is stored once and records refer to it by index.
 *
 * <p>Idea: the table is kept in its serialized form. Adding a key encodes it once, straight into
 * {@link #bytes} as a protobuf entry (tag, length, UTF-8), so its size is known exactly and the
 * encoder copies the whole table with one {@code arraycopy}. Lookups use an open-addressing hash
 * index (linear probing over a power-of-two {@code int[]} of index+1, 0 = empty): no boxed
 * indexes, no map entries.
 */
final class KeyTable {

    /** Tables that grew beyond these are not kept after {@link #clear()}: an idle aggregator stays small. */
    private static final int KEEP_BYTES = 64 * 1024;
    private static final int KEEP_KEYS = 4096;

    private final byte tag;
    private String[] keys = new String[16];
    /** The spread hash of each key: probing compares these before touching a String. */
    private int[] hashes = new int[16];
    private int[] slots = new int[32];
    private int size;
    /** The serialized entries, {@code bytes[0, length)}. */
    private byte[] bytes = new byte[256];
    private int length;
    /** Where the last missed {@link #indexOf} ended, so {@link #add} inserts without probing again. */
    private String missedKey;
    private int missedSlot;
    /** The slot and entry start of the last added key, so {@link #removeLast()} can take it back. */
    private int lastSlot;
    private int lastEntryStart;

    /** @param tag the one-byte protobuf tag written before every entry */
    KeyTable(int tag) {
        this.tag = (byte) tag;
    }

    /** Bytes one entry of {@code utf8Length} takes: tag (one byte for fields 1 and 2), length, bytes. */
    static int entrySize(int utf8Length) {
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(utf8Length) + utf8Length;
    }

    /** The index of {@code key}, or -1 when it is not in the table. */
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
            String candidate = keys[entry - 1];
            if (hashes[entry - 1] == hash && (candidate == key || candidate.equals(key))) {
                return entry - 1;
            }
        }
    }

    /**
     * Adds a key not yet in the table, encoding its entry, and returns its index. The bytes are
     * those of {@code String.getBytes(UTF_8)}, which writes an unpaired surrogate as '?' (what
     * {@link Utf8#encodedLength} counts).
     */
    int add(String key) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        int hash = spread(key.hashCode());
        keys[size] = key;
        hashes[size] = hash;
        if ((size + 1) * 2 > slots.length) {
            rehash(slots.length * 2);
            lastSlot = freeSlot(hash);
        } else {
            lastSlot = key == missedKey ? missedSlot : freeSlot(hash);
        }
        slots[lastSlot] = size + 1;
        missedKey = null;
        lastEntryStart = length;
        length = writeEntry(key, length);
        return size++;
    }

    /** Takes back the key {@link #add} added last (a record that did not fit after all). */
    void removeLast() {
        size--;
        keys[size] = null;
        // Linear probing put it in the first free slot of its chain and nothing was added since,
        // so emptying that slot restores the index exactly.
        slots[lastSlot] = 0;
        length = lastEntryStart;
    }

    int size() {
        return size;
    }

    /** Bytes of the serialized table. */
    int serializedSize() {
        return length;
    }

    /** Copies the serialized table to {@code out} at {@code pos}; returns the next position. */
    int writeTo(byte[] out, int pos) {
        System.arraycopy(bytes, 0, out, pos, length);
        return pos + length;
    }

    void clear() {
        missedKey = null;
        if (size == 0) {
            return;
        }
        // A fresh array instead of clearing the old one: with G1, storing keys into an array that
        // has reached the old generation costs a memory fence per store, into a young array nothing.
        keys = new String[keys.length];
        Arrays.fill(slots, 0);
        size = 0;
        length = 0;
        if (bytes.length > KEEP_BYTES || keys.length > KEEP_KEYS) {
            bytes = new byte[256];
            keys = new String[16];
            hashes = new int[16];
            slots = new int[32];
        }
    }

    /**
     * Writes the entry of {@code key} at {@code pos} and returns the next position. ASCII keys,
     * the common case, take one pass over their chars; anything else is encoded by the JDK.
     */
    private int writeEntry(String key, int pos) {
        int chars = key.length();
        ensureCapacity(pos + 1 + 5 + 3 * chars);
        byte[] b = bytes;
        b[pos] = tag;
        if (chars < 0x80) { // the length varint takes one byte
            int start = pos + 2;
            int i = 0;
            while (i < chars) {
                char c = key.charAt(i);
                if (c >= 0x80) {
                    break;
                }
                b[start + i] = (byte) c;
                i++;
            }
            if (i == chars) {
                b[pos + 1] = (byte) chars;
                return start + chars;
            }
        }
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        int next = Varint.write(b, pos + 1, utf8.length);
        System.arraycopy(utf8, 0, b, next, utf8.length);
        return next + utf8.length;
    }

    private void ensureCapacity(int needed) {
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
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
