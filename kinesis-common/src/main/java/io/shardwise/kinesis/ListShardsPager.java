package io.shardwise.kinesis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Lists every shard of a stream, open and closed, following ListShards' pages (the SDK has no
 * paginator for it). The first request names the stream; each next one carries the next token
 * alone, because ListShards rejects a stream name or ARN next to a token.
 *
 * <p>The caller makes the call (sync or async client, its own retry, its own timeout), so the pager
 * serves every module the same way; {@code everyRequest} adds settings to each page's request (an
 * API call timeout, for example).
 */
public final class ListShardsPager {

    private final StreamReference stream;
    private final Consumer<ListShardsRequest.Builder> everyRequest;

    public ListShardsPager(StreamReference stream) {
        this(stream, b -> { });
    }

    public ListShardsPager(StreamReference stream, Consumer<ListShardsRequest.Builder> everyRequest) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.everyRequest = Objects.requireNonNull(everyRequest, "everyRequest");
    }

    /** The request of the first page: it names the stream. */
    public ListShardsRequest firstPage() {
        ListShardsRequest.Builder b = StreamRequests.apply(stream, ListShardsRequest.builder());
        everyRequest.accept(b);
        return b.build();
    }

    /** The request of the page after a page that answered {@code nextToken}. */
    public ListShardsRequest nextPage(String nextToken) {
        ListShardsRequest.Builder b = ListShardsRequest.builder().nextToken(Objects.requireNonNull(nextToken, "nextToken"));
        everyRequest.accept(b);
        return b.build();
    }

    /** Every shard, calling {@code listShards} once per page until a page has no next token. */
    public List<Shard> listAll(Function<ListShardsRequest, ListShardsResponse> listShards) {
        List<Shard> shards = new ArrayList<>();
        ListShardsResponse page = listShards.apply(firstPage());
        shards.addAll(page.shards());
        while (page.nextToken() != null) {
            page = listShards.apply(nextPage(page.nextToken()));
            shards.addAll(page.shards());
        }
        return shards;
    }

    /** Like {@link #listAll}, for an async client: each page is requested when the one before it answered. */
    public CompletableFuture<List<Shard>> listAllAsync(
            Function<ListShardsRequest, CompletableFuture<ListShardsResponse>> listShards) {
        List<Shard> shards = new ArrayList<>();
        return pageAsync(listShards, firstPage(), shards).thenApply(done -> shards);
    }

    private CompletableFuture<Void> pageAsync(Function<ListShardsRequest, CompletableFuture<ListShardsResponse>> listShards,
                                              ListShardsRequest request, List<Shard> shards) {
        return listShards.apply(request).thenCompose(page -> {
            shards.addAll(page.shards());
            return page.nextToken() == null ? CompletableFuture.completedFuture(null)
                    : pageAsync(listShards, nextPage(page.nextToken()), shards);
        });
    }

    @Override
    public String toString() {
        return "ListShardsPager[" + stream.label() + "]";
    }
}
