package io.shardwise.consumer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StartingPosition;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEventStream;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;

/**
 * Enhanced fan-out reading of one shard: SubscribeToShard over HTTP/2, events pushed by the stream.
 * Backpressure: one event is requested at a time, and the next only once the worker took the
 * previous one, so a slow processor never grows memory (at most one event waits). A subscription
 * ends after at most 5 minutes; it is renewed, before that, from the continuation sequence number,
 * and re-opened with backoff after errors.
 */
final class FanOutRetriever implements Retriever {
    private static final Logger log = LoggerFactory.getLogger(FanOutRetriever.class);
    /** Renew before the service ends the subscription at 5 minutes. */
    static final Duration RENEW_AFTER = Duration.ofSeconds(270);

    private sealed interface Signal permits Event, Failed, Completed {
    }

    private record Event(SubscribeToShardEvent event) implements Signal {
    }

    private record Failed(Throwable error) implements Signal {
    }

    private record Completed() implements Signal {
    }

    private final FanOutRegistration registration;
    private final ReadStart start;
    private final StopSignal stop;
    private final Duration renewAfter;
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
    /** How long after a subscription ends a ResourceInUseException for the next one is expected, not a warning. */
    private static final Duration IN_USE_AFTER_CANCEL = Duration.ofSeconds(5);
    private long lastCancelNanos = System.nanoTime() - IN_USE_AFTER_CANCEL.toNanos();
    private volatile BlockingQueue<Signal> signals;
    private volatile EventSubscriber current;
    private String continuation;
    private long subscribedAtNanos;
    private boolean awaitingFirstEvent;

    FanOutRetriever(FanOutRegistration registration, ReadStart start, StopSignal stop) {
        this(registration, start, stop, RENEW_AFTER);
    }

    /** {@code renewAfter}: how long a subscription is used before it is renewed (tests shorten it). */
    FanOutRetriever(FanOutRegistration registration, ReadStart start, StopSignal stop, Duration renewAfter) {
        this.renewAfter = renewAfter;
        this.registration = registration;
        this.start = start;
        this.stop = stop;
    }

    @Override
    public RecordBatch next() {
        while (!stop.stopped()) {
            if (signals == null || System.nanoTime() - subscribedAtNanos > renewAfter.toNanos()) {
                cancel();
                try {
                    subscribe();
                } catch (RuntimeException e) {
                    retryLater(e);
                    continue;
                }
            }
            Signal signal;
            try {
                signal = signals.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (signal instanceof Event e) {
                backoff.reset();
                if (awaitingFirstEvent) {
                    awaitingFirstEvent = false;
                    subscriptions.incrementAndGet();
                }
                SubscribeToShardEvent event = e.event();
                EventSubscriber active = current;
                if (active != null) {
                    active.requestNext();
                }
                long behind = event.millisBehindLatest() == null ? 0 : event.millisBehindLatest();
                if (event.continuationSequenceNumber() == null) {
                    cancel();
                    return new RecordBatch(event.records(), behind,
                            event.hasChildShards() ? event.childShards() : List.of());
                }
                continuation = event.continuationSequenceNumber();
                return new RecordBatch(event.records(), behind, null);
            } else if (signal instanceof Failed f) {
                signals = null;
                if (isShardGone(f.error())) {
                    cancel();
                    return RecordBatch.shardGone();
                }
                retryLater(f.error());
            } else if (signal instanceof Completed) {
                // The service ended the subscription (5 minutes): renew from the continuation at once.
                signals = null;
            }
        }
        cancel();
        return null;
    }

    private void retryLater(Throwable error) {
        long delay = backoff.nextDelayMillis();
        if (isResourceInUse(error) && System.nanoTime() - lastCancelNanos < IN_USE_AFTER_CANCEL.toNanos()) {
            // Expected right after a renewal: the service keeps the previous subscription of this
            // consumer and shard for a few seconds after it ends.
            log.info("Subscription to {} is still in use ({}); re-subscribing in {} ms", start.shardId(), error.toString(),
                    delay);
        } else {
            log.warn("Subscription to {} failed ({}); re-subscribing in {} ms", start.shardId(), error.toString(), delay);
        }
        stop.sleep(delay);
    }

    /** A subscription to a shard that no longer exists (trimmed or deleted) fails with ResourceNotFoundException. */
    private static boolean isShardGone(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ResourceNotFoundException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isResourceInUse(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ResourceInUseException) {
                return true;
            }
        }
        return false;
    }

    private void subscribe() {
        BlockingQueue<Signal> queue = new ArrayBlockingQueue<>(4);
        EventSubscriber subscriber = new EventSubscriber(queue);
        SubscribeToShardResponseHandler handler = SubscribeToShardResponseHandler.builder()
                .onError(error -> queue.offer(new Failed(error)))
                .subscriber(() -> subscriber)
                .build();
        // Throws before anything here changes when the consumer cannot be registered: the next call retries.
        var subscription = registration.subscribe(start.shardId(), startingPosition(), handler);
        current = subscriber;
        signals = queue;
        subscribedAtNanos = System.nanoTime();
        awaitingFirstEvent = true;
        subscription.whenComplete((ok, error) -> {
            if (error != null) {
                queue.offer(new Failed(error));
            }
        });
    }

    private StartingPosition startingPosition() {
        return StartingPosition.builder().type(start.iteratorType(continuation))
                .sequenceNumber(start.sequenceNumber(continuation)).timestamp(start.timestamp(continuation)).build();
    }

    private void cancel() {
        EventSubscriber active = current;
        current = null;
        signals = null;
        if (active != null) {
            active.cancel();
            if (!awaitingFirstEvent) {
                lastCancelNanos = System.nanoTime(); // a subscription that delivered ends here
            }
        }
    }

    /** How many subscriptions delivered at least one event (the first, renewals and reconnects). */
    int subscriptions() {
        return subscriptions.get();
    }

    @Override
    public void close() {
        cancel();
    }

    /** Requests one event at first; {@link #next()} requests each following one after taking the previous. */
    private final class EventSubscriber implements Subscriber<SubscribeToShardEventStream> {
        private final BlockingQueue<Signal> queue;
        private volatile Subscription subscription;
        private volatile boolean cancelled;

        EventSubscriber(BlockingQueue<Signal> queue) {
            this.queue = queue;
        }

        void requestNext() {
            Subscription s = subscription;
            if (s != null && !cancelled) {
                s.request(1);
            }
        }

        void cancel() {
            cancelled = true;
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(SubscribeToShardEventStream item) {
            if (item instanceof SubscribeToShardEvent event) {
                queue.offer(new Event(event));
            } else {
                requestNext();
            }
        }

        @Override
        public void onError(Throwable t) {
            queue.offer(new Failed(t));
        }

        @Override
        public void onComplete() {
            queue.offer(new Completed());
        }
    }
}
