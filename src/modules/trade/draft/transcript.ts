/** One message of a buyer's and a seller's conversation. */
export interface Message {
  readonly index: number;
  readonly speaker: string;
  readonly text: string;
}

export class TranscriptError extends Error {}

/** Bounds that keep one draft's work small whatever is sent: a trade is agreed in fewer, shorter messages. */
export const MESSAGES_MAX = 500;
export const MESSAGE_CHARS_MAX = 4_000;

function bounded(messages: Message[]): Message[] {
  if (messages.length > MESSAGES_MAX) throw new TranscriptError(`the transcript has ${messages.length} messages; at most ${MESSAGES_MAX} are read`);
  const long = messages.find((m) => m.text.length > MESSAGE_CHARS_MAX);
  if (long !== undefined) throw new TranscriptError(`message ${long.index + 1} has ${long.text.length} characters; at most ${MESSAGE_CHARS_MAX} are read`);
  return messages;
}

const LINE = /^\s*([^:：]{1,60}?)\s*[:：]\s*(.+)$/;

/**
 * A chat transcript as plain text (one message per line as `speaker: text`, full-width
 * colons too; a line without a speaker continues the message before it) or JSON (an array
 * of `{ speaker, text }`, or `{ messages: [...] }`).
 */
export function readTranscript(input: string): Message[] {
  const trimmed = input.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new TranscriptError(`the transcript is not valid JSON: ${(error as Error).message}`);
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { messages?: unknown }).messages;
    if (!Array.isArray(list)) throw new TranscriptError('a JSON transcript is an array of { speaker, text } (or { messages: [...] })');
    return bounded(list.map((item, index) => {
      const { speaker, text } = (item ?? {}) as { speaker?: unknown; text?: unknown };
      if (typeof speaker !== 'string' || typeof text !== 'string' || speaker.trim() === '') throw new TranscriptError(`message ${index + 1} lacks a speaker or a text`);
      return { index, speaker: speaker.trim(), text: text.trim() };
    }));
  }
  const messages: { speaker: string; text: string }[] = [];
  for (const line of trimmed.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const match = LINE.exec(line);
    if (match !== null) messages.push({ speaker: match[1]!.trim(), text: match[2]!.trim() });
    else if (messages.length > 0) messages[messages.length - 1]!.text += ` ${line.trim()}`;
    else throw new TranscriptError(`the first line names no speaker ("speaker: text"): ${line.slice(0, 60)}`);
  }
  if (messages.length === 0) throw new TranscriptError('the transcript is empty');
  return bounded(messages.map((m, index) => ({ index, ...m })));
}

/** Chinese if a fifth of the letters are Han characters. */
export function languageOf(messages: readonly Message[]): 'en' | 'zh' {
  const text = messages.map((m) => m.text).join(' ');
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  return letters > 0 && han / letters >= 0.2 ? 'zh' : 'en';
}
