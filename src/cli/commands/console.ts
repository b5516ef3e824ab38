import { join } from 'node:path';
import type { Command } from 'commander';
import { CliError, EXIT, type Cli } from '../context.js';

/** `depositum console`: where the node's web console is, and the key files here to sign in with. */
export function consoleCommands(program: Command, cli: Cli): void {
  program.command('console')
    .description("the node's web console: its address, and the participants' key files in the data directory to sign in with (the key stays in the browser)")
    .action(async () => {
      const [url] = await cli.nodeUrls();
      const address = `${url!}/console/`;
      const served = await fetch(address).then((response) => response.ok, () => false);
      if (!served) throw new CliError(`no console at ${address}: is the node running (npm start), and was it built (npm run build)?`, EXIT.usage, 'console_unavailable', 'local_error');
      const [{ KeyStore }, { VALIDATOR_KEY_NAME }] = await Promise.all([import('../../node/keystore.js'), import('../../node/data-dir.js')]);
      const keys = KeyStore.at(cli.options.dataDir);
      // The validator's key signs blocks, not requests: it is no participant's sign-in.
      const files = keys.names().filter((name) => name !== VALIDATOR_KEY_NAME).map((name) => ({ participant: keys.load(name).participant, file: join(keys.directory, `${name}.json`) }));
      cli.print({ url: address, keys: files }, () => [
        `Open ${address} in a browser and sign in with a participant's key file:`,
        ...files.map((key) => `  ${key.participant.padEnd(18)} ${key.file}`),
      ].join('\n'));
    });
}
