import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { followEvents, type BlockAnnouncement, type LedgerEvent } from '../../src/sdk/browser.js';
import { useSession } from './session.js';

export interface Live {
  state: 'connecting' | 'live' | 'retrying' | 'stopped';
  head: BlockAnnouncement | null;
  /** The latest events the signed-in participant may see, newest first. */
  events: readonly LedgerEvent[];
}

const LiveContext = createContext<Live>({ state: 'connecting', head: null, events: [] });
export const useLive = (): Live => useContext(LiveContext);

/** How many recent events the console keeps in memory. */
const RECENT_EVENTS = 200;
/** Reads are refreshed at most this often while blocks stream in. */
const REFRESH_MS = 500;

/**
 * Follows the event feed while signed in (resuming after a dropped connection where it left
 * off) and refreshes every read on screen when a block lands: new payments, holds, alerts and
 * approvals appear without reloading.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const { client } = useSession();
  const queries = useQueryClient();
  const [live, setLive] = useState<Live>({ state: 'connecting', head: null, events: [] });
  const refreshAt = useRef<number>(0);

  useEffect(() => {
    const stop = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = (): void => {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        refreshAt.current = Date.now();
        void queries.invalidateQueries();
      }, Math.max(0, refreshAt.current + REFRESH_MS - Date.now()));
    };
    followEvents(client, { signal: stop.signal }, {
      state: (state) => setLive((current) => ({ ...current, state })),
      block: (head) => {
        setLive((current) => ({ ...current, head }));
        refresh();
      },
      event: (event) => setLive((current) => ({ ...current, events: [event, ...current.events].slice(0, RECENT_EVENTS) })),
    }).catch(() => setLive((current) => ({ ...current, state: 'stopped' })));
    return () => {
      stop.abort();
      clearTimeout(timer);
    };
  }, [client, queries]);

  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}
