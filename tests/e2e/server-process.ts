import { type ChildProcess, spawn } from 'node:child_process';
import { SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';

/**
 * The sync server as its own process on `host` (127.0.0.1 unless told), resolved once it listens,
 * with the line it printed then (`said`: "Keysmith sync server listening on http://…").
 */
export async function startServer(port: number, dataDir: string, host = '127.0.0.1'): Promise<ChildProcess & { said: string }> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: host, KEYSMITH_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const said = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const line = chunk
        .toString()
        .split('\n')
        .find((l) => l.includes('listening on'));
      if (line) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return Object.assign(child, { said });
}
