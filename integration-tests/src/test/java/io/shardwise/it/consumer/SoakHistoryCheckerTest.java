package io.shardwise.it.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.it.consumer.SoakEvent.Acked;
import io.shardwise.it.consumer.SoakEvent.CheckpointFailed;
import io.shardwise.it.consumer.SoakEvent.Checkpointed;
import io.shardwise.it.consumer.SoakEvent.Crashed;
import io.shardwise.it.consumer.SoakEvent.Delivery;
import io.shardwise.it.consumer.SoakEvent.FaultInjected;
import io.shardwise.it.consumer.SoakEvent.FaultsEnded;
import io.shardwise.it.consumer.SoakEvent.LeaseLost;
import io.shardwise.it.consumer.SoakEvent.Stopped;
import io.shardwise.it.consumer.SoakHistoryChecker.DuplicateCause;
import io.shardwise.it.consumer.SoakViolation.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Histories that break each rule are caught; good ones pass, with the figures counted right. */
class SoakHistoryCheckerTest {

    private static final long S = 1_000_000; // one second in micros
    private final SoakHistoryChecker checker = new SoakHistoryChecker(Duration.ofSeconds(10));
    private final List<SoakEvent> history = new ArrayList<>();

    /** Writes key "k" records 1..count to shard s0 at sequences 100, 101, ... acked at times 1..count. */
    private void written(int count) {
        for (int n = 1; n <= count; n++) {
            history.add(new Acked("k", n, "s0", Integer.toString(99 + n), n));
        }
    }

    /** The processor receives records {@code ns} of key "k" on shard s0, at times at, at + 1, ... */
    private void deliver(String processor, long at, int... ns) {
        for (int i = 0; i < ns.length; i++) {
            history.add(new Delivery(processor.substring(0, processor.indexOf('/')), processor, "s0",
                    Integer.toString(99 + ns[i]), 0, "k", ns[i], at + i));
        }
    }

    private void checkpoint(String processor, int n, long at) {
        history.add(new Checkpointed(processor.substring(0, processor.indexOf('/')), processor, "s0",
                Integer.toString(99 + n), 0, at));
    }

    private void aCheckpointsOneAndReceivesTwoOfThree() {
        written(3);
        deliver("a/1", 10, 1);
        checkpoint("a/1", 1, 11);
        deliver("a/1", 12, 2);
    }

    private void assertPassesWithDuplicates(DuplicateCause cause, long count) {
        SoakVerdict verdict = verdict();
        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.figures().duplicatesByCause()).containsExactlyEntriesOf(java.util.Map.of(cause, count));
    }

    private SoakVerdict verdict() {
        return checker.check(history);
    }

    private List<Rule> rulesBroken() {
        return verdict().violations().stream().map(SoakViolation::rule).distinct().toList();
    }

    @Test
    void aGoodHistoryWithACrashAndAGracefulHandoffPasses() {
        written(6);
        deliver("a/1", 10, 1, 2);
        checkpoint("a/1", 2, 12);
        deliver("a/1", 13, 3);
        history.add(new Crashed("a", 2 * S));
        history.add(new FaultInjected("SIGKILL a", 2 * S));
        deliver("b/1", 6 * S, 3);          // after the checkpoint at 2: a duplicate the crash explains
        deliver("b/1", 6 * S + 1, 4);
        checkpoint("b/1", 4, 6 * S + 2);
        history.add(new Stopped("b", 7 * S));
        deliver("c/1", 8 * S, 5);          // graceful: resumes after b's checkpoint, no duplicate
        history.add(new FaultsEnded(8 * S));
        deliver("c/1", 9 * S, 6);

        SoakVerdict verdict = verdict();
        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.figures().duplicatesByCause()).containsExactlyEntriesOf(
                java.util.Map.of(DuplicateCause.CRASH, 1L));
        assertThat(verdict.figures().deliveries()).isEqualTo(7);
        assertThat(verdict.figures().distinctDelivered()).isEqualTo(6);
        assertThat(verdict.figures().acknowledged()).isEqualTo(6);
        assertThat(verdict.figures().faultsInjected()).isEqualTo(1);
        assertThat(verdict.figures().events()).isEqualTo(history.size());
    }

    @Test
    void anAcknowledgedRecordNeverDeliveredIsLost() {
        written(3);
        deliver("a/1", 10, 1);
        deliver("a/1", 12, 3);

        assertThat(rulesBroken()).containsExactly(Rule.NO_LOSS);
        assertThat(verdict().violations().get(0).evidence()).contains("k:2");
    }

    @Test
    void aFirstDeliveryAfterAHigherOneOfTheSameKeyBreaksOrderButAReplayDoesNot() {
        written(3);
        deliver("a/1", 10, 1, 3, 2);

        assertThat(rulesBroken()).containsExactly(Rule.KEY_ORDER);

        history.clear();
        written(3);
        deliver("a/1", 10, 1, 2);
        history.add(new Crashed("a", 12));
        deliver("b/1", 20, 1);   // replays 1 and 2 after the crash: duplicates, not order violations
        deliver("b/1", 21, 2, 3);
        assertThat(verdict().violations()).isEmpty();
    }

    @Test
    void theOldOwnerReceivingAfterTheNewOwnersFirstBatchBreaksExclusiveOwnership() {
        written(4);
        deliver("a/1", 10, 1, 2);
        history.add(new Crashed("a", 12));
        deliver("b/1", 20, 3);
        deliver("a/1", 21, 4); // a zombie processor still reading

        assertThat(rulesBroken()).containsExactly(Rule.EXCLUSIVE_OWNERSHIP);
        assertThat(verdict().violations().get(0).worker()).isEqualTo("a");
    }

    @Test
    void aDuplicateAfterAGracefulStopIsAViolation() {
        written(2);
        deliver("a/1", 10, 1, 2);
        history.add(new Stopped("a", 12));
        deliver("b/1", 20, 2);

        SoakVerdict verdict = verdict();
        assertThat(rulesBroken()).containsExactly(Rule.DUPLICATES);
        assertThat(verdict.figures().duplicatesByCause()).containsEntry(DuplicateCause.UNEXPLAINED, 1L);
    }

    @Test
    void aDuplicateToTheSameProcessorIsAViolation() {
        written(2);
        deliver("a/1", 10, 1, 2, 2);

        assertThat(rulesBroken()).containsExactly(Rule.DUPLICATES);
    }

    @Test
    void aCrashExplainsOnlyTheRecordsAfterTheLastCheckpoint() {
        written(3);
        deliver("a/1", 10, 1, 2);
        checkpoint("a/1", 2, 12);
        deliver("a/1", 13, 3);
        history.add(new Crashed("a", 14));
        deliver("b/1", 20, 2); // at the checkpoint: must not come again
        deliver("b/1", 21, 3);

        assertThat(rulesBroken()).containsExactly(Rule.DUPLICATES);
        assertThat(verdict().violations()).hasSize(1);
        assertThat(verdict().violations().get(0).evidence()).contains("k:2").contains("checkpoint 101/0");
    }

    @Test
    void aLostLeaseExplainsDuplicatesAfterTheCheckpointAndIsCountedApart() {
        aCheckpointsOneAndReceivesTwoOfThree();
        history.add(new LeaseLost("a", "a/1", "s0", 13));
        deliver("b/1", 20, 2, 3);

        assertPassesWithDuplicates(DuplicateCause.LEASE_LOST, 1);
    }

    @Test
    void aFailedLastCheckpointExplainsDuplicatesButAFailedBatchCheckpointDoesNot() {
        aCheckpointsOneAndReceivesTwoOfThree();
        history.add(new CheckpointFailed("a", "a/1", "s0", false, "timeout", 13));
        history.add(new Stopped("a", 14));
        deliver("b/1", 20, 2, 3);

        assertThat(rulesBroken()).containsExactly(Rule.DUPLICATES);

        history.add(new CheckpointFailed("a", "a/1", "s0", true, "timeout", 15));
        assertPassesWithDuplicates(DuplicateCause.LAST_CHECKPOINT_FAILED, 1);
    }

    @Test
    void aCrashAfterTheNewOwnerStartedExplainsNothing() {
        written(1);
        deliver("a/1", 10, 1);
        deliver("b/1", 20, 1);
        history.add(new Crashed("a", 30));

        assertThat(rulesBroken()).containsExactly(Rule.DUPLICATES);
    }

    @Test
    void aShardWithWorkThatDeliversNothingWithinTenSecondsAfterTheFaultsEndMakesNoProgress() {
        written(2);
        deliver("a/1", 10, 1);
        history.add(new FaultsEnded(2 * S));
        deliver("a/1", 2 * S + 10 * S + 1, 2);

        assertThat(rulesBroken()).containsExactly(Rule.PROGRESS);

        history.clear();
        written(2);
        deliver("a/1", 10, 1);
        history.add(new FaultsEnded(2 * S));
        deliver("a/1", 2 * S + 9 * S, 2);
        assertThat(verdict().violations()).isEmpty();
    }

    @Test
    void aShardWithoutWorkAfterTheFaultsEndNeedsNoProgress() {
        written(1);
        deliver("a/1", 10, 1);
        history.add(new FaultsEnded(2 * S));
        history.add(new FaultInjected("nothing", 30 * S));

        assertThat(verdict().violations()).isEmpty();
    }

    @Test
    void eventsAreJudgedInTimeOrderWhateverOrderTheyArrivedIn() {
        written(2);
        deliver("b/1", 20, 2);
        history.add(new Crashed("a", 12));
        deliver("a/1", 10, 1, 2);

        SoakVerdict verdict = verdict();
        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.figures().duplicatesByCause()).containsEntry(DuplicateCause.CRASH, 1L);
        assertThat(verdict.report(5)).contains("violations: none");
    }
}
