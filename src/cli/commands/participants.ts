import { Option, type Command } from 'commander';
import { ROLES } from '../../core/roles.js';
import { KYC_STATUSES, type KycStatus } from '../../core/vocabulary.js';
import type { Role } from '../../core/roles.js';
import { durationArg } from '../arguments.js';
import type { Cli } from '../context.js';
import { table } from '../format.js';

/** Keys in the data directory, the network directory, registering participants and their KYC status. */
export function participantCommands(program: Command, cli: Cli): void {
  const keys = program.command('keys').description('keys in the data directory');

  keys.command('list', { isDefault: true })
    .description('list the keys in the data directory')
    .action(async () => {
      const { KeyStore } = await import('../../node/keystore.js');
      const store = KeyStore.at(cli.options.dataDir);
      const listed = store.names().map((name) => {
        const signer = store.load(name);
        return { name, participant: signer.participant, keyId: signer.keyId, publicKey: signer.publicKey };
      });
      cli.print(listed, () => table(['name', 'participant', 'key id', 'public key'], listed.map((k) => [k.name, k.participant, k.keyId, k.publicKey]), { maxWidths: { 3: 43 } }));
    });

  keys.command('generate <participant>')
    .description('create a new Ed25519 key for a participant (then register its public key with register-participant)')
    .option('--key-id <id>', 'key id (default: <participant>-1)')
    .addHelpText('after', '\nExample:\n  $ depositum keys generate initech-treasury')
    .action(async (participant: string, o: { keyId?: string }) => {
      const [{ LocalSigner }, { KeyStore }] = await Promise.all([import('../../chain/local-signer.js'), import('../../node/keystore.js')]);
      const signer = LocalSigner.generate(participant, o.keyId ?? `${participant}-1`);
      KeyStore.at(cli.options.dataDir).save(participant, signer);
      cli.print({ participant, keyId: signer.keyId, publicKey: signer.publicKey }, () => `key ${signer.keyId} for ${participant}: public key ${signer.publicKey}`);
    });

  program.command('participants')
    .description('the network directory (KYC details only for yourself, or everyone as operator, compliance or auditor)')
    .action(async () => {
      const participants = (await (await cli.client()).participants()).data as { id: string; legalName: string; lei: string; jurisdiction: string; roles: string[]; kycStatus?: string }[];
      const rows = participants.map((p) => [p.id, p.legalName, p.lei, p.jurisdiction, p.roles.join(','), p.kycStatus ?? '']);
      cli.print(participants, () => table(['id', 'legal name', 'LEI', 'country', 'roles', 'KYC'], rows));
    });

  program.command('register-participant <id>')
    .description('register a participant with the key made by "keys generate" (operator)')
    .requiredOption('--legal-name <name>', 'legal name')
    .requiredOption('--lei <lei>', 'LEI (ISO 17442, 20 characters with valid check digits)')
    .requiredOption('--jurisdiction <cc>', 'ISO 3166-1 alpha-2 country code, e.g. SG')
    .addOption(new Option('--role <role...>', 'roles').choices(ROLES).default(['client']))
    .addOption(new Option('--kyc <status>', 'KYC status').choices(KYC_STATUSES).default('pending'))
    .option('--kyc-expires <duration>', 'KYC approval lapses after this long, e.g. 365d', durationArg)
    .addHelpText('after', '\nExample:\n  $ depositum keys generate initech-treasury\n  $ depositum register-participant initech-treasury --legal-name "Initech Treasury Ltd" --lei 5493001KJTIIGC8Y1R12 --jurisdiction SG --kyc approved --kyc-expires 365d')
    .action(async (id: string, o: { legalName: string; lei: string; jurisdiction: string; role: Role[]; kyc: KycStatus; kycExpires?: number }) => {
      const signer = await cli.signer(id);
      const participant = { id, legalName: o.legalName, lei: o.lei, jurisdiction: o.jurisdiction, roles: o.role, kycStatus: o.kyc, kycExpiresAtMs: o.kycExpires === undefined ? null : Date.now() + o.kycExpires, keys: [{ id: signer.keyId, publicKey: signer.publicKey }] };
      await cli.checkOperation({ type: 'register_participant', participant }, { 'participant.legalName': '--legal-name', 'participant.lei': '--lei', 'participant.jurisdiction': '--jurisdiction', 'participant.id': '<id>' });
      await cli.submit([{ type: 'register_participant', participant }]);
    });

  program.command('set-kyc <participant>')
    .description("change a participant's KYC status (operator or compliance)")
    .addOption(new Option('--status <status>', 'KYC status').choices(KYC_STATUSES).makeOptionMandatory())
    .option('--expires <duration>', 'approval lapses after this long, e.g. 365d', durationArg)
    .action(async (participant: string, o: { status: KycStatus; expires?: number }) => {
      await cli.submit([{ type: 'update_participant', participant, changes: { kycStatus: o.status, ...(o.expires !== undefined && { kycExpiresAtMs: Date.now() + o.expires }) } }]);
    });
}
