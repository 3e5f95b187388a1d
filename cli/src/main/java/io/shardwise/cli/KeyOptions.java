package io.shardwise.cli;

import picocli.CommandLine.Option;

/** How {@code put} makes the partition keys (a picocli mixin): one of these options at most. */
final class KeyOptions {

    @Option(names = "--random-key", description = "A random partition key for each line (the default with --follow).")
    boolean randomKey;

    @Option(names = "--key", paramLabel = "KEY", description = "Partition key for every line.")
    String key;


    @Option(names = "--key-field", paramLabel = "NAME",
            description = "Partition key from this field of each line, a JSON object (a string or a number).")
    String keyField;

    @Option(names = "--key-regex", paramLabel = "REGEX",
            description = "Partition key from group 1 of the first match of REGEX in each line.")
    String keyRegex;


    /** The keys these options ask for; without one, random keys when {@code follow}, else line numbers. */
    PartitionKeys keys(boolean follow) {
        return PartitionKeys.of(key, keyField, keyRegex, randomKey, follow);
    }
}
