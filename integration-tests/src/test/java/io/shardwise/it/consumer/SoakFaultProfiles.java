package io.shardwise.it.consumer;

import io.shardwise.testkit.faults.FaultProxy;
import io.shardwise.testkit.faults.FaultRules;

import java.time.Duration;

/**
 * The proxy fault profiles a {@link SoakSchedule} names, set on and off on a running proxy. The
 * probabilities stay moderate: the SDK's retries ride most of them out, the rest reach the
 * consumer as failed calls.
 */
final class SoakFaultProfiles {
    private SoakFaultProfiles() {
    }

    static void apply(FaultProxy proxy, String profile) {
        FaultRules rules = switch (profile) {
            case "getrecords-throttle" -> FaultRules.builder().throttleCalls("GetRecords", 0.3).build();
            case "getrecords-errors" -> FaultRules.builder().serverErrors("GetRecords", 0.1, 0.05).build();
            case "getrecords-latency" -> FaultRules.builder().latency("GetRecords", Duration.ofMillis(400)).build();
            case "getrecords-drops" -> FaultRules.builder().dropConnections("GetRecords", 0.1).build();
            case "putrecords-throttle-and-errors" -> FaultRules.builder().throttleEntries(0.1)
                    .serverErrors("PutRecords", 0.05, 0.0).build();
            case "listshards-throttle" -> FaultRules.builder().throttleCalls("ListShards", 0.5).build();
            case "throttle-all" -> FaultRules.builder().throttleCalls(FaultRules.ANY_OPERATION, 0.1).build();
            case "errors-all" -> FaultRules.builder().serverErrors(FaultRules.ANY_OPERATION, 0.05, 0.0).build();
            case "drops-all" -> FaultRules.builder().dropConnections(FaultRules.ANY_OPERATION, 0.05).build();
            case "scan-latency" -> FaultRules.builder().latency("Scan", Duration.ofMillis(300)).build();
            case "getitem-latency" -> FaultRules.builder().latency("GetItem", Duration.ofMillis(200)).build();
            case "updateitem-throttle" -> FaultRules.builder().throttleCalls("UpdateItem", 0.2).build();
            case "updateitem-stall" -> FaultRules.none();
            default -> throw new IllegalArgumentException("unknown fault profile " + profile);
        };
        proxy.setRules(rules);
        if (profile.equals("updateitem-stall")) {
            proxy.setStalled("UpdateItem", true);
        }
    }

    static void clear(FaultProxy proxy) {
        proxy.setRules(FaultRules.none());
        proxy.setStalled("UpdateItem", false);
    }
}
