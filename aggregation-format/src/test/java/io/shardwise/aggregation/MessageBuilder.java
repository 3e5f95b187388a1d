package io.shardwise.aggregation;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes protobuf fields by hand, including malformed ones, to craft test messages. */
final class MessageBuilder {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    MessageBuilder varint(int field, long value) {
        return io(() -> out.writeUInt64(field, value));
    }

    MessageBuilder bytes(int field, byte[] value) {
        return io(() -> out.writeByteArray(field, value));
    }

    MessageBuilder string(int field, String value) {
        return io(() -> out.writeString(field, value));
    }

    MessageBuilder message(int field, MessageBuilder message) {
        return bytes(field, message.build());
    }

    MessageBuilder fixed32(int field, int value) {
        return io(() -> out.writeFixed32(field, value));
    }

    MessageBuilder fixed64(int field, long value) {
        return io(() -> out.writeFixed64(field, value));
    }

    /** Any raw bytes, e.g. a tag with an invalid wire type or a truncated length. */
    MessageBuilder raw(int... values) {
        return io(() -> {
            for (int v : values) {
                out.write((byte) v);
            }
        });
    }

    MessageBuilder rawVarint(long value) {
        return io(() -> out.writeUInt64NoTag(value));
    }

    /** A user record message: partition key index, optional explicit hash key index, data. */
    static MessageBuilder record(long pkIndex, Long ehkIndex, byte[] data) {
        MessageBuilder record = new MessageBuilder().varint(1, pkIndex);
        if (ehkIndex != null) {
            record.varint(2, ehkIndex);
        }
        return record.bytes(3, data);
    }

    byte[] build() {
        io(out::flush);
        return bytes.toByteArray();
    }

    byte[] framed() {
        return Aggregates.frame(build());
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private MessageBuilder io(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
