package io.shardwise.consumer;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parents before children: which leases may start, given their parents' leases, and when a
 * finished parent's lease can go.
 */
final class ShardLineage {
    private static final Logger log = LoggerFactory.getLogger(ShardLineage.class);

    private final LeaseStore table;
    /** Parent shards a consistent read found without a lease (see parentsDone). */
    private final Set<String> confirmedAbsent = new HashSet<>();

    ShardLineage(LeaseStore table) {
        this.table = table;
    }

    /**
     * A child starts only when every parent is finished, or has no lease (finished and cleaned up,
     * or never read: history from before the application started). A parent missing from the scan
     * is read again with a consistent GetItem: a scan is not a snapshot, and can miss an item that a
     * sync created while it ran. Parents confirmed absent are remembered, so an idle child does not
     * cost a read per round.
     */
    boolean parentsDone(Lease lease, Map<String, Lease> byKey) {
        if (lease.checkpoint().isPosition()) {
            return true;
        }
        for (String parent : lease.parentShardIds()) {
            Lease p = byKey.get(parent);
            if (p == null && !confirmedAbsent.contains(parent)) {
                p = table.get(parent).orElse(null);
                if (p == null) {
                    confirmedAbsent.add(parent);
                }
            }
            if (p != null && !p.isFinished()) {
                return false;
            }
        }
        return true;
    }

    /** Returns true when a parent lease was removed. */
    boolean removeFinishedParents(List<Lease> leases, Map<String, Lease> byKey) {
        boolean removed = false;
        for (Lease parent : leases) {
            if (!parent.isFinished()) {
                continue;
            }
            List<Lease> children = leases.stream().filter(l -> l.parentShardIds().contains(parent.leaseKey())).toList();
            boolean childrenProgressed = !children.isEmpty() && children.stream()
                    .allMatch(c -> c.checkpoint().isPosition() || c.isFinished());
            boolean knownChildrenPresent = parent.childShardIds().stream().allMatch(byKey::containsKey);
            if (childrenProgressed && knownChildrenPresent && table.deleteFinished(parent.leaseKey())) {
                log.info("Removed finished parent lease {}", parent.leaseKey());
                removed = true;
            }
        }
        return removed;
    }
}
