package io.shardwise.it.consumer;

import io.shardwise.consumer.Checkpoint;
import io.shardwise.consumer.Checkpointer;
import io.shardwise.consumer.ConsumerRecord;
import io.shardwise.consumer.RecordProcessor;
import io.shardwise.consumer.RecordProcessorFactory;
import io.shardwise.consumer.StreamIdentifier;
import io.shardwise.consumer.ShardStart;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * What the processors of a multi-stream consumer received, by the stream their factory was told,
 * in arrival order; and the life-cycle events of those processors. Payloads written by
 * {@link #write} carry their stream's name, so a record handed to the processor of another stream
 * shows.
 */
final class StreamDeliveries {
    record Delivery(String worker, StreamIdentifier stream, ConsumerRecord record) {
        String payload() {
            return new String(record.data(), StandardCharsets.UTF_8);
        }
    }

    record Event(String worker, StreamIdentifier stream, String shardId, String what) {
    }

    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();

    /** Writes payloads {@code <stream>/<n>} for n in [from, to), over 8 partition keys; returns them. */
    static List<String> write(KinesisClient kinesis, String stream, int from, int to) {
        List<String> payloads = new ArrayList<>();
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int n = from; n < to; n++) {
            String payload = stream + "/" + n;
            payloads.add(payload);
            entries.add(PutRecordsRequestEntry.builder().partitionKey("key-" + (n % 8))
                    .data(SdkBytes.fromString(payload, StandardCharsets.UTF_8)).build());
            if (entries.size() == 100) {
                Writes.put(kinesis, stream, entries);
                entries = new ArrayList<>();
            }
        }
        if (!entries.isEmpty()) {
            Writes.put(kinesis, stream, entries);
        }
        return payloads;
    }

    /** A factory whose processors record what they get and checkpoint after each batch. */
    RecordProcessorFactory factory(String worker) {
        return RecordProcessorFactory.perStream((stream, shardId) -> {
            Objects.requireNonNull(stream, "a multi-stream consumer must tell the stream");
            return new Recording(worker, stream, shardId);
        });
    }

    synchronized List<Delivery> of(StreamIdentifier stream) {
        return deliveries.stream().filter(d -> d.stream().equals(stream)).toList();
    }

    synchronized List<String> payloads(StreamIdentifier stream) {
        return of(stream).stream().map(Delivery::payload).toList();
    }

    synchronized long distinct(StreamIdentifier stream) {
        return payloads(stream).stream().distinct().count();
    }

    synchronized List<Event> events() {
        return new ArrayList<>(events);
    }

    private synchronized void add(Delivery d) {
        deliveries.add(d);
    }

    private synchronized void event(Event e) {
        events.add(e);
    }

    private final class Recording implements RecordProcessor {
        private final String worker;
        private final StreamIdentifier stream;
        private final String shardId;

        Recording(String worker, StreamIdentifier stream, String shardId) {
            this.worker = worker;
            this.stream = stream;
            this.shardId = shardId;
        }

        @Override
        public void initialize(ShardStart start) {
            event(new Event(worker, stream, shardId, "initialize"));
        }

        @Override
        public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long behind) {
            records.forEach(r -> add(new Delivery(worker, stream, r)));
            checkpointer.checkpoint();
        }

        @Override
        public void shardEnded(Checkpointer checkpointer) {
            event(new Event(worker, stream, shardId, "shardEnded"));
            checkpointer.checkpoint(Checkpoint.SHARD_END);
        }

        @Override
        public void shutdownRequested(Checkpointer checkpointer) {
            event(new Event(worker, stream, shardId, "shutdownRequested"));
        }

        @Override
        public void leaseLost() {
            event(new Event(worker, stream, shardId, "leaseLost"));
        }
    }
}
