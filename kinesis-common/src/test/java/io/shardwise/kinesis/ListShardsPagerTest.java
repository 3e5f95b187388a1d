package io.shardwise.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

class ListShardsPagerTest {

    /** Three pages of two shards: the fake answers by token, like ListShards, and records each request. */
    private static final class PagedShards {
        final List<ListShardsRequest> requests = new ArrayList<>();

        ListShardsResponse answer(ListShardsRequest request) {
            requests.add(request);
            int page = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken().substring(5));
            List<Shard> shards = List.of(shard(2 * page), shard(2 * page + 1));
            return ListShardsResponse.builder().shards(shards).nextToken(page < 2 ? "page-" + (page + 1) : null).build();
        }

        private static Shard shard(int n) {
            return Shard.builder().shardId(String.format("shardId-%012d", n)).build();
        }
    }

    @Test
    void followsEveryPageAndNamesTheStreamOnlyOnTheFirst() {
        PagedShards kinesis = new PagedShards();
        ListShardsPager pager = new ListShardsPager(StreamReference.parse("orders"),
                b -> b.overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(10))));

        List<Shard> shards = pager.listAll(kinesis::answer);

        assertThat(shards).extracting(Shard::shardId).containsExactly("shardId-000000000000", "shardId-000000000001",
                "shardId-000000000002", "shardId-000000000003", "shardId-000000000004", "shardId-000000000005");
        assertThat(kinesis.requests).hasSize(3);
        assertThat(kinesis.requests.get(0).streamName()).isEqualTo("orders");
        assertThat(kinesis.requests.get(0).nextToken()).isNull();
        assertThat(kinesis.requests.subList(1, 3)).allSatisfy(r -> {
            assertThat(r.streamName()).isNull();
            assertThat(r.streamARN()).isNull();
        });
        assertThat(kinesis.requests).extracting(ListShardsRequest::nextToken).containsExactly(null, "page-1", "page-2");
        assertThat(kinesis.requests).allSatisfy(r ->
                assertThat(r.overrideConfiguration().orElseThrow().apiCallTimeout()).contains(Duration.ofSeconds(10)));
    }

    @Test
    void theAsyncFormListsTheSameShardsWithAnArn() {
        PagedShards kinesis = new PagedShards();
        ListShardsPager pager = new ListShardsPager(
                StreamReference.parse("arn:aws:kinesis:us-east-1:000000000000:stream/orders"));

        List<Shard> shards = pager.listAllAsync(r -> CompletableFuture.completedFuture(kinesis.answer(r))).join();

        assertThat(shards).hasSize(6);
        assertThat(kinesis.requests.get(0).streamARN()).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/orders");
        assertThat(kinesis.requests.get(0).streamName()).isNull();
    }

    @Test
    void aSinglePageIsOneCall() {
        List<ListShardsRequest> requests = new ArrayList<>();
        List<Shard> shards = new ListShardsPager(StreamReference.parse("s")).listAll(r -> {
            requests.add(r);
            return ListShardsResponse.builder().shards(Shard.builder().shardId("shardId-000000000000").build()).build();
        });
        assertThat(shards).hasSize(1);
        assertThat(requests).hasSize(1);
    }
}
