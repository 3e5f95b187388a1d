package io.shardwise.consumer;

import io.shardwise.aggregation.HashKeyRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * The streams of a multi-stream consumer: polls the {@link StreamTracker}, keeps one
 * {@link ShardSync} per tracked stream (each with the stream's own initial position and the same
 * start rules), and handles streams that leave the tracker.
 *
 * <p>All streams share one lease table, so the lease rounds balance the leases of every stream
 * together, by lease key. What the rounds see is restricted ({@link LeaseTable#showOnly}) to the
 * leases of tracked streams, plus the leases this worker still owns: a removed stream's leases are
 * neither taken nor counted for balancing, while its running shards shut down visibly (each
 * processor may checkpoint, then the lease is released; the released lease leaves the view).
 *
 * <p>Former streams (leases in the table, stream not tracked) are handled per the tracker's
 * {@link FormerStreamsLeasesDeletionStrategy}: kept, or deleted once this worker has seen them
 * untracked for the wait period, checked at every poll with one keys-only scan of the table.
 */
final class MultiStreamSync implements LeaseSync, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MultiStreamSync.class);

    private record Tracked(StreamConfig config, StreamScope scope, ShardSync sync) {
    }

    private final KinesisAsyncClient kinesis;
    private final LeaseStore table;
    private final StreamTracker tracker;
    private final Duration pollInterval;
    private final Function<StreamConfig, RetrieverFactory> retrievers;
    private final String workerId;
    private final ConsumerMetrics metrics;
    private final ScheduledExecutorService poller;
    private volatile Map<StreamIdentifier, Tracked> tracked = Map.of();
    /** The serialized identifiers of the tracked streams: every scan checks each lease key against them. */
    private volatile Set<String> trackedPrefixes = Set.of();
    /** Former streams with the time (System.nanoTime) this worker first saw their leases untracked. */
    private final Map<StreamIdentifier, Long> formerSince = new HashMap<>();
    private volatile LeaseCoordinator coordinator;

    MultiStreamSync(KinesisAsyncClient kinesis, LeaseStore table, StreamTracker tracker, Duration pollInterval,
                    Function<StreamConfig, RetrieverFactory> retrievers, String workerId, ConsumerMetrics metrics) {
        this.kinesis = kinesis;
        this.table = table;
        this.tracker = tracker;
        this.pollInterval = pollInterval;
        this.retrievers = retrievers;
        this.workerId = workerId;
        this.metrics = metrics;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shardwise-streams-" + workerId);
            t.setDaemon(true);
            return t;
        });
        table.showOnly(lease -> isTracked(lease.leaseKey()) || workerId.equals(lease.owner()));
    }

    /** Reads the tracker once (before the first lease round), then every poll interval. */
    void start(LeaseCoordinator leaseCoordinator) {
        this.coordinator = leaseCoordinator;
        poller.scheduleWithFixedDelay(this::safePoll, pollInterval.toMillis(), pollInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The streams tracked now. */
    Set<StreamIdentifier> trackedStreams() {
        return Set.copyOf(tracked.keySet());
    }

    private void safePoll() {
        try {
            poll();
        } catch (RuntimeException e) {
            log.warn("Polling the stream tracker of {} failed: {}; the streams stay as they were", workerId,
                    e.toString());
        }
    }

    /** Applies the tracker's current list: new streams get synced, removed ones stop; former streams' leases age. */
    void poll() {
        List<StreamConfig> configs = Objects.requireNonNull(tracker.streamConfigList(),
                "StreamTracker.streamConfigList() returned null");
        Map<StreamIdentifier, Tracked> before = tracked;
        Map<StreamIdentifier, Tracked> now = new LinkedHashMap<>();
        boolean added = false;
        for (StreamConfig config : configs) {
            StreamIdentifier id = config.streamIdentifier();
            if (now.containsKey(id)) {
                throw new IllegalArgumentException("the stream tracker returned " + id + " twice");
            }
            Tracked known = before.get(id);
            if (known != null && known.config().equals(config)) {
                now.put(id, known);
                continue;
            }
            StreamScope scope = StreamScope.multi(config, retrievers.apply(config));
            now.put(id, new Tracked(config, scope, new ShardSync(kinesis, scope, table, ConsumerMetrics.NONE)));
            added = true;
            log.info("Worker {} tracks stream {} (initial position {})", workerId, id,
                    config.initialPosition().checkpoint());
        }
        tracked = Map.copyOf(now);
        trackedPrefixes = now.keySet().stream().map(StreamIdentifier::serialize).collect(Collectors.toUnmodifiableSet());
        for (StreamIdentifier id : before.keySet()) {
            if (!now.containsKey(id)) {
                log.info("Worker {} no longer tracks stream {}: its shards stop here", workerId, id);
            }
        }
        LeaseCoordinator c = coordinator;
        if (c != null) {
            // Every poll, not only at a removal: a lease of a removed stream may have started in a racing round.
            c.shutDownShards(key -> !isTracked(key));
            if (added) {
                c.requestShardSync();
            }
        }
        tracker.formerStreamsLeasesDeletionStrategy().waitPeriodToDeleteFormerStreams()
                .ifPresent(this::deleteFormerStreamsAfter);
    }

    private void deleteFormerStreamsAfter(Duration wait) {
        Map<StreamIdentifier, List<String>> former = new HashMap<>();
        for (String key : table.allLeaseKeys()) {
            Optional<MultiStreamLeaseKey> parsed = MultiStreamLeaseKey.tryParse(key);
            if (parsed.isPresent() && !tracked.containsKey(parsed.get().stream())) {
                former.computeIfAbsent(parsed.get().stream(), s -> new ArrayList<>()).add(key);
            }
        }
        formerSince.keySet().retainAll(former.keySet());
        long now = System.nanoTime();
        for (var entry : former.entrySet()) {
            long since = formerSince.computeIfAbsent(entry.getKey(), s -> now);
            if (now - since < wait.toNanos()) {
                continue;
            }
            for (String key : entry.getValue()) {
                table.deleteLease(key);
            }
            formerSince.remove(entry.getKey());
            log.info("Deleted the {} leases of former stream {}: untracked for {} (waitPeriodToDeleteFormerStreams {})",
                    entry.getValue().size(), entry.getKey(), Duration.ofNanos(now - since), wait);
        }
    }

    private boolean isTracked(String leaseKey) {
        int last = leaseKey.lastIndexOf(':');
        return last > 0 && trackedPrefixes.contains(leaseKey.substring(0, last));
    }

    /**
     * Syncs every tracked stream. A stream whose sync fails is logged and retried at the next sync;
     * the other streams are synced regardless.
     */
    @Override
    public int sync(TableSnapshot snapshot) {
        int created = 0;
        int holes = 0;
        for (Tracked t : tracked.values()) {
            try {
                created += t.sync().sync(snapshot);
            } catch (RuntimeException e) {
                log.warn("Shard sync of stream {} failed: {}; the next shard sync retries", t.scope().label(),
                        e.toString());
            }
            holes += t.sync().streamHoles().size();
        }
        metrics.hashKeyRangeHoles(holes);
        return created;
    }

    @Override
    public StreamScope scopeOf(String leaseKey) {
        Optional<MultiStreamLeaseKey> key = MultiStreamLeaseKey.tryParse(leaseKey);
        Tracked t = key.map(k -> tracked.get(k.stream())).orElse(null);
        if (t != null) {
            return t.scope();
        }
        return StreamScope.inactive(key.map(MultiStreamLeaseKey::stream).orElse(null));
    }

    @Override
    public List<HashKeyRange> streamHoles() {
        List<HashKeyRange> holes = new ArrayList<>();
        tracked.values().forEach(t -> holes.addAll(t.sync().streamHoles()));
        return holes;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
