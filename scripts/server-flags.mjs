// Node's flags for the sync server's process, wherever it is started (npm start, the systemd unit in
// docs/deploy, the tests and benches that run it as a process). Measured in docs/server.md, "Live
// updates": V8 keeps PGlite's WebAssembly on its baseline compiler (the optimising recompiles left
// tens of MiB of compiler memory in glibc's arenas: PGlite alone 191 → 121 MiB resident), and its
// young generation at 2 MiB per semi-space (16 by default); together they hold a PGlite server with
// 1,000 live sockets under 200 MB. The server runs no other WebAssembly. `--no-wasm-tier-up` goes
// with `--no-wasm-dynamic-tiering`: alone, the latter recompiles every function eagerly.
export const SERVER_NODE_FLAGS = ['--no-wasm-dynamic-tiering', '--no-wasm-tier-up', '--max-semi-space-size=2'];
