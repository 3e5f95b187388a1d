package io.shardwise.it.consumer;

import io.shardwise.consumer.ConsumerRecord;
import java.util.ArrayList;
import java.util.List;

/** Every record a test's processors received, in arrival order, with the worker that got it. */
final class Received {
    /** {@code at} is System.nanoTime() for this JVM's processors, epoch millis for child JVMs. */
    record Delivery(String worker, ConsumerRecord record, long atNanos) {
        String payload() {
            return Writes.text(record.data());
        }
    }

    private final List<Delivery> deliveries = new ArrayList<>();

    synchronized void add(String worker, ConsumerRecord record) {
        deliveries.add(new Delivery(worker, record, System.nanoTime()));
    }

    synchronized void add(String worker, ConsumerRecord record, long at) {
        deliveries.add(new Delivery(worker, record, at));
    }

    synchronized List<Delivery> all() {
        return new ArrayList<>(deliveries);
    }

    synchronized List<String> payloads() {
        return deliveries.stream().map(Delivery::payload).toList();
    }

    synchronized long distinctPayloads() {
        return deliveries.stream().map(Delivery::payload).distinct().count();
    }
}
