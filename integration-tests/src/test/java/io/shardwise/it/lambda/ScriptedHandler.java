package io.shardwise.it.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.shardwise.lambda.KinesisUserRecord;
import io.shardwise.lambda.UserRecordHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A per-record function that fails chosen payloads a set number of times and remembers what ran;
 * thread-safe, as concurrent batches need.
 */
final class ScriptedHandler implements UserRecordHandler {
    final Map<String, Integer> failuresLeft = new ConcurrentHashMap<>();
    final List<String> attempts = new CopyOnWriteArrayList<>();
    final List<KinesisUserRecord> successes = new CopyOnWriteArrayList<>();
    private final Predicate<KinesisUserRecord> counted;

    /** @param counted the successes the per-payload and per-key views count (a warm-up record is not) */
    ScriptedHandler(Map<String, Integer> failures, Predicate<KinesisUserRecord> counted) {
        failuresLeft.putAll(failures);
        this.counted = counted;
    }

    @Override
    public void handle(KinesisUserRecord record, Context context) {
        String payload = record.text();
        attempts.add(payload);
        if (failuresLeft.getOrDefault(payload, 0) > 0) {
            failuresLeft.merge(payload, -1, Integer::sum);
            throw new IllegalStateException("chosen failure of " + payload);
        }
        successes.add(record);
    }

    Map<String, Long> successCounts() {
        return successes.stream().filter(counted).map(KinesisUserRecord::text)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    long attemptsOf(String payload) {
        return attempts.stream().filter(payload::equals).count();
    }

    /** Per key, payloads in the order they first succeeded. */
    Map<String, List<String>> firstSuccessOrderPerKey() {
        Map<String, List<String>> order = new LinkedHashMap<>();
        for (KinesisUserRecord r : successes) {
            if (counted.test(r)) {
                List<String> list = order.computeIfAbsent(r.partitionKey(), k -> new ArrayList<>());
                if (!list.contains(r.text())) {
                    list.add(r.text());
                }
            }
        }
        return order;
    }

    /** Per key, payloads in the order they succeeded, repeats included. */
    Map<String, List<String>> successOrderPerKey() {
        Map<String, List<String>> order = new LinkedHashMap<>();
        for (KinesisUserRecord r : successes) {
            if (counted.test(r)) {
                order.computeIfAbsent(r.partitionKey(), k -> new ArrayList<>()).add(r.text());
            }
        }
        return order;
    }
}
