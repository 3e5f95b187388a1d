package io.shardwise.it.consumer;

import io.shardwise.testkit.faults.FaultProxy;

/**
 * Plays a {@link SoakSchedule} in real time against the workers, the stream and the proxies, then
 * ends every fault: proxies cleared, every empty worker slot restarted.
 */
record SoakRun(SoakSchedule schedule, SoakWorkers workers, SoakResharding resharding, FaultProxy kinesis,
               FaultProxy dynamoDb, SoakRecorder recorder) {

    void run() throws Exception {
        long start = System.nanoTime();
        for (SoakSchedule.Action action : schedule.actions()) {
            long wait = action.at().toNanos() - (System.nanoTime() - start);
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            play(action);
        }
        long rest = schedule.chaosLength().toNanos() - (System.nanoTime() - start);
        if (rest > 0) {
            Thread.sleep(rest / 1_000_000);
        }
        SoakFaultProfiles.clear(kinesis);
        SoakFaultProfiles.clear(dynamoDb);
        workers.restartStopped();
    }

    private void play(SoakSchedule.Action action) throws Exception {
        switch (action.kind()) {
            case SPLIT -> recorder.fault(resharding.split());
            case MERGE -> recorder.fault(resharding.merge());
            case KILL -> workers.kill(action.slot());
            case STOP -> workers.stop(action.slot());
            case RESTART -> workers.restartStopped();
            case KINESIS_FAULTS -> {
                SoakFaultProfiles.apply(kinesis, action.profile());
                recorder.fault("kinesis faults " + action.profile());
            }
            case KINESIS_FAULTS_OFF -> SoakFaultProfiles.clear(kinesis);
            case DYNAMODB_FAULTS -> {
                SoakFaultProfiles.apply(dynamoDb, action.profile());
                recorder.fault("dynamodb faults " + action.profile());
            }
            case DYNAMODB_FAULTS_OFF -> SoakFaultProfiles.clear(dynamoDb);
            default -> throw new IllegalStateException("unknown action " + action);
        }
    }
}
