package io.shardwise.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * What {@code shardwise app describe} shows: one row per shard (its lease, or the stream's listing
 * for a shard without one), the hash-range coverage of the unfinished leases, and the workers.
 */
final class AppDescription {

    static final BigInteger MAX_HASH_KEY = BigInteger.TWO.pow(128).subtract(BigInteger.ONE);

    /** One shard's row. Null fields are unknown (a KCL lease has no checkpoint time nor lag). */
    record ShardRow(String shardId, Set<String> parents, String state, String owner, Boolean ownerLive,
                    String checkpoint, Long checkpointAgeMillis, Long millisBehindLatest, boolean hasLease) {
    }

    record WorkerLine(String workerId, String kind, boolean live, Long livenessAgeMillis, int leaseCount) {
    }

    /** Null {@code gaps} means unknown: an unfinished lease has no hash range and the stream was not given. */
    record Coverage(int unfinishedLeases, List<BigInteger[]> gaps) {
    }

    private final String application;
    private final String stream;
    private final long readAt;
    private final List<ShardRow> shards;
    private final Coverage coverage;
    private final List<WorkerLine> workers;

    private AppDescription(String application, String stream, long readAt, List<ShardRow> shards, Coverage coverage,
                           List<WorkerLine> workers) {
        this.application = application;
        this.stream = stream;
        this.readAt = readAt;
        this.shards = shards;
        this.coverage = coverage;
        this.workers = workers;
    }

    /** {@code listed} is the stream's shards, or null when no stream was given. */
    static AppDescription of(String application, String stream, AppSnapshot now, Set<String> live, List<Shard> listed) {
        Map<String, Shard> byId = new TreeMap<>();
        if (listed != null) {
            listed.forEach(s -> byId.put(s.shardId(), s));
        }
        Map<String, LeaseRow> leases = new TreeMap<>(now.leasesByKey());
        Set<String> ids = new TreeSet<>(leases.keySet());
        ids.addAll(byId.keySet());
        List<ShardRow> rows = new ArrayList<>();
        List<BigInteger[]> ranges = new ArrayList<>();
        boolean rangesKnown = true;
        int unfinished = 0;
        for (String id : ids) {
            LeaseRow lease = leases.get(id);
            Shard shard = byId.get(id);
            Set<String> parents = new TreeSet<>();
            if (lease != null) {
                parents.addAll(lease.parentShardIds());
            }
            if (shard != null) {
                if (shard.parentShardId() != null) {
                    parents.add(shard.parentShardId());
                }
                if (shard.adjacentParentShardId() != null) {
                    parents.add(shard.adjacentParentShardId());
                }
            }
            boolean closed = shard != null ? shard.sequenceNumberRange().endingSequenceNumber() != null
                    : lease != null && !lease.childShardIds().isEmpty();
            String state = lease != null && lease.finished() ? "finished" : closed ? "closed" : "open";
            if (lease == null) {
                rows.add(new ShardRow(id, parents, state, null, null, null, null, null, false));
                continue;
            }
            rows.add(new ShardRow(id, parents, state, lease.owner(), lease.owner() == null ? null : live.contains(lease.owner()),
                    lease.position(), lease.checkpointedAt() == null ? null : now.readAt() - lease.checkpointedAt(),
                    lease.millisBehindLatest(), true));
            if (!lease.finished()) {
                unfinished++;
                String start = lease.startingHashKey() != null ? lease.startingHashKey()
                        : shard == null ? null : shard.hashKeyRange().startingHashKey();
                String end = lease.endingHashKey() != null ? lease.endingHashKey()
                        : shard == null ? null : shard.hashKeyRange().endingHashKey();
                if (start == null || end == null) {
                    rangesKnown = false;
                } else {
                    ranges.add(new BigInteger[] {new BigInteger(start), new BigInteger(end)});
                }
            }
        }
        Coverage coverage = new Coverage(unfinished, rangesKnown ? gaps(ranges) : null);

        Map<String, WorkerLine> workers = new LinkedHashMap<>();
        Map<String, Integer> leaseCounts = new TreeMap<>();
        now.leases().stream().filter(l -> l.owner() != null).forEach(l -> leaseCounts.merge(l.owner(), 1, Integer::sum));
        for (WorkerRow w : now.workers()) {
            Long age = w.reportedAt() == null ? null : now.readAt() - w.reportedAt();
            workers.merge(w.workerId(), new WorkerLine(w.workerId(), w.kind().label, live.contains(w.workerId()), age,
                    leaseCounts.getOrDefault(w.workerId(), 0)), (a, b) -> a.livenessAgeMillis() != null ? a : b);
        }
        // An owner without a liveness item: a KCL 2.x worker, or one whose item is gone.
        leaseCounts.forEach((owner, count) -> workers.putIfAbsent(owner, new WorkerLine(owner,
                "unknown", live.contains(owner), null, count)));
        List<WorkerLine> workerLines = new ArrayList<>(workers.values());
        workerLines.sort(Comparator.comparing(WorkerLine::workerId));
        return new AppDescription(application, stream, now.readAt(), rows, coverage, workerLines);
    }

    /** The parts of [0, 2^128 - 1] that no range covers. */
    static List<BigInteger[]> gaps(List<BigInteger[]> ranges) {
        List<BigInteger[]> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparing(r -> r[0]));
        List<BigInteger[]> gaps = new ArrayList<>();
        BigInteger next = BigInteger.ZERO;
        for (BigInteger[] range : sorted) {
            if (range[0].compareTo(next) > 0) {
                gaps.add(new BigInteger[] {next, range[0].subtract(BigInteger.ONE)});
            }
            if (range[1].add(BigInteger.ONE).compareTo(next) > 0) {
                next = range[1].add(BigInteger.ONE);
            }
        }
        if (next.compareTo(MAX_HASH_KEY) <= 0) {
            gaps.add(new BigInteger[] {next, MAX_HASH_KEY});
        }
        return gaps;
    }

    List<ShardRow> shards() {
        return shards;
    }

    List<WorkerLine> workers() {
        return workers;
    }

    ObjectNode json() {
        ObjectNode root = JsonLines.object();
        root.put("application", application);
        root.put("stream", stream);
        root.put("readAt", Instant.ofEpochMilli(readAt).toString());
        ArrayNode shardArray = root.putArray("shards");
        for (ShardRow row : shards) {
            ObjectNode s = shardArray.addObject();
            s.put("shardId", row.shardId());
            ArrayNode parents = s.putArray("parentShardIds");
            row.parents().forEach(parents::add);
            s.put("state", row.state());
            s.put("hasLease", row.hasLease());
            s.put("owner", row.owner());
            if (row.ownerLive() == null) {
                s.putNull("ownerLive");
            } else {
                s.put("ownerLive", row.ownerLive());
            }
            s.put("checkpoint", row.checkpoint());
            s.put("checkpointAgeMillis", row.checkpointAgeMillis());
            s.put("millisBehindLatest", row.millisBehindLatest());
        }
        ObjectNode cov = root.putObject("hashRangeCoverage");
        cov.put("unfinishedLeases", coverage.unfinishedLeases());
        if (coverage.gaps() == null) {
            cov.putNull("complete");
            cov.putNull("gaps");
        } else {
            cov.put("complete", coverage.gaps().isEmpty());
            ArrayNode gaps = cov.putArray("gaps");
            for (BigInteger[] gap : coverage.gaps()) {
                ObjectNode g = gaps.addObject();
                g.put("startingHashKey", gap[0].toString());
                g.put("endingHashKey", gap[1].toString());
            }
        }
        ArrayNode workerArray = root.putArray("workers");
        workers.forEach(w -> workerArray.add(JsonLines.object(w)));
        return root;
    }

    List<String> text() {
        List<String> out = new ArrayList<>();
        out.add("application " + application + (stream == null ? "" : ", stream " + stream) + ", read at "
                + Instant.ofEpochMilli(readAt));
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("SHARD", "PARENTS", "STATE", "OWNER", "LIVE", "CHECKPOINT", "AGE", "LAG"));
        for (ShardRow row : shards) {
            table.add(List.of(row.shardId(), row.parents().isEmpty() ? "-" : String.join(",", row.parents()),
                    row.state(), row.hasLease() ? (row.owner() == null ? "-" : row.owner()) : "(no lease)",
                    row.ownerLive() == null ? "-" : row.ownerLive() ? "yes" : "no",
                    row.checkpoint() == null ? "-" : row.checkpoint(), age(row.checkpointAgeMillis()),
                    !row.hasLease() ? "-" : row.millisBehindLatest() == null ? "unknown" : row.millisBehindLatest() + "ms"));
        }
        out.addAll(columns(table));
        if (coverage.gaps() == null) {
            out.add("hash-range coverage: unknown (a lease has no hash range; give --stream)");
        } else if (coverage.gaps().isEmpty()) {
            out.add("hash-range coverage: complete (" + coverage.unfinishedLeases() + " unfinished leases)");
        } else {
            List<String> gaps = coverage.gaps().stream().map(g -> g[0] + ".." + g[1]).toList();
            out.add("hash-range coverage: GAPS " + String.join(" ", gaps));
        }
        List<List<String>> workerTable = new ArrayList<>();
        workerTable.add(List.of("WORKER", "KIND", "LIVE", "LAST SEEN", "LEASES"));
        for (WorkerLine w : workers) {
            workerTable.add(List.of(w.workerId(), w.kind(), w.live() ? "yes" : "no",
                    w.livenessAgeMillis() == null ? "unknown" : age(w.livenessAgeMillis()) + " ago",
                    Integer.toString(w.leaseCount())));
        }
        if (workers.isEmpty()) {
            out.add("workers: none");
        } else {
            out.addAll(columns(workerTable));
        }
        return out;
    }

    /** 850ms, 12.3s, 4m05s, 2h03m, 3d04h. */
    static String age(Long millis) {
        if (millis == null) {
            return "-";
        }
        long ms = Math.max(0, millis);
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s / 3600 % 24);
    }

    /** Left-aligned columns two spaces apart; the last column is not padded. */
    static List<String> columns(List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
