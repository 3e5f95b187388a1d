package io.shardwise.it.consumer;

/** One broken rule of a soak history, with the evidence. */
record SoakViolation(Rule rule, String shard, String worker, String evidence) {

    /** The rules {@link SoakHistoryChecker} asserts. */
    enum Rule {
        /** Every acknowledged record is delivered at least once. */
        NO_LOSS,
        /** Per key, first deliveries come in write order. */
        KEY_ORDER,
        /** Once another processor received a shard's first batch, the old one receives nothing more of it. */
        EXCLUSIVE_OWNERSHIP,
        /** Duplicates only after a crash, and only records after the crashed owner's last checkpoint. */
        DUPLICATES,
        /** Every shard with work delivers within the window after the faults stop. */
        PROGRESS
    }

    @Override
    public String toString() {
        return rule + " shard=" + shard + " worker=" + worker + ": " + evidence;
    }
}
