package io.shardwise.testkit.engines;

/** A JVM that installs kinesis-mock into $SHARDWISE_CACHE_DIR and says whether it ran npm itself. */
final class InstallationRacer {

    private InstallationRacer() {
    }

    public static void main(String[] args) {
        KinesisLocalInstallation installation = KinesisLocalInstallation.ensureInstalled(
                NodeToolchain.locate(System.getenv()), System.getenv());
        System.out.println("installed-by-this-jvm " + installation.installedByThisCall()
                + " main-exists " + java.nio.file.Files.exists(installation.mainScript()));
    }
}
