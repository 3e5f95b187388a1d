package io.shardwise.testkit.engines;

/**
 * A JVM that starts kinesis-mock, prints the node pid and waits to be killed: the parent test
 * SIGKILLs it and checks that kinesis-mock exits on its own.
 */
final class KinesisMockHolder {

    private KinesisMockHolder() {
    }

    public static void main(String[] args) throws InterruptedException {
        KinesisMockProcess engine = KinesisMockProcess.start(System.getenv());
        System.out.println("kinesis-mock-pid " + engine.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
