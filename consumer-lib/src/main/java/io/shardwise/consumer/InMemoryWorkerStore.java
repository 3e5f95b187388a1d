package io.shardwise.consumer;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Worker items in memory, with the contract of the DynamoDB {@link WorkerTable}; for tests. */
final class InMemoryWorkerStore extends InMemoryTable implements WorkerStore {
    private final Map<String, WorkerItem> items = new HashMap<>();
    private long leaseChanges;

    InMemoryWorkerStore(String name) {
        super(name);
    }

    @Override
    public synchronized Workers scan() {
        return new Workers(Map.copyOf(items), leaseChanges);
    }

    @Override
    public synchronized void announceLeaseChange() {
        leaseChanges++;
    }

    @Override
    public synchronized boolean requestHandoff(String owner, String leaseKey) {
        WorkerItem item = items.get(owner);
        if (item == null) {
            return false;
        }
        Set<String> requests = new HashSet<>(item.handoffRequests());
        requests.add(leaseKey);
        items.put(owner, new WorkerItem(item.counter(), item.leaseCount(), item.load(), item.hotLeases(),
                Set.copyOf(requests)));
        return true;
    }

    @Override
    public synchronized void clearHandoffRequests(String workerId, Set<String> leaseKeys) {
        WorkerItem item = items.get(workerId);
        if (item != null) {
            Set<String> requests = new HashSet<>(item.handoffRequests());
            requests.removeAll(leaseKeys);
            items.put(workerId, new WorkerItem(item.counter(), item.leaseCount(), item.load(), item.hotLeases(),
                    Set.copyOf(requests)));
        }
    }

    @Override
    public synchronized Optional<Long> heartbeat(String workerId, long expected, Map<String, Long> throughput,
                                                 Duration timeout) {
        WorkerItem item = items.get(workerId);
        if (item != null && item.counter() != expected) {
            return Optional.empty();
        }
        long load = throughput.values().stream().mapToLong(Long::longValue).sum();
        Set<String> requests = item == null ? Set.of() : item.handoffRequests();
        items.put(workerId, new WorkerItem(expected + 1, throughput.size(), load, Map.of(), requests));
        return Optional.of(expected + 1);
    }

    @Override
    public synchronized long counter(String workerId) {
        WorkerItem item = items.get(workerId);
        return item == null ? 0 : item.counter();
    }

    @Override
    public synchronized void delete(String workerId) {
        items.remove(workerId);
    }
}
