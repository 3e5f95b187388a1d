package io.shardwise.it.consumer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The soak's history as it happens: events from the test and from every worker JVM, thread-safe. */
final class SoakRecorder {
    private final List<SoakEvent> events = new ArrayList<>();
    private final Set<String> acked = new HashSet<>();
    private final Set<String> delivered = new HashSet<>();

    synchronized void add(SoakEvent event) {
        events.add(event);
        if (event instanceof SoakEvent.Acked a) {
            acked.add(a.payload());
        } else if (event instanceof SoakEvent.Delivery d) {
            delivered.add(d.payload());
        }
    }

    /** Adds a fault the test itself injected, stamped now, and prints it. */
    void fault(String description) {
        add(new SoakEvent.FaultInjected(description, SoakWorkerMain.nowMicros()));
        note(description);
    }

    /** Prints what the soak does that is no fault (a restart). */
    void note(String description) {
        System.out.printf("SOAK %s: %s%n", java.time.LocalTime.now(), description);
    }

    synchronized List<SoakEvent> events() {
        return new ArrayList<>(events);
    }

    /** How many acknowledged records were not delivered yet. */
    synchronized long undelivered() {
        return acked.stream().filter(p -> !delivered.contains(p)).count();
    }

    synchronized long deliveries() {
        return events.stream().filter(SoakEvent.Delivery.class::isInstance).count();
    }
}
