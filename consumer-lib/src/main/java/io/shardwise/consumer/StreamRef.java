package io.shardwise.consumer;

import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;

/** The stream, by name or ARN (exactly one is set), applied to requests. */
record StreamRef(String name, String arn) {
    GetShardIteratorRequest.Builder apply(GetShardIteratorRequest.Builder b) {
        return arn != null ? b.streamARN(arn) : b.streamName(name);
    }

    ListShardsRequest.Builder apply(ListShardsRequest.Builder b) {
        return arn != null ? b.streamARN(arn) : b.streamName(name);
    }

    String label() {
        return arn != null ? arn : name;
    }
}
