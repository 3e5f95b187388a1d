package io.shardwise.aggregation;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent decoder of the aggregate format: protobuf-java's own DynamicMessage over the
 * schema of messages.proto, built by hand as descriptors (no protoc on these machines), plus the
 * aggregate's rules (required fields of a Record, table indexes, at least one record).
 */
final class SchemaOracle {

    static final Descriptor AGGREGATED_RECORD;
    static final Descriptor RECORD;
    static final Descriptor TAG;

    static {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("io/shardwise/aggregation/messages.proto")
                .setPackage("io.shardwise.aggregation")
                .addMessageType(DescriptorProto.newBuilder().setName("AggregatedRecord")
                        .addField(field("partition_key_table", 1, Label.LABEL_REPEATED, Type.TYPE_STRING, null))
                        .addField(field("explicit_hash_key_table", 2, Label.LABEL_REPEATED, Type.TYPE_STRING, null))
                        .addField(field("records", 3, Label.LABEL_REPEATED, Type.TYPE_MESSAGE, ".io.shardwise.aggregation.Record")))
                .addMessageType(DescriptorProto.newBuilder().setName("Tag")
                        .addField(field("key", 1, Label.LABEL_REQUIRED, Type.TYPE_STRING, null))
                        .addField(field("value", 2, Label.LABEL_OPTIONAL, Type.TYPE_STRING, null)))
                .addMessageType(DescriptorProto.newBuilder().setName("Record")
                        .addField(field("partition_key_index", 1, Label.LABEL_REQUIRED, Type.TYPE_UINT64, null))
                        .addField(field("explicit_hash_key_index", 2, Label.LABEL_OPTIONAL, Type.TYPE_UINT64, null))
                        .addField(field("data", 3, Label.LABEL_REQUIRED, Type.TYPE_BYTES, null))
                        .addField(field("tags", 4, Label.LABEL_REPEATED, Type.TYPE_MESSAGE, ".io.shardwise.aggregation.Tag")))
                .build();
        try {
            Descriptors.FileDescriptor descriptor = Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0]);
            AGGREGATED_RECORD = descriptor.findMessageTypeByName("AggregatedRecord");
            RECORD = descriptor.findMessageTypeByName("Record");
            TAG = descriptor.findMessageTypeByName("Tag");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What a correct deaggregator must return for this message: the user records, or null for a passthrough. */
    static List<UserRecord> expectedRecords(byte[] message) {
        DynamicMessage aggregate;
        try {
            // buildPartial: a Tag without its key does not make the aggregate invalid (tags are skipped)
            aggregate = DynamicMessage.newBuilder(AGGREGATED_RECORD).mergeFrom(message).buildPartial();
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
        List<?> pkTable = (List<?>) aggregate.getField(field(AGGREGATED_RECORD, 1));
        List<?> ehkTable = (List<?>) aggregate.getField(field(AGGREGATED_RECORD, 2));
        List<?> records = (List<?>) aggregate.getField(field(AGGREGATED_RECORD, 3));
        if (records.isEmpty()) {
            return null;
        }
        List<UserRecord> result = new ArrayList<>();
        for (Object o : records) {
            DynamicMessage record = (DynamicMessage) o;
            if (!record.hasField(field(RECORD, 1)) || !record.hasField(field(RECORD, 3))) {
                return null;
            }
            long pkIndex = (Long) record.getField(field(RECORD, 1));
            if (Long.compareUnsigned(pkIndex, pkTable.size()) >= 0) {
                return null;
            }
            String ehk = null;
            if (record.hasField(field(RECORD, 2))) {
                long ehkIndex = (Long) record.getField(field(RECORD, 2));
                if (Long.compareUnsigned(ehkIndex, ehkTable.size()) >= 0) {
                    return null;
                }
                ehk = (String) ehkTable.get((int) ehkIndex);
            }
            byte[] data = ((com.google.protobuf.ByteString) record.getField(field(RECORD, 3))).toByteArray();
            result.add(new UserRecord((String) pkTable.get((int) pkIndex), ehk, data));
        }
        return result;
    }

    static FieldDescriptor field(Descriptor type, int number) {
        return type.findFieldByNumber(number);
    }

    private static FieldDescriptorProto field(String name, int number, Label label, Type type, String typeName) {
        FieldDescriptorProto.Builder field = FieldDescriptorProto.newBuilder()
                .setName(name).setNumber(number).setLabel(label).setType(type);
        if (typeName != null) {
            field.setTypeName(typeName);
        }
        return field.build();
    }

    private SchemaOracle() {
    }
}
