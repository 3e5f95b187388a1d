package io.shardwise.kpl;

import io.shardwise.producer.KinesisProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One {@link KinesisProducer} per stream, built on first use: the KPL takes the stream with each
 * record, while a Shardwise producer is bound to one stream.
 */
final class StreamProducers {
    private final Function<String, KinesisProducer> factory;
    private final Map<String, KinesisProducer> producers = new ConcurrentHashMap<>();
    private boolean closed;

    StreamProducers(Function<String, KinesisProducer> factory) {
        this.factory = factory;
    }

    /** The stream's producer, built now if it is the stream's first record. */
    KinesisProducer forStream(String stream) {
        KinesisProducer producer = producers.get(stream);
        if (producer != null) {
            return producer;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the producer was destroyed; a record for stream " + stream
                        + " was not accepted. Build a new ShardwiseKplProducer to send again");
            }
            // Not computeIfAbsent: building a producer starts threads and a client, too much for a map lock.
            producer = producers.get(stream);
            if (producer == null) {
                producer = factory.apply(stream);
                producers.put(stream, producer);
            }
            return producer;
        }
    }

    /** The stream's producer, or null when nothing was sent to it. */
    KinesisProducer existing(String stream) {
        return producers.get(stream);
    }

    Collection<KinesisProducer> all() {
        return producers.values();
    }

    /** Closes every producer, waiting at most {@code timeout} for each; none is built afterwards. */
    void closeAll(Duration timeout) {
        List<KinesisProducer> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(producers.values());
        }
        for (KinesisProducer producer : toClose) {
            producer.close(timeout);
        }
    }
}
