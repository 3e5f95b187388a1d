package io.shardwise.testkit.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;

/**
 * Shards that no longer exist, as Kinesis shows a shard trimmed after the retention period: ListShards
 * leaves them out, and GetShardIterator for one answers 400 ResourceNotFoundException.
 */
final class FaultGoneShards {
    private FaultGoneShards() {
    }

    /** The ResourceNotFoundException for a GetShardIterator of a gone shard; false when the shard exists. */
    static boolean answersGone(byte[] body, FaultPayloads payloads, Set<String> gone, FaultTally tally,
                               OutputStream out) throws IOException {
        JsonNode request;
        try {
            request = payloads.read(body);
        } catch (IOException unreadable) {
            return false; // upstream names what is wrong with it
        }
        String shardId = request.path("ShardId").asText(null);
        if (shardId == null || !gone.contains(shardId)) {
            return false;
        }
        tally.injected(FaultKind.SHARD_GONE, "GetShardIterator", 1);
        FaultAnswers.error(out, payloads, FaultService.KINESIS, "400 Bad Request", "ResourceNotFoundException",
                "Shard " + shardId + " in stream " + request.path("StreamName").asText("") + " under account"
                        + " 000000000000 does not exist (trimmed; injected by FaultProxy)");
        return true;
    }

    /** A ListShards answer of upstream without the gone shards; other answers unchanged. */
    static byte[] withoutGone(byte[] answer, FaultPayloads payloads, Set<String> gone) throws IOException {
        JsonNode page = payloads.read(answer);
        if (!(page instanceof ObjectNode object) || !(page.get("Shards") instanceof ArrayNode shards)) {
            return answer;
        }
        ArrayNode kept = object.putArray("Shards");
        for (JsonNode shard : shards) {
            if (!gone.contains(shard.path("ShardId").asText())) {
                kept.add(shard);
            }
        }
        return payloads.write(object);
    }
}
