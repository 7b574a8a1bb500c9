// Appended inside the module factory (--post-js): how the module's pthread
// Workers behave in a process that hosts the module on its main thread (the
// Lambda runtime's; node/src/engine.ts).
//
// - A trap or abort on a pthread reaches the main thread as the Worker's
//   'error' event. Emscripten rethrows it there, which would end the whole
//   process; we hand it to Module.onThreadError instead (once the Worker has
//   exited, see below), so the trigger abandons this instance and answers.
// - Module.workers() lists every Worker of this instance, so the trigger can
//   unref them while it waits for nothing (an idle pool must not keep Node
//   alive) and terminate them all when it abandons a stuck instance; it never
//   calls back into that instance's wasm, which may be stuck holding a lock.
var vipsEdgeLoadWorker = PThread.loadWasmModuleToWorker;
PThread.loadWasmModuleToWorker = function (worker) {
  // Emscripten 3.1.69 returns a promise that settles once the Worker loaded.
  var loaded = vipsEdgeLoadWorker.apply(this, arguments);
  // An abort() on a pthread posts Module.onAbort(what) to this thread and then
  // traps ("unreachable"), which ends the Worker: its 'error' comes first, but
  // the Worker's pending messages usually land before 'exit'. So the error is
  // reported at 'exit', when the abort's reason has (almost always) reached
  // the host first.
  worker.onerror = function (e) {
    if (!Module['onThreadError']) throw e;  // a host that does not care: as before
    worker.vipsEdgeError = e;
  };
  // Pool Workers never exit on their own: one that does took its thread with it.
  worker.on('exit', function (code) {
    if (Module['onThreadError']) Module['onThreadError'](worker.vipsEdgeError || new Error('a pthread Worker exited (code ' + code + ')'));
  });
  return loaded;
};
Module['workers'] = function () {
  return PThread.unusedWorkers.concat(PThread.runningWorkers);
};

// Module.release(): what an abandoned instance does so that V8 can free it.
// The main thread waits for its mailbox with Atomics.waitAsync (Emscripten
// 3.1.69); V8 keeps every pending waitAsync promise alive from the context,
// and its reaction (checkMailbox) holds this factory's scope, wasm memory
// included. Nothing wakes the wait of an abandoned instance, so each retired
// instance kept its whole heap (+77 MiB per retirement after an 8 MP trim:
// bench/README.md "Retired instances"). The mailbox check becomes a no-op and
// the waiter is woken: the promise settles, runs the no-op, and nothing roots
// the instance any more. It never calls into the wasm.
var vipsEdgeMainThread = 0;
if (!ENVIRONMENT_IS_PTHREAD) addOnInit(function () { vipsEdgeMainThread = _pthread_self(); });
Module['release'] = function () {
  _pthread_self = function () { return 0; };
  if (vipsEdgeMainThread) Atomics.notify(new Int32Array(wasmMemory.buffer), vipsEdgeMainThread >>> 2);
};
