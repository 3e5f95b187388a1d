package io.shardwise.testkit.faults;

import java.util.Map;

/**
 * A snapshot of what a {@link FaultProxy} has seen and injected. Operations are named without the
 * API prefix, e.g. {@code "PutRecords"}.
 *
 * @param requests         HTTP/1.1 requests seen, per operation (every request counts, faulted or not);
 *                         requests without an X-Amz-Target header, such as a health check, count as {@code "HTTP"}
 * @param injected         faults injected, per kind and per operation
 * @param contentTypes     HTTP/1.1 requests seen, per Content-Type (tells CBOR from JSON clients)
 * @param http2Connections HTTP/2 cleartext connections relayed untouched
 */
public record FaultCounts(Map<String, Long> requests, Map<FaultKind, Map<String, Long>> injected,
                          Map<String, Long> contentTypes, long http2Connections) {

    public FaultCounts {
        requests = Map.copyOf(requests);
        injected = Map.copyOf(injected);
        contentTypes = Map.copyOf(contentTypes);
    }

    /** Requests seen for one operation, e.g. {@code requests("PutRecords")}. */
    public long requests(String operation) {
        return requests.getOrDefault(FaultRules.operationName(operation), 0L);
    }

    /** Requests seen for all operations. */
    public long totalRequests() {
        return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Faults of one kind injected into one operation. */
    public long injected(FaultKind kind, String operation) {
        return injected.getOrDefault(kind, Map.of()).getOrDefault(FaultRules.operationName(operation), 0L);
    }

    /** Faults of one kind injected into any operation. */
    public long injected(FaultKind kind) {
        return injected.getOrDefault(kind, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }
}
