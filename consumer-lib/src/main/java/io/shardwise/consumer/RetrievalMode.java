package io.shardwise.consumer;

/** How records are read: GetRecords polling (shared 5 calls/s per shard) or enhanced fan-out (pushed over HTTP/2). */
public enum RetrievalMode {
    POLLING,
    FAN_OUT
}
