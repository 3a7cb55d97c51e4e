import { useEffect, useState } from 'react';

interface Me {
  user: { id: string; name: string; email: string };
  workspaces: { id: string; name: string }[];
}

/** A minimal first page: whether the server is up and who is signed in. The data-entry app grows from here. */
export function App() {
  const [health, setHealth] = useState<'checking' | 'ok' | 'down'>('checking');
  const [me, setMe] = useState<Me | null>(null);

  useEffect(() => {
    fetch('/api/health')
      .then((r) => setHealth(r.ok ? 'ok' : 'down'))
      .catch(() => setHealth('down'));
    fetch('/api/me')
      .then((r) => (r.ok ? (r.json() as Promise<Me>) : null))
      .then(setMe)
      .catch(() => setMe(null));
  }, []);

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '4rem auto', padding: '0 1rem' }}>
      <h1>CRM builder</h1>
      <p data-testid="health">Server: {health}</p>
      {me ? (
        <p>
          Signed in as {me.user.name} — workspaces: {me.workspaces.map((w) => w.name).join(', ')}
        </p>
      ) : (
        <p>
          Not signed in. Set up the installation with <code>POST /api/setup</code> (see README.md).
        </p>
      )}
    </main>
  );
}
