package io.shardwise.testkit.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.BitSet;
import java.util.Iterator;

/**
 * One PutRecords call whose entries the proxy fails selectively: only the surviving entries go
 * upstream, and the upstream answer is merged back with the failed ones in their original places,
 * so the caller sees one response in request order with the right FailedRecordCount.
 */
final class FaultPutRecords {

    static final String THROTTLED = "ProvisionedThroughputExceededException";

    private final FaultPayloads payloads;
    private final ObjectNode request;
    private final ArrayNode records;

    private FaultPutRecords(FaultPayloads payloads, ObjectNode request, ArrayNode records) {
        this.payloads = payloads;
        this.request = request;
        this.records = records;
    }

    static FaultPutRecords parse(FaultPayloads payloads, byte[] body) throws IOException {
        JsonNode tree = payloads.read(body);
        if (!(tree instanceof ObjectNode object) || !(object.get("Records") instanceof ArrayNode records)) {
            throw new IOException("PutRecords body has no Records array");
        }
        return new FaultPutRecords(payloads, object, records);
    }

    int size() {
        return records.size();
    }

    /** The stream's name or ARN, whichever the caller gave. */
    String stream() {
        return streamOf(request);
    }

    static String streamOf(JsonNode request) {
        JsonNode arn = request.get("StreamARN");
        return arn != null && arn.isTextual() ? arn.asText() : request.path("StreamName").asText(null);
    }

    String partitionKey(int index) {
        return records.get(index).path("PartitionKey").asText();
    }

    /** The explicit hash key, or null. */
    String explicitHashKey(int index) {
        JsonNode key = records.get(index).get("ExplicitHashKey");
        return key == null || key.isNull() ? null : key.asText();
    }

    int dataLength(int index) throws IOException {
        return dataLength(records.get(index));
    }

    /** Length of a record's Data: a CBOR byte string, or base64 text in JSON. */
    static int dataLength(JsonNode record) throws IOException {
        JsonNode data = record.get("Data");
        return data == null || data.isNull() ? 0 : data.binaryValue().length;
    }

    /** The request body with the failed entries left out. */
    byte[] requestWithout(BitSet failed) {
        ObjectNode kept = request.deepCopy();
        ArrayNode keptRecords = kept.putArray("Records");
        for (int i = 0; i < records.size(); i++) {
            if (!failed.get(i)) {
                keptRecords.add(records.get(i));
            }
        }
        return payloads.write(kept);
    }

    /**
     * The caller's response: upstream's entries for the forwarded records, in order, with the
     * failed entries put back in their places. {@code upstreamBody} is null when nothing was forwarded.
     */
    byte[] mergedResponse(byte[] upstreamBody, BitSet failed, String[] messages) throws IOException {
        ObjectNode merged;
        Iterator<JsonNode> forwarded;
        if (upstreamBody == null) {
            merged = payloads.object();
            merged.put("EncryptionType", "NONE");
            forwarded = java.util.Collections.emptyIterator();
        } else {
            merged = (ObjectNode) payloads.read(upstreamBody);
            forwarded = merged.path("Records").deepCopy().elements();
        }
        ArrayNode entries = merged.putArray("Records");
        int failedCount = 0;
        for (int i = 0; i < records.size(); i++) {
            JsonNode entry;
            if (failed.get(i)) {
                entry = payloads.object().put("ErrorCode", THROTTLED).put("ErrorMessage", messages[i]);
            } else if (forwarded.hasNext()) {
                entry = forwarded.next();
            } else {
                throw new IOException("Upstream PutRecords answered fewer entries than were forwarded");
            }
            if (entry.hasNonNull("ErrorCode")) {
                failedCount++;
            }
            entries.add(entry);
        }
        merged.put("FailedRecordCount", failedCount);
        return payloads.write(merged);
    }
}
