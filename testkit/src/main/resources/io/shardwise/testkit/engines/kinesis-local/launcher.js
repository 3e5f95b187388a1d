// Starts kinesis-mock and ties its life to the JVM that launched it: that JVM holds our stdin
// open and never writes to it, so end-of-file on stdin means the JVM is gone (even after SIGKILL,
// when no shutdown hook runs) and we exit with it.
'use strict';
const path = require('path');
// Taken before kinesis-mock loads: its runtime replaces process.exit with one that first runs its
// own shutdown, which does not always finish.
const exitNow = process.exit.bind(process);
let exiting = false;
const exitWithParent = () => {
  if (exiting) {
    return;
  }
  exiting = true;
  process.stderr.write('shardwise launcher: stdin closed, the JVM that started kinesis-mock is gone; exiting\n');
  exitNow(0);
};
process.stdin.on('end', exitWithParent);
process.stdin.on('close', exitWithParent);
process.stdin.on('error', exitWithParent);
process.stdin.resume();
require(path.resolve(process.argv[2]));
