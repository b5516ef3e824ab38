import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { DepositumClient, WebCryptoSigner, type NetworkInfo, type Signer } from '../../src/sdk/browser.js';

/** A participant as the node shows it to itself. */
export interface Me {
  id: string;
  legalName: string;
  roles: string[];
  kycStatus: string;
  delegates?: string[];
}

/** Who is signed in: the client signing as them, and keys loaded to co-sign (an issuer's, for a redemption). */
export interface Session {
  client: DepositumClient;
  me: Me;
  network: NetworkInfo;
  cosigners: ReadonlyMap<string, Signer>;
  addCosigner(file: File): Promise<Signer>;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside a signed-in console');
  return session;
}

/**
 * Signs in with a key file: its private half is imported into WebCrypto as a non-extractable
 * key (it never leaves the browser, nor reaches the node), a session is opened with one signed
 * request, and the node is asked who the key belongs to (an unknown key is refused there).
 */
export async function signIn(file: File, baseUrl: string): Promise<{ client: DepositumClient; me: Me; network: NetworkInfo }> {
  const signer = await WebCryptoSigner.fromKeyFile(await file.text());
  const client = new DepositumClient({ url: baseUrl, signer, session: true, retryMs: 3_000 });
  const me = (await client.participantInfo(signer.participant)) as unknown as Me;
  return { client, me, network: await client.network() };
}

export function SessionProvider({ signedIn, onSignOut, children }: { signedIn: { client: DepositumClient; me: Me; network: NetworkInfo }; onSignOut: () => void; children: ReactNode }) {
  const [cosigners, setCosigners] = useState<ReadonlyMap<string, Signer>>(new Map());
  const addCosigner = useCallback(async (file: File) => {
    const signer = await WebCryptoSigner.fromKeyFile(await file.text());
    setCosigners((known) => new Map(known).set(signer.participant, signer));
    return signer;
  }, []);
  const session = useMemo<Session>(() => ({ ...signedIn, cosigners, addCosigner, signOut: onSignOut }), [signedIn, cosigners, addCosigner, onSignOut]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
