import { Alert, Button, Card, Center, FileInput, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from './api.js';
import { signIn, type Me } from './session.js';
import type { DepositumClient, NetworkInfo } from '../../src/sdk/browser.js';

/** Sign-in with a participant's key file: read here, imported into WebCrypto, never uploaded. */
export function SignIn({ onSignedIn }: { onSignedIn: (signedIn: { client: DepositumClient; me: Me; network: NetworkInfo }) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (): Promise<void> => {
    if (file === null) return;
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(file, window.location.origin));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" component="main">
      <Card withBorder shadow="sm" w={460} padding="lg">
        <Stack>
          <Title order={1} size="h2">Depositum console</Title>
          <Text size="sm">Sign in with your participant key file (on the demo node: <code>data/keys/&lt;participant&gt;.json</code>). The private key is imported into your browser's WebCrypto and never leaves it; each request is signed here.</Text>
          <FileInput label="Key file" placeholder="acme.json" accept="application/json,.json" value={file} onChange={setFile} clearable />
          {error !== null && <Alert color="red" title="Cannot sign in" role="alert">{error}</Alert>}
          <Button onClick={() => void submit()} disabled={file === null} loading={busy}>Sign in</Button>
        </Stack>
      </Card>
    </Center>
  );
}
