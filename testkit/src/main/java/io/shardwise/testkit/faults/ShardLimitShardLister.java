package io.shardwise.testkit.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a stream's open shards with ListShards, sent straight to {@code upstream} in JSON. It
 * signs nothing: it reuses the Authorization and date headers of the {@code caller}'s own request,
 * which tell the engine the account and region the stream lives in.
 */
record ShardLimitShardLister(URI upstream, FaultHttpHead caller) implements ShardLimitShardMap.Lister {

    private static final String[] CALLER_HEADERS = {"Authorization", "X-Amz-Date", "X-Amz-Security-Token"};

    @Override
    public List<ShardLimitShardMap.Shard> openShards(String stream) throws IOException {
        FaultPayloads json = FaultPayloads.forContentType(FaultPayloads.JSON_TYPE);
        List<ShardLimitShardMap.Shard> open = new ArrayList<>();
        try (FaultUpstream connection = new FaultUpstream(upstream)) {
            String nextToken = null;
            do {
                ObjectNode request = json.object();
                if (nextToken != null) {
                    request.put("NextToken", nextToken);
                } else {
                    request.put(stream.startsWith("arn:") ? "StreamARN" : "StreamName", stream);
                }
                byte[] body = json.write(request);
                FaultHttpHead response = connection.exchange(head(body.length), body);
                byte[] answer = FaultHttpBody.read(FaultHttpBody.responseFraming(response), response, connection.in());
                if (response.status() != 200) {
                    return List.of();
                }
                JsonNode tree = json.read(answer);
                for (JsonNode shard : tree.path("Shards")) {
                    if (!shard.path("SequenceNumberRange").path("EndingSequenceNumber").isTextual()) {
                        open.add(new ShardLimitShardMap.Shard(shard.path("ShardId").asText(),
                                new BigInteger(shard.path("HashKeyRange").path("StartingHashKey").asText()),
                                new BigInteger(shard.path("HashKeyRange").path("EndingHashKey").asText())));
                    }
                }
                nextToken = tree.path("NextToken").isTextual() ? tree.get("NextToken").asText() : null;
            } while (nextToken != null);
        }
        return open;
    }

    private FaultHttpHead head(int length) {
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Host", upstream.getHost() + ":" + FaultUpstream.address(upstream).getPort()});
        headers.add(new String[] {"Content-Type", FaultPayloads.JSON_TYPE});
        headers.add(new String[] {"X-Amz-Target", "Kinesis_20131202.ListShards"});
        headers.add(new String[] {"Content-Length", Integer.toString(length)});
        for (String name : CALLER_HEADERS) {
            String value = caller.header(name);
            if (value != null) {
                headers.add(new String[] {name, value});
            }
        }
        return new FaultHttpHead("POST / HTTP/1.1", headers);
    }
}
