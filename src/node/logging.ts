import { pino, type Logger } from 'pino';

/**
 * The node's logger. JSON lines for log shippers; when a person watches the terminal
 * (stdout is a TTY), pino-pretty's readable lines instead, written synchronously so the
 * last lines before an exit are not lost.
 */
export async function nodeLogger(level: string, pretty = process.stdout.isTTY === true): Promise<Logger> {
  if (!pretty) return pino({ level });
  const { default: prettyStream } = await import('pino-pretty');
  return pino({ level }, prettyStream({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}
