package io.shardwise.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Leases in memory, with the same conditional-write contract as the DynamoDB {@link LeaseTable}:
 * for tests of the coordinator and the lease protocol that need many rounds and no engine. Every
 * method is atomic (one lock); reads are consistent.
 */
final class InMemoryLeaseStore extends InMemoryTable implements LeaseStore {
    private final Map<String, Lease> leases = new TreeMap<>();
    private Predicate<Lease> visible = lease -> true;

    InMemoryLeaseStore(String name) {
        super(name);
    }

    @Override
    public synchronized TableSnapshot scan() {
        return new TableSnapshot(leases.values().stream().filter(visible).toList(), Map.of(), Set.of());
    }

    @Override
    public synchronized void showOnly(Predicate<Lease> filter) {
        this.visible = filter;
    }

    @Override
    public synchronized List<String> allLeaseKeys() {
        return List.copyOf(leases.keySet());
    }

    @Override
    public synchronized void deleteLease(String leaseKey) {
        leases.remove(leaseKey);
    }

    @Override
    public synchronized Optional<Lease> get(String leaseKey) {
        return Optional.ofNullable(leases.get(leaseKey));
    }

    @Override
    public synchronized boolean createLease(String leaseKey, Checkpoint checkpoint, Set<String> parents,
                                            String startingHashKey, String endingHashKey, String streamId,
                                            String shardId) {
        if (leases.containsKey(leaseKey)) {
            return false;
        }
        Set<String> parentKeys = streamId == null ? Set.copyOf(parents)
                : parents.stream().map(p -> streamId + ":" + p).collect(java.util.stream.Collectors.toSet());
        leases.put(leaseKey, new Lease(leaseKey, null, 0, checkpoint, null, null, 0, parentKeys, Set.of(),
                startingHashKey, endingHashKey, null));
        return true;
    }

    @Override
    public synchronized Optional<Lease> take(Lease observed, String newOwner) {
        return write(observed.leaseKey(), observed.counter(), null, l -> withOwner(l, newOwner));
    }

    @Override
    public synchronized Optional<Lease> transfer(String leaseKey, long counter, String owner, String newOwner) {
        return write(leaseKey, counter, owner, l -> withOwner(l, newOwner));
    }

    @Override
    public synchronized Optional<Lease> release(String leaseKey, long counter, String owner) {
        return write(leaseKey, counter, owner, l -> new Lease(l.leaseKey(), null, l.counter(), l.checkpoint(),
                l.pendingCheckpoint(), l.pendingState(), l.ownerSwitches(), l.parentShardIds(), l.childShardIds(),
                l.startingHashKey(), l.endingHashKey(), null));
    }

    @Override
    public synchronized boolean requestHandoff(Lease observed, String requester) {
        Lease current = leases.get(observed.leaseKey());
        if (current == null || current.counter() != observed.counter()
                || !Objects.equals(current.owner(), observed.owner())) {
            return false;
        }
        leases.put(current.leaseKey(), new Lease(current.leaseKey(), current.owner(), current.counter(),
                current.checkpoint(), current.pendingCheckpoint(), current.pendingState(), current.ownerSwitches(),
                current.parentShardIds(), current.childShardIds(), current.startingHashKey(),
                current.endingHashKey(), requester));
        return true;
    }

    @Override
    public synchronized Optional<Lease> checkpoint(String leaseKey, long counter, String owner, Checkpoint checkpoint,
                                                   Set<String> childShardIds, long millisBehindLatest,
                                                   BooleanSupplier leaseHeld) {
        return write(leaseKey, counter, owner, l -> {
            Set<String> children = childShardIds.isEmpty() ? l.childShardIds() : Set.copyOf(childShardIds);
            return new Lease(l.leaseKey(), l.owner(), l.counter(), checkpoint, null, null, 0, l.parentShardIds(),
                    children, l.startingHashKey(), l.endingHashKey(), l.handoffTo());
        });
    }

    @Override
    public synchronized Optional<Lease> prepare(String leaseKey, long counter, String owner, Checkpoint pending,
                                                byte[] state, BooleanSupplier leaseHeld) {
        return write(leaseKey, counter, owner, l -> new Lease(l.leaseKey(), l.owner(), l.counter(), l.checkpoint(),
                pending, state, l.ownerSwitches(), l.parentShardIds(), l.childShardIds(), l.startingHashKey(),
                l.endingHashKey(), l.handoffTo()));
    }

    @Override
    public synchronized boolean deleteFinished(String leaseKey) {
        Lease current = leases.get(leaseKey);
        if (current == null || !current.isFinished()) {
            return false;
        }
        leases.remove(leaseKey);
        return true;
    }

    @Override
    public void deleteLegacyWorker(String workerId) {
    }

    /** Every lease, for assertions. */
    synchronized List<Lease> all() {
        return new ArrayList<>(leases.values());
    }

    private static Lease withOwner(Lease l, String owner) {
        return new Lease(l.leaseKey(), owner, l.counter(), l.checkpoint(), l.pendingCheckpoint(), l.pendingState(),
                l.ownerSwitches() + 1, l.parentShardIds(), l.childShardIds(), l.startingHashKey(), l.endingHashKey(),
                null);
    }

    /** The conditional write: counter (and owner when given) must match; the counter is bumped. */
    private Optional<Lease> write(String leaseKey, long counter, String owner,
                                  java.util.function.UnaryOperator<Lease> change) {
        Lease current = leases.get(leaseKey);
        if (current == null || current.counter() != counter || (owner != null && !owner.equals(current.owner()))) {
            return Optional.empty();
        }
        Lease changed = change.apply(current);
        Lease written = new Lease(changed.leaseKey(), changed.owner(), counter + 1, changed.checkpoint(),
                changed.pendingCheckpoint(), changed.pendingState(), changed.ownerSwitches(),
                changed.parentShardIds(), changed.childShardIds(), changed.startingHashKey(),
                changed.endingHashKey(), changed.handoffTo());
        leases.put(leaseKey, written);
        return Optional.of(written);
    }
}
