package io.shardwise.producer;

import io.shardwise.kinesis.JsonText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The body of one PutRecords call, written by the producer in one pass into an array of its exact size.
 * The SDK's marshaller copies each record's data into its CBOR generator, grows its output buffer by
 * doubling, copies the result, and the async pipeline reads it again into another growing buffer: five
 * to seven transient copies of up to 5 MiB per call, which on a small heap outlive young collections
 * and fill the old generation. This writes the same document (CBOR, as the SDK sends to Kinesis by
 * default, or JSON when the SDK runs with CBOR disabled) once.
 */
final class PutRecordsBody {
    static final String CBOR_CONTENT_TYPE = "application/x-amz-cbor-1.1";

    /** One Kinesis record of the call. */
    record Entry(String partitionKey, String explicitHashKey, byte[] data) {}

    private List<Entry> entries;

    PutRecordsBody(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * The body in the protocol of {@code contentType} (CBOR unless it names JSON), for the stream given by
     * name or ARN (one may be null). Drops the entries: the data arrays may be collected once the body exists.
     */
    byte[] encode(String contentType, String streamName, String streamArn) {
        if (entries == null) {
            throw new IllegalStateException("PutRecords body already encoded");
        }
        byte[] body = contentType != null && contentType.contains("json")
                ? json(streamName, streamArn) : cbor(streamName, streamArn);
        entries = null;
        return body;
    }

    // ---------------------------------------------------------------- CBOR (RFC 8949), definite lengths

    private static final int MAJOR_BYTES = 2 << 5;
    private static final int MAJOR_TEXT = 3 << 5;
    private static final int MAJOR_ARRAY = 4 << 5;
    private static final int MAJOR_MAP = 5 << 5;
    private static final byte[] RECORDS = ascii("Records");
    private static final byte[] DATA = ascii("Data");
    private static final byte[] PARTITION_KEY = ascii("PartitionKey");
    private static final byte[] EXPLICIT_HASH_KEY = ascii("ExplicitHashKey");
    private static final byte[] STREAM_NAME = ascii("StreamName");
    private static final byte[] STREAM_ARN = ascii("StreamARN");

    private byte[] cbor(String streamName, String streamArn) {
        byte[] name = streamName == null ? null : streamName.getBytes(StandardCharsets.UTF_8);
        byte[] arn = streamArn == null ? null : streamArn.getBytes(StandardCharsets.UTF_8);
        byte[][] keys = new byte[entries.size()][];
        byte[][] hashKeys = new byte[entries.size()][];
        long size = headerBytes(3) + text(RECORDS) + headerBytes(entries.size())
                + (name == null ? 0 : text(STREAM_NAME) + text(name))
                + (arn == null ? 0 : text(STREAM_ARN) + text(arn));
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            keys[i] = entry.partitionKey().getBytes(StandardCharsets.UTF_8);
            hashKeys[i] = entry.explicitHashKey() == null ? null : ascii(entry.explicitHashKey());
            size += 1 + text(DATA) + text(entry.data()) + text(PARTITION_KEY) + text(keys[i])
                    + (hashKeys[i] == null ? 0 : text(EXPLICIT_HASH_KEY) + text(hashKeys[i]));
        }
        byte[] out = new byte[Math.toIntExact(size)];
        int fields = 1 + (name == null ? 0 : 1) + (arn == null ? 0 : 1);
        int pos = header(out, 0, MAJOR_MAP, fields);
        pos = string(out, pos, MAJOR_TEXT, RECORDS);
        pos = header(out, pos, MAJOR_ARRAY, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            pos = header(out, pos, MAJOR_MAP, hashKeys[i] == null ? 2 : 3);
            pos = string(out, pos, MAJOR_TEXT, DATA);
            pos = string(out, pos, MAJOR_BYTES, entries.get(i).data());
            pos = string(out, pos, MAJOR_TEXT, PARTITION_KEY);
            pos = string(out, pos, MAJOR_TEXT, keys[i]);
            if (hashKeys[i] != null) {
                pos = string(out, pos, MAJOR_TEXT, EXPLICIT_HASH_KEY);
                pos = string(out, pos, MAJOR_TEXT, hashKeys[i]);
            }
        }
        if (name != null) {
            pos = string(out, pos, MAJOR_TEXT, STREAM_NAME);
            pos = string(out, pos, MAJOR_TEXT, name);
        }
        if (arn != null) {
            pos = string(out, pos, MAJOR_TEXT, STREAM_ARN);
            pos = string(out, pos, MAJOR_TEXT, arn);
        }
        if (pos != out.length) {
            throw new IllegalStateException("PutRecords body size accounting disagrees with the encoder (a bug): "
                    + pos + " of " + out.length + " bytes");
        }
        return out;
    }

    /** Bytes of a string item (header plus content). */
    private static long text(byte[] content) {
        return headerBytes(content.length) + content.length;
    }

    private static int headerBytes(long length) {
        return length < 24 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
    }

    private static int header(byte[] out, int pos, int major, int length) {
        if (length < 24) {
            out[pos++] = (byte) (major | length);
        } else if (length < 0x100) {
            out[pos++] = (byte) (major | 24);
            out[pos++] = (byte) length;
        } else if (length < 0x10000) {
            out[pos++] = (byte) (major | 25);
            out[pos++] = (byte) (length >>> 8);
            out[pos++] = (byte) length;
        } else {
            out[pos++] = (byte) (major | 26);
            out[pos++] = (byte) (length >>> 24);
            out[pos++] = (byte) (length >>> 16);
            out[pos++] = (byte) (length >>> 8);
            out[pos++] = (byte) length;
        }
        return pos;
    }

    private static int string(byte[] out, int pos, int major, byte[] content) {
        pos = header(out, pos, major, content.length);
        System.arraycopy(content, 0, out, pos, content.length);
        return pos + content.length;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- JSON (only with CBOR disabled)

    private byte[] json(String streamName, String streamArn) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder text = new StringBuilder("{\"Records\":[");
        Base64.Encoder base64 = Base64.getEncoder();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            text.append(i == 0 ? "" : ",").append("{\"Data\":\"");
            flush(text, out);
            out.writeBytes(base64.encode(entry.data()));
            text.append("\",\"PartitionKey\":");
            JsonText.quote(text, entry.partitionKey());
            if (entry.explicitHashKey() != null) {
                text.append(",\"ExplicitHashKey\":");
                JsonText.quote(text, entry.explicitHashKey());
            }
            text.append('}');
        }
        text.append(']');
        if (streamName != null) {
            text.append(",\"StreamName\":");
            JsonText.quote(text, streamName);
        }
        if (streamArn != null) {
            text.append(",\"StreamARN\":");
            JsonText.quote(text, streamArn);
        }
        text.append('}');
        flush(text, out);
        return out.toByteArray();
    }

    private static void flush(StringBuilder text, ByteArrayOutputStream out) {
        out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        text.setLength(0);
    }
}
