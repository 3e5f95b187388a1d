package io.shardwise.producer;

import io.shardwise.kinesis.AwsErrorClassifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Producer metrics under the KPL's names, units and dimensions, so dashboards and alarms built on the
 * KPL's CloudWatch metrics read them unchanged. The names are the ones the KPL's daemon publishes
 * (its guide prints some of them as phrases: "Request Time" is published as RequestTime, "User Records
 * per Kinesis Record" as UserRecordsPerKinesisRecord, "Kinesis Records per PutRecordsRequest" as
 * KinesisRecordsPerPutRecordsRequest).
 *
 * <p>As in the KPL, every observation goes to the series of each granularity up to the chosen one:
 * without dimensions, per StreamName, and per StreamName and ShardId (ErrorCode comes on top for
 * ErrorsByCode). Counts are Counters (CloudWatch's unit Count), sizes DistributionSummaries in bytes,
 * per-record and per-request ratios DistributionSummaries and the pending records a Gauge with the base
 * unit "count" (so CloudWatch gets Count rather than None), times Timers (milliseconds in CloudWatch). A
 * Counter has no base unit: CloudWatch counts it in Count anyway, and Prometheus would add it to the name. A metric above the chosen {@link MetricsLevel} is not registered at all.
 */
final class KplProducerMetrics implements ProducerMetrics {
    static final String STREAM_NAME = "StreamName";
    static final String SHARD_ID = "ShardId";
    static final String ERROR_CODE = "ErrorCode";

    static final String USER_RECORDS_RECEIVED = "UserRecordsReceived";
    static final String USER_RECORDS_PENDING = "UserRecordsPending";
    static final String USER_RECORDS_PUT = "UserRecordsPut";
    static final String USER_RECORDS_DATA_PUT = "UserRecordsDataPut";
    static final String KINESIS_RECORDS_PUT = "KinesisRecordsPut";
    static final String KINESIS_RECORDS_DATA_PUT = "KinesisRecordsDataPut";
    static final String ERRORS_BY_CODE = "ErrorsByCode";
    static final String ALL_ERRORS = "AllErrors";
    static final String RETRIES_PER_RECORD = "RetriesPerRecord";
    static final String USER_RECORD_EXPIRED = "UserRecordExpired";
    static final String BUFFERING_TIME = "BufferingTime";
    static final String REQUEST_TIME = "RequestTime";
    static final String USER_RECORDS_PER_KINESIS_RECORD = "UserRecordsPerKinesisRecord";
    static final String KINESIS_RECORDS_PER_PUT_RECORDS_REQUEST = "KinesisRecordsPerPutRecordsRequest";
    static final String USER_RECORDS_PER_PUT_RECORDS_REQUEST = "UserRecordsPerPutRecordsRequest";

    /** The KPL's level of each metric: those not listed here are DETAILED. */
    private static final Map<String, MetricsLevel> SUMMARY_METRICS = Map.of(
            USER_RECORDS_PUT, MetricsLevel.SUMMARY, KINESIS_RECORDS_PUT, MetricsLevel.SUMMARY,
            ERRORS_BY_CODE, MetricsLevel.SUMMARY, ALL_ERRORS, MetricsLevel.SUMMARY,
            USER_RECORD_EXPIRED, MetricsLevel.SUMMARY, BUFFERING_TIME, MetricsLevel.SUMMARY);

    /** Pending-record gauges of every producer on one registry, summed per series (one gauge per series). */
    private static final Map<MeterRegistry, Map<Tags, PendingSum>> PENDING = new WeakHashMap<>();

    private final MeterRegistry registry;
    private final String stream;
    private final MetricsLevel level;
    private final MetricsGranularity granularity;
    /** Meters of one (name, shard, error code), one per granularity it is published at. */
    private final Map<String, List<Counter>> counters = new ConcurrentHashMap<>();
    private final Map<String, List<DistributionSummary>> summaries = new ConcurrentHashMap<>();
    private final Map<String, List<Timer>> timers = new ConcurrentHashMap<>();

    KplProducerMetrics(MeterRegistry registry, String stream, MetricsLevel level, MetricsGranularity granularity) {
        this.registry = registry;
        this.stream = stream;
        this.level = level;
        this.granularity = granularity;
    }

    @Override
    public void userRecordReceived() {
        count(USER_RECORDS_RECEIVED, null, null, 1);
    }

    @Override
    public <T> void userRecordsPending(T source, ToDoubleFunction<T> count) {
        if (!published(USER_RECORDS_PENDING)) {
            return;
        }
        for (Tags tags : levels(null, null)) {
            PendingSum sum;
            synchronized (PENDING) {
                sum = PENDING.computeIfAbsent(registry, r -> new ConcurrentHashMap<>()).computeIfAbsent(tags, t -> {
                    PendingSum created = new PendingSum();
                    Gauge.builder(USER_RECORDS_PENDING, created, PendingSum::value).tags(t).baseUnit("count")
                            .description("user records held without a result").strongReference(true).register(registry);
                    return created;
                });
            }
            sum.add(source, count);
        }
    }

    @Override
    public void putRecordsAnswered(PutBatch batch, PutRecordsResponse response, Throwable error, long nanos) {
        time(REQUEST_TIME, null, nanos);
        summary(KINESIS_RECORDS_PER_PUT_RECORDS_REQUEST, null, batch.entries().size());
        summary(USER_RECORDS_PER_PUT_RECORDS_REQUEST, null, batch.entries().stream().mapToInt(e -> e.userRecords().size()).sum());
        for (PutBatch.Entry entry : batch.entries()) {
            summary(USER_RECORDS_PER_KINESIS_RECORD, predictedShard(entry), entry.userRecords().size());
        }
        if (error != null || response == null) {
            // The whole call failed: one error for the stream, as the KPL counts a failed request.
            count(ERRORS_BY_CODE, null, AwsErrorClassifier.ofCall(error).code(), 1);
            count(ALL_ERRORS, null, null, 1);
            return;
        }
        List<PutRecordsResultEntry> results = response.records();
        for (int i = 0; i < Math.min(results.size(), batch.entries().size()); i++) {
            PutBatch.Entry entry = batch.entries().get(i);
            String shard = predictedShard(entry);
            PutRecordsResultEntry result = results.get(i);
            if (result.errorCode() == null) {
                count(KINESIS_RECORDS_PUT, shard, null, 1);
                summary(KINESIS_RECORDS_DATA_PUT, shard, entry.sizeBytes());
            } else {
                count(ERRORS_BY_CODE, shard, result.errorCode(), 1);
                count(ALL_ERRORS, shard, null, 1);
            }
        }
    }

    @Override
    public void userRecordsStored(List<PendingRecord> records, List<SendResult> results) {
        long nowNanos = System.nanoTime();
        Instant now = Instant.now();
        for (int i = 0; i < records.size(); i++) {
            PendingRecord record = records.get(i);
            SendResult result = results.get(i);
            count(USER_RECORDS_PUT, result.shardId(), null, 1);
            summary(USER_RECORDS_DATA_PUT, result.shardId(), record.data.length);
            finished(record, result.shardId(), result.attempts(), nowNanos, now);
        }
    }

    @Override
    public void userRecordsNotStored(List<PendingRecord> records) {
        long nowNanos = System.nanoTime();
        Instant now = Instant.now();
        for (PendingRecord record : records) {
            // The shard a failed record was meant for is not kept with it: these carry the stream only.
            if (failure(record) instanceof RecordExpiredException) {
                count(USER_RECORD_EXPIRED, null, null, 1);
            }
            finished(record, null, record.attempts(), nowNanos, now);
        }
    }

    /** BufferingTime of each attempt (from arrival, then from the end of the attempt before) and RetriesPerRecord. */
    private void finished(PendingRecord record, String shard, List<Attempt> attempts, long nowNanos, Instant now) {
        Instant last = now.minusNanos(nowNanos - record.createdNanos);
        for (Attempt attempt : attempts) {
            time(BUFFERING_TIME, shard, Math.max(0, Duration.between(last, attempt.startedAt()).toNanos()));
            last = attempt.startedAt().plus(attempt.duration());
        }
        summary(RETRIES_PER_RECORD, shard, Math.max(0, attempts.size() - 1));
    }

    private static Throwable failure(PendingRecord record) {
        try {
            record.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return e;
        }
    }

    private static String predictedShard(PutBatch.Entry entry) {
        return entry.queue().isUnknown() ? null : entry.queue().id();
    }

    private void count(String name, String shard, String errorCode, double amount) {
        for (Counter counter : meters(counters, name, shard, errorCode,
                tags -> Counter.builder(name).tags(tags).register(registry))) {
            counter.increment(amount);
        }
    }

    private void summary(String name, String shard, double value) {
        String unit = name.endsWith("DataPut") ? "bytes" : "count";
        for (DistributionSummary summary : meters(summaries, name, shard, null,
                tags -> DistributionSummary.builder(name).tags(tags).baseUnit(unit).register(registry))) {
            summary.record(value);
        }
    }

    private void time(String name, String shard, long nanos) {
        for (Timer timer : meters(timers, name, shard, null, tags -> Timer.builder(name).tags(tags).register(registry))) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private <M> List<M> meters(Map<String, List<M>> cache, String name, String shard, String errorCode,
                               Function<Tags, M> register) {
        String key = name + '\u0000' + shard + '\u0000' + errorCode;
        List<M> meters = cache.get(key);
        if (meters == null) {
            meters = cache.computeIfAbsent(key, k -> {
                List<M> created = new ArrayList<>(3);
                if (published(name)) {
                    levels(shard, errorCode).forEach(tags -> created.add(register.apply(tags)));
                }
                return List.copyOf(created);
            });
        }
        return meters;
    }

    private boolean published(String name) {
        return SUMMARY_METRICS.getOrDefault(name, MetricsLevel.DETAILED).compareTo(level) <= 0;
    }

    /** The dimensions of each series an observation goes to, from global up to the chosen granularity. */
    private List<Tags> levels(String shard, String errorCode) {
        Tags global = errorCode == null ? Tags.empty() : Tags.of(ERROR_CODE, errorCode);
        List<Tags> levels = new ArrayList<>(3);
        levels.add(global);
        if (granularity.compareTo(MetricsGranularity.STREAM) >= 0) {
            Tags perStream = global.and(STREAM_NAME, stream);
            levels.add(perStream);
            if (granularity == MetricsGranularity.SHARD && shard != null) {
                levels.add(perStream.and(SHARD_ID, shard));
            }
        }
        return levels;
    }

    /** The sum of the pending records of every producer that reports to one series. */
    private static final class PendingSum {
        private final List<Source<?>> sources = new CopyOnWriteArrayList<>();

        <T> void add(T source, ToDoubleFunction<T> count) {
            sources.add(new Source<>(new WeakReference<>(source), count));
        }

        double value() {
            double total = 0;
            for (Source<?> source : sources) {
                total += source.value();
            }
            sources.removeIf(Source::gone);
            return total;
        }
    }

    /** A producer's count, held weakly so a producer that is dropped does not stay reachable from the registry. */
    private record Source<T>(WeakReference<T> source, ToDoubleFunction<T> count) {
        double value() {
            T target = source.get();
            return target == null ? 0 : count.applyAsDouble(target);
        }

        boolean gone() {
            return source.get() == null;
        }
    }
}
